import { app, type InvocationContext } from '@azure/functions';
import { parseDispatchRequest } from '../src/adapters/queue/dispatchMessage';
import { deliveryOperation } from '../src/app/telemetry';
import { handleDelivery } from '../src/app/worker';
import { getRuntime, tenantById, workerDeps } from '../src/composition/runtime';

/**
 * Dispatch worker (Service Bus queue, sessions = tenant:administration): translates one delivery into the
 * worker policy (src/app/worker.ts). Returning completes the message; throwing abandons it, and the broker
 * dead-letters it after the queue's maximum delivery count.
 */
export async function dispatchWorker(message: unknown, context: InvocationContext): Promise<void> {
  const rt = await getRuntime();
  const messageId = String(context.triggerMetadata?.messageId ?? '');
  const parsed = parseDispatchRequest(message);
  // Nothing here can fix a malformed message or an unknown tenant: it is thrown, so that the broker keeps
  // it in the dead-letter queue (visible, recoverable) once its deliveries are spent.
  if (!parsed.ok) {
    context.error(`dispatch: malformed message ${messageId}: ${parsed.error}`);
    throw new Error(`malformed dispatch request: ${parsed.error}`);
  }
  const tenant = tenantById(rt, parsed.request.tenantId);
  if (!tenant) throw new Error(`unknown tenant ${parsed.request.tenantId}`);
  const deliveryCount = Number(context.triggerMetadata?.deliveryCount ?? 1);
  // The operation the request carries goes on: Exact and Dataverse calls and outcomes join it.
  await rt.telemetry.withOperation(deliveryOperation(parsed.request), () =>
    handleDelivery(workerDeps(rt, tenant), parsed.request, { deliveryCount, messageId }),
  );
}

app.serviceBusQueue('dispatchWorker', {
  connection: 'ServiceBusConnection',
  queueName: '%DispatchQueueName%',
  isSessionsEnabled: true,
  handler: dispatchWorker,
});
