import { app, type InvocationContext } from '@azure/functions';
import { dispatchInvoices } from '../src/app/dispatch';
import { sweepOneAdministration } from '../src/app/sweep';
import { parseDispatchRequest } from '../src/adapters/queue/dispatchMessage';
import { IntegrationError } from '../src/app/errors';
import { markGaveUp } from '../src/app/gaveUp';
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
          sessionId: String(
            context.triggerMetadata?.sessionId ??
              `${request.tenantId}:${request.administrationId ?? request.rowId}`,
          ),
          scheduledFor: at,
        },
      );
      return;
    }
    // A sweep request has no invoice to mark: the next tick sweeps the administration again.
    if (deliveryCount >= MAX_DELIVERY_COUNT && !request.sweep) {
      await markGaveUp(dispatchDeps(rt, tenant), request, err);
    }
    throw err;
  }
}

app.serviceBusQueue('dispatchWorker', {
  connection: 'ServiceBusConnection',
  queueName: '%DispatchQueueName%',
  isSessionsEnabled: true,
  handler: dispatchWorker,
});
