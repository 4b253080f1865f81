/**
 * Exact tokens on Azure Table Storage, one row per connection, sealed with AES-256-GCM.
 * Refresh tokens rotate on every use and a second use kills the connection ("Old refresh token used"),
 * so refreshing happens under a lease row shared by all instances, and the token row is re-read inside it
 * (https://github.com/picqer/exact-php-client/issues/381).
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Clock } from '../../app/ports';
import { ensureTable, restStatus, toTableStoreError } from '../store/tables';
import { open, parseTokenKey, seal } from './crypto';
import { ExactAuthError, ExactConnectionLostError, isLostConnection } from './errors';
import type { TokenSink } from './oauth';
import { refreshTokensWithRetry, type OAuthClient } from './tokenEndpoint';
import { acquireLease, releaseLease, type LeaseOptions } from './lease';
import { TOKENS, TokenEntitySchema, needsRefresh, type Cached, type TokenEntity } from './tokenRow';

export { needsRefresh } from './tokenRow';
import type { ExactLog } from './log';

export interface ExactTokenProvider {
  /** A usable access token. `rejected`: the token Exact just answered 401 to (forces a refresh). */
  getAccessToken(connectionId: string, opts?: { rejected?: string }): Promise<string>;
  /** The divisions the connection's consent granted; null for a connection stored before they were kept. */
  grantedDivisions?(connectionId: string): Promise<number[] | null>;
}

export type ConnectionStatus =
  | { state: 'missing' }
  | { state: 'active'; baseUrl: string; issuedAt: Date; expiresAt: Date; userId: string | null }
  | { state: 'lost'; reason: string; lostAt: Date };

export interface TokenStore extends ExactTokenProvider, TokenSink {
  grantedDivisions(connectionId: string): Promise<number[] | null>;
  /** Marks the connection lost (re-consent needed); every caller then gets ExactConnectionLostError. */
  markLost(connectionId: string, reason: string): Promise<void>;
  status(connectionId: string): Promise<ConnectionStatus>;
  /** Refreshes done by this instance (for tests and metrics). */
  refreshCount(): number;
}

export interface TokenStoreOptions {
  table: TableClient;
  /** 32 bytes, base64. */
  encryptionKey: string;
  client: OAuthClient;
  /** Exact's time: decides token age and expiry (the sandbox clock in tests). */
  clock?: Clock;
  lease?: Partial<LeaseOptions>;
  refreshTimeoutMs?: number;
  log?: ExactLog;
  /** Told every token the store reads, stores or receives, so the logger can redact it. */
  onSecret?: (value: string) => void;
}

/**
 * The token endpoint's "not expired" refusal, in either shape Exact uses: 401 "Access Token not expired"
 * (EXACT-REF §1) or 400 access_denied "Rate limit exceeded: access_token not expired" with
 * `Reason: TooEarlyToRefreshTokens` (round2-facts §4.8). mapExactError makes both, and nothing else from
 * the token endpoint, a refreshable ExactAuthError.
 */
const tooEarly = (err: unknown): err is ExactAuthError => err instanceof ExactAuthError && err.refreshable;

export function createTokenStore(opts: TokenStoreOptions): TokenStore {
  const key = parseTokenKey(opts.encryptionKey);
  const table = opts.table;
  const now = (): number => (opts.clock?.now() ?? new Date()).getTime();
  const log: ExactLog = opts.log ?? (() => undefined);
  const cache = new Map<string, Cached>();
  const inflight = new Map<string, Promise<string>>();
  /** Per connection: no refresh before this (epoch ms), after Exact refused one as too early. */
  const holdUntil = new Map<string, number>();
  /** Granted divisions per connection, as last read or stored here. */
  const granted = new Map<string, number[] | null>();
  let refreshes = 0;

  // Every token passes through one of these two: read from the row, or stored after a consent or refresh.
  const secret = (...values: string[]) => values.forEach((v) => opts.onSecret?.(v));
  const unseal = (id: string, row: TokenEntity): { accessToken: string; refreshToken: string } => {
    const parsed = z.object({ a: z.string(), r: z.string() }).parse(JSON.parse(open(key, row.sealed, id)));
    secret(parsed.a, parsed.r);
    return { accessToken: parsed.a, refreshToken: parsed.r };
  };
  const sealPair = (id: string, a: string, r: string): string => (
    secret(a, r),
    seal(key, JSON.stringify({ a, r }), id)
  );

  async function readRow(id: string): Promise<TokenEntity | null> {
    await ensureTable(table);
    try {
      const row = TokenEntitySchema.parse(await table.getEntity(TOKENS, id));
      granted.set(id, row.divisions ? z.array(z.number().int()).parse(JSON.parse(row.divisions)) : null);
      return row;
    } catch (err) {
      if (restStatus(err) === 404) return null;
      throw toTableStoreError(err, 'read Exact token row');
    }
  }

  function usable(id: string, row: TokenEntity | null): TokenEntity {
    if (!row) throw new ExactConnectionLostError(`Exact connection ${id} is not connected`);
    if (row.state === 'lost')
      throw new ExactConnectionLostError(
        `Exact connection ${id} is lost (${row.lostReason ?? 'unknown'}); re-connect needed`,
      );
    return row;
  }

  function remember(id: string, accessToken: string, row: { issuedAt: number; expiresAt: number }): string {
    cache.set(id, { accessToken, issuedAt: row.issuedAt, expiresAt: row.expiresAt });
    return accessToken;
  }

  async function writeLost(id: string, reason: string, etag?: string): Promise<void> {
    cache.delete(id);
    try {
      await table.updateEntity(
        { partitionKey: TOKENS, rowKey: id, state: 'lost', lostReason: reason.slice(0, 500), lostAt: now() },
        'Merge',
        etag ? { etag } : undefined,
      );
    } catch (err) {
      if (restStatus(err) !== 404) throw toTableStoreError(err, 'mark Exact connection lost');
    }
    log('warn', 'exact connection lost', { connectionId: id, reason });
  }

  async function refreshUnderLease(id: string, rejected: string | undefined): Promise<string> {
    const lease = await acquireLease(table, id, opts.lease);
    try {
      const row = usable(id, await readRow(id));
      const current = unseal(id, row);
      const forced = rejected !== undefined && current.accessToken === rejected;
      if (!forced && (rejected !== undefined || !needsRefresh(row, now()))) {
        // Another instance refreshed while we waited for the lease.
        return remember(id, current.accessToken, row);
      }
      const issuedAt = now();
      let answer;
      try {
        answer = await refreshWithRetry(row.baseUrl, current.refreshToken);
      } catch (err) {
        if (isLostConnection(err)) await writeLost(id, (err as Error).message, row.etag);
        if (tooEarly(err)) return keepCurrent(id, rejected, err);
        throw err;
      }
      refreshes++;
      const next = {
        state: 'active' as const,
        baseUrl: row.baseUrl,
        sealed: sealPair(id, answer.access_token, answer.refresh_token),
        issuedAt,
        expiresAt: issuedAt + answer.expires_in * 1000,
        ...(row.divisions ? { divisions: row.divisions, userId: row.userId ?? '' } : {}),
      };
      // Persist before use: a rotated pair that is not stored is a dead connection.
      await persist(id, next, row.etag);
      log('info', 'exact token refreshed', {
        connectionId: id,
        forced,
        expiresAt: new Date(next.expiresAt).toISOString(),
      });
      return remember(id, answer.access_token, next);
    } finally {
      await releaseLease(table, lease);
    }
  }

  const refreshWithRetry = (baseUrl: string, refreshToken: string) =>
    refreshTokensWithRetry(baseUrl, refreshToken, opts.client, opts.refreshTimeoutMs ?? 30_000, now);

  async function persist(id: string, entity: Omit<TokenEntity, 'etag'>, etag: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await table.updateEntity({ partitionKey: TOKENS, rowKey: id, ...entity }, 'Replace', { etag });
        return;
      } catch (err) {
        const status = restStatus(err);
        if (status === 412 || attempt >= 4) {
          log('error', 'exact token could not be stored after refresh', {
            connectionId: id,
            status: status ?? null,
          });
          throw toTableStoreError(err, 'store refreshed Exact token');
        }
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  }

  /**
   * Exact refused the refresh as too early: its clock says the access token is still young. Re-read the
   * store (another instance may have refreshed) and use the current token; ask again no sooner than Exact
   * said. Only a token Exact itself just refused is no answer.
   */
  async function keepCurrent(id: string, rejected: string | undefined, err: ExactAuthError): Promise<string> {
    const row = usable(id, await readRow(id));
    const current = unseal(id, row);
    if (current.accessToken === rejected) throw err;
    holdUntil.set(id, now() + (err.retryAfterMs ?? 30_000));
    log('info', 'exact refused an early token refresh; the current token is used', { connectionId: id });
    return remember(id, current.accessToken, row);
  }
  const due = (id: string, t: { issuedAt: number; expiresAt: number }) =>
    needsRefresh(t, now()) && now() >= (holdUntil.get(id) ?? 0);

  async function slowPath(id: string, rejected: string | undefined): Promise<string> {
    const row = usable(id, await readRow(id));
    const current = unseal(id, row);
    if (rejected === undefined && !due(id, row)) return remember(id, current.accessToken, row);
    if (rejected !== undefined && current.accessToken !== rejected)
      return remember(id, current.accessToken, row);
    return refreshUnderLease(id, rejected);
  }

  return {
    async getAccessToken(id, o) {
      const rejected = o?.rejected;
      const hit = cache.get(id);
      if (hit && rejected === undefined && !due(id, hit)) return hit.accessToken;
      if (hit && rejected !== undefined && hit.accessToken !== rejected && !needsRefresh(hit, now()))
        return hit.accessToken;
      // One refresh per connection per process; concurrent callers share it. A shared result that is the
      // very token Exact just refused is not an answer for this caller: go round once more.
      for (let round = 0; ; round++) {
        let pending = inflight.get(id);
        if (!pending) {
          pending = slowPath(id, rejected).finally(() => inflight.delete(id));
          inflight.set(id, pending);
        }
        const token = await pending;
        if (token !== rejected || round >= 1) return token;
      }
    },

    async save(id, c) {
      await ensureTable(table);
      const issuedAt = now();
      const entity = {
        partitionKey: TOKENS,
        rowKey: id,
        state: 'active',
        baseUrl: c.baseUrl,
        sealed: sealPair(id, c.accessToken, c.refreshToken),
        issuedAt,
        expiresAt: issuedAt + c.expiresInSec * 1000,
        lostReason: '',
        lostAt: 0,
        divisions: c.divisions ? JSON.stringify(c.divisions) : '',
        userId: c.userId ?? '',
      };
      try {
        await table.upsertEntity(entity, 'Replace');
      } catch (err) {
        throw toTableStoreError(err, 'store Exact token');
      }
      cache.set(id, { accessToken: c.accessToken, issuedAt, expiresAt: entity.expiresAt });
      granted.set(id, c.divisions ?? null);
      log('info', 'exact connection stored', { connectionId: id });
    },

    async grantedDivisions(id) {
      if (!granted.has(id)) await readRow(id);
      return granted.get(id) ?? null;
    },

    async markLost(id, reason) {
      await ensureTable(table);
      await writeLost(id, reason);
    },

    async status(id) {
      const row = await readRow(id);
      if (!row) return { state: 'missing' };
      if (row.state === 'lost')
        return { state: 'lost', reason: row.lostReason ?? '', lostAt: new Date(row.lostAt ?? 0) };
      return {
        state: 'active',
        baseUrl: row.baseUrl,
        issuedAt: new Date(row.issuedAt),
        expiresAt: new Date(row.expiresAt),
        userId: row.userId || null,
      };
    },

    refreshCount: () => refreshes,
  };
}
