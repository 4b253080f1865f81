/**
 * The Peppol lookup's cache on Azure Table Storage (issue 16, decision 0081): one row per participant and
 * document type. A registered answer is kept 24 h, a not-registered (or other-documents-only) answer 1 h;
 * an unknown answer is never kept, so the next dispatch asks the network again. PartitionKey is the document
 * type, RowKey the lower-cased participant id, percent-encoded (RowKey forbids `/ \ # ?`).
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { ParticipantLookup, PeppolDirectory } from '../../app/peppol/ports';
import type { Clock } from '../../app/ports';
import type { PeppolDocument } from '../../domain/peppol';
import { createTableClient, ensureTable, type TableConnection } from './tables';

export const DEFAULT_PEPPOL_CACHE_TABLE = 'peppolLookups';
export const PEPPOL_CACHE_TTL = { registeredMs: 24 * 3600_000, notRegisteredMs: 3600_000 } as const;

const Row = z.object({
  answer: z.enum(['registered', 'notRegistered', 'wrongDocumentType']),
  expiresAt: z.coerce.date(),
  dnsName: z.string(),
  naptrUrl: z.string().optional(),
  smpUrls: z.string(),
});

export interface PeppolCacheOptions {
  clock?: Clock;
  ttl?: { registeredMs: number; notRegisteredMs: number };
}

export function createPeppolCacheClient(
  connection: TableConnection,
  table = DEFAULT_PEPPOL_CACHE_TABLE,
): TableClient {
  return createTableClient(connection, table);
}

/**
 * `inner` behind the cache. Lookups of one key in flight at once share one network call. The cache is an
 * optimisation: when Table Storage cannot be read or written, the network is asked as if nothing was cached.
 */
export function cachedPeppolDirectory(
  inner: PeppolDirectory,
  client: TableClient,
  options: PeppolCacheOptions = {},
): PeppolDirectory {
  const clock = options.clock ?? { now: () => new Date() };
  const ttl = options.ttl ?? PEPPOL_CACHE_TTL;
  const inFlight = new Map<string, Promise<ParticipantLookup>>();
  const lookUp = async (participant: string, document: PeppolDocument): Promise<ParticipantLookup> => {
    const rowKey = encodeURIComponent(participant.trim().toLowerCase());
    const hit = await read(client, document, rowKey, clock.now());
    if (hit) return { participant, answer: { kind: hit.answer }, path: pathOf(hit) };
    const fresh = await inner.lookup(participant, document);
    if (fresh.answer.kind !== 'unknown') {
      const keepMs = fresh.answer.kind === 'registered' ? ttl.registeredMs : ttl.notRegisteredMs;
      await write(client, document, rowKey, fresh, new Date(clock.now().getTime() + keepMs));
    }
    return fresh;
  };
  return {
    lookup(participant, document) {
      const key = `${document}|${participant.trim().toLowerCase()}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = lookUp(participant, document).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

type CachedRow = z.infer<typeof Row>;

async function read(
  client: TableClient,
  document: string,
  rowKey: string,
  now: Date,
): Promise<CachedRow | null> {
  try {
    await ensureTable(client);
    const entity = await client.getEntity(document, rowKey);
    const row = Row.safeParse(entity);
    return row.success && row.data.expiresAt.getTime() > now.getTime() ? row.data : null;
  } catch {
    return null;
  }
}

async function write(
  client: TableClient,
  document: string,
  rowKey: string,
  lookup: ParticipantLookup,
  expiresAt: Date,
): Promise<void> {
  try {
    await ensureTable(client);
    await client.upsertEntity(
      {
        partitionKey: document,
        rowKey,
        answer: lookup.answer.kind,
        expiresAt,
        dnsName: lookup.path.dnsName,
        ...(lookup.path.naptrUrl ? { naptrUrl: lookup.path.naptrUrl } : {}),
        smpUrls: JSON.stringify(lookup.path.smpUrls),
      },
      'Replace',
    );
  } catch {
    // Not kept: the next lookup asks the network again.
  }
}

function pathOf(row: CachedRow): ParticipantLookup['path'] {
  const urls = z.array(z.string()).safeParse(jsonOrNull(row.smpUrls));
  return {
    dnsName: row.dnsName,
    naptrUrl: row.naptrUrl ?? null,
    smpUrls: urls.success ? urls.data : [],
    cached: true,
  };
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
