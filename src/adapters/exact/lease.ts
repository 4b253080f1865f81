/**
 * A lease row shared by all instances: taken by a conditional write (create, or update under the ETag
 * of an expired lease), so exactly one holder at a time. Expiry uses wall time, not Exact's clock: it only
 * protects against a holder that crashed.
 */
import type { TableClient } from '@azure/data-tables';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { IntegrationError } from '../../app/errors';
import { restStatus, toTableStoreError } from '../store/tables';

export interface LeaseOptions {
  /** How long a lease holds without renewal; longer than a refresh call with its retries. */
  ttlMs: number;
  /** Give up waiting for a busy lease after this long. */
  maxWaitMs: number;
  /** Wall clock (epoch ms). */
  wallNow: () => number;
  pause: (ms: number) => Promise<void>;
}

export interface Lease {
  rowKey: string;
  holder: string;
  etag: string;
}

/** Raised when the refresh lease stayed busy longer than `maxWaitMs`; retry later. */
export class ExactLeaseBusyError extends IntegrationError {
  readonly transient = true;
  readonly reason = 'exact_rejected' as const;
}

const LEASES = 'exact-lease';
const LeaseEntitySchema = z.object({ etag: z.string(), leaseUntil: z.number(), holder: z.string() });

const defaults = (o: Partial<LeaseOptions> = {}): LeaseOptions => ({
  ttlMs: o.ttlMs ?? 90_000,
  maxWaitMs: o.maxWaitMs ?? 120_000,
  wallNow: o.wallNow ?? Date.now,
  pause: o.pause ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
});

export async function acquireLease(
  table: TableClient,
  rowKey: string,
  options?: Partial<LeaseOptions>,
): Promise<Lease> {
  const o = defaults(options);
  const holder = randomUUID();
  const deadline = o.wallNow() + o.maxWaitMs;
  for (let round = 0; ; round++) {
    const entity = { partitionKey: LEASES, rowKey, holder, leaseUntil: o.wallNow() + o.ttlMs };
    let current;
    try {
      current = LeaseEntitySchema.parse(await table.getEntity(LEASES, rowKey));
    } catch (err) {
      if (restStatus(err) !== 404) throw toTableStoreError(err, 'read token lease');
    }
    try {
      if (!current) {
        const res = await table.createEntity(entity);
        return { rowKey, holder, etag: res.etag ?? '*' };
      }
      if (current.leaseUntil <= o.wallNow()) {
        const res = await table.updateEntity(entity, 'Replace', { etag: current.etag });
        return { rowKey, holder, etag: res.etag ?? '*' };
      }
    } catch (err) {
      const status = restStatus(err);
      // 409: created by another instance first; 412: taken over by another instance first.
      if (status !== 409 && status !== 412) throw toTableStoreError(err, 'take token lease');
    }
    if (o.wallNow() > deadline)
      throw new ExactLeaseBusyError(`token refresh lease for ${rowKey} stayed busy`);
    await o.pause(Math.min(500, 20 * 2 ** Math.min(round, 4)) + Math.floor(Math.random() * 20));
  }
}

/** Frees the lease at once (instead of at expiry). A lease taken over meanwhile is left alone. */
export async function releaseLease(table: TableClient, lease: Lease): Promise<void> {
  try {
    await table.updateEntity(
      { partitionKey: LEASES, rowKey: lease.rowKey, holder: '', leaseUntil: 0 },
      'Replace',
      { etag: lease.etag },
    );
  } catch {
    // Taken over (412), gone (404) or storage trouble: the lease lapses at its expiry either way, and
    // throwing here would hide the outcome of the work done under it.
  }
}
