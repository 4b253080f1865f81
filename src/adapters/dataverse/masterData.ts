import { z } from 'zod';
import type {
  DynamicsAccount,
  MasterDataRecords,
  MirroredAdministration,
  MirroredLayout,
  MirroredRelation,
  MirrorWrite,
} from '../../app/masterData/records';
import type { DataverseClient } from './client';
import { DataverseValidationError } from './errors';
import {
  ADMINISTRATION_FIELDS,
  LAYOUT_FIELDS,
  readFields,
  RELATION_FIELDS,
  selectOfFields,
  type FieldMap,
} from './masterDataColumns';
import { saveMirrorWrites } from './masterDataWrite';
import { ACCOUNT, ADMINISTRATION, LAYOUT, RELATION, wireName } from './vocabulary';

type Table = typeof ADMINISTRATION | typeof LAYOUT | typeof RELATION | typeof ACCOUNT;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNT_SELECT = [ACCOUNT.primaryName, 'eol_kvk', 'eol_vatnumber'];

/**
 * The mirror's reads and writes (src/app/masterData/records.ts): one paged query per table (per
 * administration), every row parsed with the wire schemas of the vocabulary's columns.
 */
export class DataverseMasterDataRecords implements MasterDataRecords {
  constructor(private readonly client: DataverseClient) {}

  async administrations(): Promise<MirroredAdministration[]> {
    const rows = await this.list('list mirrored administrations', ADMINISTRATION, ADMINISTRATION_FIELDS);
    return rows.map((r) => ({
      id: String(r[ADMINISTRATION.primaryId]),
      ...readFields(ADMINISTRATION_FIELDS, r),
    }));
  }

  async layouts(administrationId: string): Promise<MirroredLayout[]> {
    const rows = await this.list(
      'list mirrored layouts',
      LAYOUT,
      LAYOUT_FIELDS,
      ofAdministration(LAYOUT, administrationId),
    );
    return rows.map((r) => ({ id: String(r[LAYOUT.primaryId]), ...readFields(LAYOUT_FIELDS, r) }));
  }

  async relations(administrationId: string): Promise<MirroredRelation[]> {
    const rows = await this.list(
      'list mirrored relations',
      RELATION,
      RELATION_FIELDS,
      ofAdministration(RELATION, administrationId),
    );
    return rows.map((r) => ({ id: String(r[RELATION.primaryId]), ...readFields(RELATION_FIELDS, r) }));
  }

  async relation(relationId: string): Promise<MirroredRelation | null> {
    if (!GUID.test(relationId)) throw new DataverseValidationError('Dataverse relation id is not a GUID');
    const filter = `${RELATION.primaryId} eq ${relationId.toLowerCase()}`;
    const rows = await this.list('read mirrored relation', RELATION, RELATION_FIELDS, filter);
    return rows[0]
      ? { id: String(rows[0][RELATION.primaryId]), ...readFields(RELATION_FIELDS, rows[0]) }
      : null;
  }

  async accounts(): Promise<DynamicsAccount[]> {
    const rows = await this.query('list accounts', ACCOUNT, ACCOUNT_SELECT, 'statecode eq 0');
    return rows.map((r) => ({
      id: String(r.accountid).toLowerCase(),
      name: typeof r.name === 'string' ? r.name : '',
      kvk: typeof r.eol_kvk === 'string' ? r.eol_kvk : null,
      vatNumber: typeof r.eol_vatnumber === 'string' ? r.eol_vatnumber : null,
    }));
  }

  save(writes: readonly MirrorWrite[]): Promise<void> {
    return saveMirrorWrites(this.client, writes);
  }

  private list<F>(operation: string, table: Table, map: FieldMap<F>, filter?: string) {
    return this.query(operation, table, selectOfFields(map), filter);
  }

  private async query(operation: string, table: Table, select: string[], filter?: string) {
    const data = await this.client.run(
      operation,
      (api) =>
        api.retrieveAll({
          collection: table.entitySet,
          select: [table.primaryId, ...select],
          ...(filter ? { filter } : {}),
        }),
      { idempotent: true },
    );
    return this.client.parse(operation, z.object({ value: z.array(rowSchema(table, select)) }), data).value;
  }
}

function ofAdministration(table: typeof LAYOUT | typeof RELATION, administrationId: string): string {
  if (!GUID.test(administrationId))
    throw new DataverseValidationError('Dataverse administration id is not a GUID');
  return `${wireName(table, 'eol_administrationid')} eq ${administrationId.toLowerCase()}`;
}

/** Each selected column with its wire schema (a lookup `_x_value` with the lookup's). */
function rowSchema(table: Table, select: string[]) {
  const shape: Record<string, z.ZodType> = { [table.primaryId]: z.string() };
  const columns = table.columns as Record<string, { wire: z.ZodType } | undefined>;
  for (const name of select) {
    const logical = /^_(\w+)_value$/.exec(name)?.[1] ?? name;
    const wire = logical === 'name' && table === ACCOUNT ? z.string().nullish() : columns[logical]?.wire;
    if (!wire) throw new Error(`${table.name} has no column ${logical}`);
    shape[name] = wire;
  }
  return z.object(shape);
}
