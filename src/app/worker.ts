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
import { enqueueSplit, retryLater } from './requests';
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
