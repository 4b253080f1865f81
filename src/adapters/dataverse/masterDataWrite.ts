import type { DynamicsWebApi } from 'dynamics-web-api';
import type { MirrorWrite } from '../../app/masterData/records';
import type { DataverseClient } from './client';
import { classifyDataverseError, DataverseValidationError } from './errors';
import { ADMINISTRATION_FIELDS, LAYOUT_FIELDS, RELATION_FIELDS, writeFields } from './masterDataColumns';
import { ADMINISTRATION, LAYOUT, RELATION } from './vocabulary';

/** Dataverse accepts up to 1,000 operations per `$batch`; the mirror sends at most 500 in one changeset. */
const WRITES_PER_BATCH = 500;

const TABLES = {
  administration: { table: ADMINISTRATION, map: ADMINISTRATION_FIELDS },
  layout: { table: LAYOUT, map: LAYOUT_FIELDS },
  relation: { table: RELATION, map: RELATION_FIELDS },
} as const;

interface Request {
  collection: string;
  key: string;
  create: boolean;
  data: Record<string, unknown>;
}

function request(w: MirrorWrite): Request {
  const { table, map } = TABLES[w.table];
  // A new row starts empty: its null fields are not sent (nor binds to nothing).
  const fields = w.create
    ? Object.fromEntries(Object.entries(w.fields).filter(([, v]) => v !== null && v !== undefined))
    : w.fields;
  const data = writeFields(map as never, fields as never);
  // A create carries the id the sync chose, so later writes of the same batch can bind to the row.
  if (w.create) data[table.primaryId] = w.id;
  return { collection: table.entitySet, key: w.id, create: w.create, data };
}

/** One write alone (no `$batch` overhead); a create is not retried blindly (its answer may be lost). */
async function one(client: DataverseClient, r: Request): Promise<void> {
  await client.run(
    r.create ? 'create mirrored row' : 'update mirrored row',
    async (api) => {
      if (r.create) await api.create({ collection: r.collection, data: r.data });
      // update() sets If-Match: * (dynamics-web-api's default): a row removed meanwhile is not recreated.
      else if (
        ((await api.update({ collection: r.collection, key: r.key, data: r.data })) as unknown) === false
      )
        throw Object.assign(new Error('the row changed or was removed'), { status: 412 });
    },
    { idempotent: !r.create },
  );
}

function queue(api: DynamicsWebApi, r: Request): void {
  if (r.create) void api.create({ collection: r.collection, data: r.data });
  else void api.update({ collection: r.collection, key: r.key, data: r.data });
}

/** In order; each `$batch` is one changeset: all of its writes or none. */
export async function saveMirrorWrites(
  client: DataverseClient,
  writes: readonly MirrorWrite[],
): Promise<void> {
  const requests = writes.map(request);
  if (requests.length === 1) return one(client, requests[0]!);
  for (let i = 0; i < requests.length; i += WRITES_PER_BATCH) {
    const chunk = requests.slice(i, i + WRITES_PER_BATCH);
    const results = await client.run(
      'save mirrored rows',
      async (api) => {
        api.startBatch();
        for (const r of chunk) queue(api, r);
        return api.executeBatch();
      },
      { idempotent: false, fresh: true },
    );
    const list: unknown[] = Array.isArray(results) ? results : [results];
    const failed = list.find((r) => r instanceof Error);
    if (failed) throw classifyDataverseError('save mirrored rows', failed, []);
    if (list.length !== chunk.length)
      throw new DataverseValidationError(
        `Dataverse save mirrored rows answered ${list.length} results for ${chunk.length} writes`,
      );
  }
}
