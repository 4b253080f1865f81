/**
 * Pending OAuth `state` values, stored (not only signed) so each is usable once: `take` deletes the row
 * under its ETag, and only one caller can win that delete.
 */
import type { TableClient } from '@azure/data-tables';
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

/** In-memory variant for local runs without storage; single process only. */
export function createMemoryStateStore(): OAuthStateStore {
  const rows = new Map<string, PendingState>();
  return {
    async put(state, pending) {
      rows.set(state, pending);
    },
    async take(state) {
      const row = rows.get(state) ?? null;
      rows.delete(state);
      return row;
    },
  };
}
