/**
 * The dispatch worker's policy for one delivery of a queue message: run it (a sweep request, or rows to
 * dispatch), and when it fails decide between retrying later, splitting a batch, giving up visibly, and
 * letting the broker redeliver. Returning completes the message; throwing abandons it, and after the
 * queue's maximum delivery count the broker dead-letters it, where it stays visible.
 */
import type { DispatchDeps, DispatchLine } from './dispatch';
import { dispatchInvoices } from './dispatch';
import { IntegrationError } from './errors';
import { markGaveUp } from './gaveUp';
import type { DispatchRequest, RowsRequest } from './ports';
import { enqueueSplit, messageId, retryLater, sessionOf } from './requests';
import { sweepOneAdministration, type SweepDeps } from './sweep';

export interface WorkerDeps {
  dispatch: DispatchDeps;
  sweep: SweepDeps;
  /** The queue's maxDeliveryCount (one source with the infrastructure). */
  maxDeliveryCount: number;
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** What the broker says about this delivery. */
export interface Delivery {
  deliveryCount: number;
  messageId: string;
}

/** One message of a delivery of several (one session's ready messages) and what became of it. */
export interface Delivered {
  request: DispatchRequest;
  delivery: Delivery;
}
export type DeliveryResult = { kind: 'complete' } | { kind: 'abandon'; error: unknown };

/** Rows dispatched in one run at most: one Exact status call answers up to 60 ids, read-backs ride along. */
export const COALESCED_ROWS_MAX = 50;
/**
 * Rows one delivery dispatches before it hands the rest back unattempted: at Exact's 60 prints a minute,
 * 100 rows take under 2 minutes, far inside the lock renewal and the function timeout (10 minutes).
 */
export const DELIVERY_ROWS_MAX = 100;

/**
 * Several messages of one session in one delivery (decision 0100): the rows requests of one administration
 * and trigger go as ONE dispatch (one status confirmation). When that run fails without a retry hint, each
 * of its messages is handled alone, as if it had been delivered alone, so every message keeps its own
 * retry, split and give-up policy. Sweep requests go one by one. One result per message, in order.
 */
export async function handleDeliveries(deps: WorkerDeps, batch: Delivered[]): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  let rows = 0;
  for (const group of coalesce(batch)) {
    if (rows >= DELIVERY_ROWS_MAX) {
      for (const i of group) results[i] = await handBack(deps, batch[i]!);
      continue;
    }
    rows += group.reduce((n, i) => n + rowCount(batch[i]!.request), 0);
    if (group.length === 1) {
      results[group[0]!] = await alone(deps, batch[group[0]!]!);
      continue;
    }
    const merged = mergeRows(group.map((i) => batch[i]!.request as RowsRequest));
    try {
      await dispatchInvoices(deps.dispatch, merged);
      for (const i of group) results[i] = { kind: 'complete' };
    } catch (err) {
      const retryAt = retryHint(err, deps.dispatch.clock.now());
      if (retryAt) {
        await retryLater({ queue: deps.dispatch.queue, now: deps.dispatch.clock.now() }, merged, retryAt);
        for (const i of group) results[i] = { kind: 'complete' };
        continue;
      }
      deps.warn(
        `dispatch: ${group.length} coalesced messages failed together (${err instanceof Error ? err.message : String(err)}); each goes on alone`,
      );
      for (const i of group) results[i] = await alone(deps, batch[i]!);
    }
  }
  return results;
}

const rowCount = (r: DispatchRequest) => (r.kind === 'rows' ? r.rowIds.length : 0);

/** A message this delivery has no time for goes back on its session as it is, unattempted. */
async function handBack(deps: WorkerDeps, d: Delivered): Promise<DeliveryResult> {
  await deps.dispatch.queue.enqueue(d.request, {
    messageId: messageId(d.request.tenantId, 'carry', d.delivery.messageId || d.request.requestedAt),
    sessionId: sessionOf(d.request),
  });
  return { kind: 'complete' };
}

async function alone(deps: WorkerDeps, d: Delivered): Promise<DeliveryResult> {
  try {
    await handleDelivery(deps, d.request, d.delivery);
    return { kind: 'complete' };
  } catch (error) {
    return { kind: 'abandon', error };
  }
}

/** Indexes of the batch in groups: rows of one tenant, administration and trigger (≤ the row cap); sweeps alone. */
function coalesce(batch: Delivered[]): number[][] {
  const groups: number[][] = [];
  const open = new Map<string, { indexes: number[]; rows: Set<string> }>();
  batch.forEach(({ request: r }, i) => {
    if (r.kind !== 'rows') return void groups.push([i]);
    const key = [r.tenantId, r.administrationId, r.division, r.trigger].join('|');
    const g = open.get(key);
    const rows = new Set([...(g?.rows ?? []), ...r.rowIds]);
    if (g && rows.size <= COALESCED_ROWS_MAX) {
      g.indexes.push(i);
      g.rows = rows;
      return;
    }
    const fresh = { indexes: [i], rows: new Set(r.rowIds) };
    open.set(key, fresh);
    groups.push(fresh.indexes);
  });
  return groups;
}

/** One request for the rows of several: the first one's time and operation, every row once. */
function mergeRows(requests: RowsRequest[]): RowsRequest {
  return { ...requests[0]!, rowIds: [...new Set(requests.flatMap((r) => r.rowIds))] };
}

export async function handleDelivery(
  deps: WorkerDeps,
  request: DispatchRequest,
  delivery: Delivery,
): Promise<void> {
  try {
    await run(deps, request);
  } catch (err) {
    const retryAt = retryHint(err, deps.dispatch.clock.now());
    if (retryAt) {
      // A server hint (429 reset, Retry-After): come back then, spending no delivery.
      await retryLater({ queue: deps.dispatch.queue, now: deps.dispatch.clock.now() }, request, retryAt);
      return;
    }
    if (delivery.deliveryCount < deps.maxDeliveryCount) throw err;
    if (await lastDelivery(deps, request, err, delivery)) return;
    throw err;
  }
}

async function run(deps: WorkerDeps, request: DispatchRequest): Promise<DispatchLine[] | void> {
  if (request.kind === 'rows') return dispatchInvoices(deps.dispatch, request);
  const a = await sweepOneAdministration(
    deps.sweep,
    request.administrationId,
    request.sweep === 'full',
    new Date(request.requestedAt),
  );
  deps.info(
    `sweep ${request.tenantId}/${a.division} ${a.name}: ${a.skipped ?? `${a.open} open, ${a.created} rows created, ${a.enqueued} enqueued`}`,
  );
}

/** The instant a transient fault asks to be retried at, when it names one. */
function retryHint(err: unknown, now: Date): Date | null {
  if (!(err instanceof IntegrationError) || !err.transient || err.retryAfterMs === undefined) return null;
  return new Date(now.getTime() + err.retryAfterMs);
}

/**
 * The last delivery failed too. A sweep request carries no invoice (the next tick sweeps again); a batch
 * goes on as one message per invoice, since a long batch meets more faults; a single invoice still waiting
 * is marked `delivery_gave_up` and notified, and the message is dead-lettered. True = completed here.
 */
async function lastDelivery(
  deps: WorkerDeps,
  request: DispatchRequest,
  err: unknown,
  delivery: Delivery,
): Promise<boolean> {
  const why = err instanceof Error ? err.message : String(err);
  if (request.kind === 'sweep') {
    deps.error(
      `sweep ${request.tenantId}/${request.division} failed on all ${deps.maxDeliveryCount} deliveries (${why}); the next tick sweeps it again`,
    );
    return true;
  }
  if (request.rowIds.length > 1) {
    await enqueueSplit(
      deps.dispatch.queue,
      request,
      delivery.messageId || request.requestedAt,
      deps.dispatch.clock.now(),
    );
    deps.warn(
      `dispatch: a batch of ${request.rowIds.length} failed on all ${deps.maxDeliveryCount} deliveries (${why}); re-enqueued one message per invoice`,
    );
    return true;
  }
  await markGaveUp(deps.dispatch, request satisfies RowsRequest, err);
  return false;
}
