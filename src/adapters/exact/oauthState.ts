/**
 * Pending OAuth `state` values, stored (not only signed) so each is usable once: `take` deletes the row
 * under its ETag, and only one caller can win that delete.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { ensureTable, restStatus, toTableStoreError } from '../store/tables';

export interface PendingState {
  connectionId: string;
  baseUrl: string;
  redirectUri: string;
  /** epoch ms */
  expiresAt: number;
  /** Digest of the key the initiating browser holds (cookie); the callback must bring that key. */
  browser: string;
}

export interface OAuthStateStore {
  put(state: string, pending: PendingState): Promise<void>;
  /** The pending record, removed; null when unknown or already taken. */
  take(state: string): Promise<PendingState | null>;
}

const PARTITION = 'oauth-state';
/** How long a started consent may take; a state row is kept no longer. */
export const STATE_TTL_MS = 10 * 60_000;
/** Expired rows removed per new state: consents abandoned since the last one, in any normal use. */
const PURGE_BATCH = 100;
const PendingStateEntitySchema = z.object({
  connectionId: z.string(),
  baseUrl: z.string(),
  redirectUri: z.string(),
  expiresAt: z.number(),
  browser: z.string().default(''),
  etag: z.string(),
});

/** Row keys may not hold `/ \ # ?`; base64url states never do, anything else is refused as unknown. */
const STATE_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

export function createTableStateStore(table: TableClient): OAuthStateStore {
  return {
    async put(state, pending) {
      await ensureTable(table);
      try {
        await table.createEntity({ partitionKey: PARTITION, rowKey: state, ...pending });
      } catch (err) {
        throw toTableStoreError(err, 'store OAuth state');
      }
      await purgeExpired(table, pending.expiresAt - STATE_TTL_MS);
    },
    async take(state) {
      if (!STATE_SHAPE.test(state)) return null;
      await ensureTable(table);
      let row;
      try {
        row = PendingStateEntitySchema.parse(await table.getEntity(PARTITION, state));
      } catch (err) {
        if (restStatus(err) === 404) return null;
        throw toTableStoreError(err, 'read OAuth state');
      }
      try {
        await table.deleteEntity(PARTITION, state, { etag: row.etag });
      } catch (err) {
        const status = restStatus(err);
        if (status === 404 || status === 412) return null;
        throw toTableStoreError(err, 'consume OAuth state');
      }
      return {
        connectionId: row.connectionId,
        baseUrl: row.baseUrl,
        redirectUri: row.redirectUri,
        expiresAt: row.expiresAt,
        browser: row.browser,
      };
    },
  };
}

/**
 * Removes states that expired before `now`: consents started and never finished would otherwise stay
 * forever. Best effort: a failed purge never fails the connect that triggered it (the next one retries).
 */
async function purgeExpired(table: TableClient, now: number): Promise<void> {
  try {
    const filter = odata`PartitionKey eq ${PARTITION} and expiresAt lt ${now}`;
    let n = 0;
    for await (const row of table.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      if (row.rowKey) await table.deleteEntity(PARTITION, row.rowKey).catch(() => undefined);
      if (++n >= PURGE_BATCH) break;
    }
  } catch {
    // See above.
  }
}

/** In-memory variant for local runs without storage; single process only. */
export function createMemoryStateStore(): OAuthStateStore {
  const rows = new Map<string, PendingState>();
  return {
    async put(state, pending) {
      for (const [key, row] of rows) if (row.expiresAt < pending.expiresAt - STATE_TTL_MS) rows.delete(key);
      rows.set(state, pending);
    },
    async take(state) {
      const row = rows.get(state) ?? null;
      rows.delete(state);
      return row;
    },
  };
}
