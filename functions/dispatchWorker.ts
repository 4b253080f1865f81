import { createHash } from 'node:crypto';
import { app, type InvocationContext } from '@azure/functions';
import { dispatchInvoices } from '../src/app/dispatch';
import { sweepOneAdministration } from '../src/app/sweep';
import { parseDispatchRequest } from '../src/adapters/queue/dispatchMessage';
import { IntegrationError } from '../src/app/errors';
import type { DispatchRequest } from '../src/app/ports';
import { markGaveUp } from '../src/app/gaveUp';
import { rowIdsOf, sessionFor } from '../src/app/enqueue';
import { dispatchDeps, getRuntime, sweepDeps, tenantById } from '../src/composition/runtime';

/** Service Bus moves a message to the dead-letter queue after this many deliveries (queue default). */
export const MAX_DELIVERY_COUNT = 10;

/**
 * Dispatch worker (Service Bus queue, sessions = tenant:administration). Returning completes the
 * message; throwing abandons it (redelivered, then dead-lettered by the broker). A transient fault with
 * a server hint (429 reset) is re-enqueued for that instant instead, spending no delivery.
 */
export async function dispatchWorker(message: unknown, context: InvocationContext): Promise<void> {
  const rt = await getRuntime();
  const parsed = parseDispatchRequest(message);
  if (!parsed.ok) {
    // Poison: nothing to retry. Throwing would only burn deliveries before the same dead-letter.
    context.error(
      `dispatch: malformed message ${String(context.triggerMetadata?.messageId ?? '')}: ${parsed.error}`,
    );
    throw new Error(`malformed dispatch request: ${parsed.error}`);
  }
  const request = parsed.request;
  const tenant = tenantById(rt, request.tenantId);
  if (!tenant) throw new Error(`unknown tenant ${request.tenantId}`);
  const deliveryCount = Number(context.triggerMetadata?.deliveryCount ?? 1);
  try {
    if (request.sweep && request.administrationId) {
      const a = await sweepOneAdministration(sweepDeps(rt, tenant), request.administrationId, request.sweep === 'full', new Date(request.requestedAt));
      rt.log.info(`sweep ${tenant.name}/${a.division} ${a.name}: ${a.skipped ?? `${a.open} open, ${a.created} rows created, ${a.enqueued} enqueued`}`);
      return;
    }
    await dispatchInvoices(dispatchDeps(rt, tenant), request);
  } catch (err) {
    if (err instanceof IntegrationError && err.transient && err.retryAfterMs !== undefined) {
      const at = new Date(rt.clock.now().getTime() + err.retryAfterMs);
      await rt.queue.enqueue(
        { ...request, trigger: 'retry', requestedAt: rt.clock.now().toISOString() },
        {
          messageId: `${request.tenantId}:${request.rowId ?? (request.sweep ? `sweep:${request.administrationId}` : 'batch')}:retry:${at.getTime()}`,
          sessionId: sessionOf(request, context),
          scheduledFor: at,
        },
      );
      return;
    }
    if (deliveryCount >= MAX_DELIVERY_COUNT) {
      const why = err instanceof Error ? err.message : String(err);
      // A sweep request carries no invoice: nothing to mark, nothing for anyone to handle in the
      // dead-letter queue. The next tick sweeps the administration again.
      if (request.sweep) {
        rt.log.error(`sweep ${tenant.name}/${request.division ?? ''} failed on all ${MAX_DELIVERY_COUNT} deliveries (${why}); the next tick sweeps it again`);
        return;
      }
      // A batch that keeps failing goes on as one message per invoice before anything gives up:
      // a long batch is exposed to more faults, and only an invoice that fails on its own is marked.
      const rows = rowIdsOf(request);
      if (rows.length > 1) {
        // Service Bus message ids are at most 128 characters: the batch's id is carried as a short hash.
        const batchId = createHash('sha256').update(String(context.triggerMetadata?.messageId ?? request.requestedAt)).digest('hex').slice(0, 16);
        for (const rowId of rows) {
          // The trigger stays: a resend batch split up is still a resend.
          await rt.queue.enqueue(
            { ...request, rowId, rowIds: [], requestedAt: rt.clock.now().toISOString() },
            { messageId: `${request.tenantId}:split:${batchId}:${rowId}`, sessionId: sessionOf(request, context) },
          );
        }
        rt.log.warn(`dispatch: a batch of ${rows.length} failed on all ${MAX_DELIVERY_COUNT} deliveries (${why}); re-enqueued one message per invoice`);
        return;
      }
      await markGaveUp(dispatchDeps(rt, tenant), request, err);
    }
    throw err;
  }
}

/** The session the message came on; re-enqueued work stays in it. */
function sessionOf(request: DispatchRequest, context: InvocationContext): string {
  const delivered = context.triggerMetadata?.sessionId;
  return typeof delivered === 'string' && delivered ? delivered : sessionFor(request.tenantId, request.administrationId, request.rowId);
}

app.serviceBusQueue('dispatchWorker', {
  connection: 'ServiceBusConnection',
  queueName: '%DispatchQueueName%',
  isSessionsEnabled: true,
  handler: dispatchWorker,
});
