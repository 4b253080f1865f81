import { app, type InvocationContext } from '@azure/functions';
import { receivedMessages, type Received } from '../src/adapters/queue/batchDelivery';
import { parseDispatchRequest } from '../src/adapters/queue/dispatchMessage';
import { deliveryOperation } from '../src/app/telemetry';
import { handleDeliveries, type Delivered, type DeliveryResult } from '../src/app/worker';
import { getRuntime, tenantById, workerDeps } from '../src/composition/runtime';

/**
 * Dispatch worker (Service Bus queue, sessions = tenant:administration): the ready messages of one session
 * come in one delivery and go to the worker policy (src/app/worker.ts, decision 0100), one result each.
 */
export async function dispatchReceived(
  received: Received[],
  logError: (line: string) => void,
): Promise<DeliveryResult[]> {
  const rt = await getRuntime();
  const results: DeliveryResult[] = [];
  const byTenant = new Map<string, Array<Delivered & { index: number }>>();
  received.forEach((m, index) => {
    const parsed = parseDispatchRequest(m.body);
    // Nothing here can fix a malformed message or an unknown tenant: it is abandoned, so that the broker
    // keeps it in the dead-letter queue (visible, recoverable) once its deliveries are spent.
    if (!parsed.ok) {
      logError(`dispatch: malformed message ${m.messageId}: ${parsed.error}`);
      results[index] = { kind: 'abandon', error: new Error(`malformed dispatch request: ${parsed.error}`) };
    } else if (!tenantById(rt, parsed.request.tenantId)) {
      results[index] = { kind: 'abandon', error: new Error(`unknown tenant ${parsed.request.tenantId}`) };
    } else {
      const delivery = { deliveryCount: m.deliveryCount, messageId: m.messageId };
      const list = byTenant.get(parsed.request.tenantId) ?? [];
      byTenant.set(parsed.request.tenantId, [...list, { request: parsed.request, delivery, index }]);
    }
  });
  for (const [tenantId, list] of byTenant) {
    const deps = workerDeps(rt, tenantById(rt, tenantId)!);
    // The operation the first request carries goes on: Exact and Dataverse calls and outcomes join it.
    const out = await rt.telemetry.withOperation(deliveryOperation(list[0]!.request), () =>
      handleDeliveries(deps, list),
    );
    out.forEach((r, j) => (results[list[j]!.index] = r));
  }
  return results;
}

/**
 * The Functions host settles a delivery as a whole (no per-message settlement in Node without the preview
 * SDK binding): returning completes every message; one message to abandon throws, and the broker
 * redelivers them all — the ones already dispatched then find their invoices settled in the ledger.
 */
export async function dispatchWorker(messages: unknown, context: InvocationContext): Promise<void> {
  const results = await dispatchReceived(receivedMessages(messages, context.triggerMetadata), (line) =>
    context.error(line),
  );
  const failed = results.find((r) => r.kind === 'abandon');
  if (failed?.kind === 'abandon') throw failed.error;
}

app.serviceBusQueue('dispatchWorker', {
  connection: 'ServiceBusConnection',
  queueName: '%DispatchQueueName%',
  isSessionsEnabled: true,
  cardinality: 'many',
  handler: dispatchWorker,
});
