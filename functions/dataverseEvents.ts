import { app, type InvocationContext } from '@azure/functions';
import { acceptInvoiceEvent } from '../src/app/intake';
import { parseInvoiceEvent } from '../src/adapters/dataverse/invoiceChanged';
import { getRuntime } from '../src/composition/runtime';

/**
 * Dataverse's own Service Bus integration (queue contract, message format JSON): the body is the same
 * RemoteExecutionContext as the webhook's, the claims arrive as application properties.
 *
 * There is no key on this path: whoever can send to the queue is trusted, so the queue is the trust
 * boundary (one queue per deployment, send rights for the tenants' Dataverse endpoints only, decision
 * 0021). The payload's OrganizationId still selects the tenant, and an organisation this deployment does
 * not serve is refused. A message that can never be accepted (malformed, unknown organisation, claims
 * contradicting the body) throws a PermanentEventError: Functions abandons it, the broker redelivers it
 * until maxDeliveryCount and then dead-letters it, where an operator finds it with this message.
 */
const CLAIMS = 'http://schemas.microsoft.com/xrm/2011/Claims/';

/** Raised for a message no retry can make acceptable; the broker dead-letters it after its deliveries. */
export class PermanentEventError extends Error {
  readonly permanent = true;
}

/** Application properties from the trigger metadata: `applicationProperties`, or `userProperties` on older hosts. */
export function claimProperties(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const pick = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return { ...pick(meta?.userProperties), ...pick(meta?.applicationProperties) };
}

function bodyText(message: unknown): string | null {
  if (typeof message === 'string') return message;
  if (Buffer.isBuffer(message) || message instanceof Uint8Array) return Buffer.from(message).toString('utf8');
  // The worker has already JSON-parsed a JSON body; the schema wants the text, as on the webhook.
  // A body nested too deep to serialise again (RangeError) is no event either.
  try {
    return JSON.stringify(message) ?? '';
  } catch {
    return null;
  }
}

export async function dataverseEvents(message: unknown, context: InvocationContext): Promise<void> {
  const rt = await getRuntime();
  const props = claimProperties(context.triggerMetadata);
  const messageId = String(context.triggerMetadata?.messageId ?? '');
  const text = bodyText(message);
  const parsed =
    text === null ? { ok: false as const, problem: 'body nests too deep' } : parseInvoiceEvent(text);
  if (!parsed.ok) {
    throw new PermanentEventError(
      `Service Bus message ${messageId}: malformed RemoteExecutionContext (${parsed.problem}); is the service endpoint's message format JSON (2)?`,
    );
  }
  const event = parsed.event;
  const tenant = rt.tenants.find((t) => t.settings.OrganizationId.toLowerCase() === event.organizationId);
  if (!tenant)
    throw new PermanentEventError(
      `Service Bus message ${messageId}: organisation ${event.organizationId} is not a tenant of this deployment`,
    );
  for (const [claim, value] of [
    ['EntityLogicalName', event.tableName],
    ['RequestName', event.operationName],
  ] as const) {
    const said = props[`${CLAIMS}${claim}`];
    if (typeof said === 'string' && said && said.toLowerCase() !== value.toLowerCase()) {
      throw new PermanentEventError(
        `Service Bus message ${messageId}: claim ${claim} '${said}' contradicts the body ('${value}')`,
      );
    }
  }
  const truncated = Object.keys(props).some((k) => k.includes('MessageMaxSizeExceeded'));
  // Service Bus senders put the W3C traceparent in `Diagnostic-Id`; the operation goes on with the request.
  const traceparent = [props['Diagnostic-Id'], props.traceparent].find(
    (v): v is string => typeof v === 'string',
  );
  const outcome = await rt.telemetry.withOperation(
    { name: 'dataverse event', tenant: tenant.name, traceparent },
    (carried) =>
      acceptInvoiceEvent(
        { queue: rt.queue, clock: rt.clock, eventWindowMs: rt.settings.EventWindowMs },
        tenant.name,
        event,
        {
          trigger: 'servicebus',
          truncated,
          traceparent: carried,
        },
      ),
  );
  context.log(
    outcome.kind === 'enqueued'
      ? `dataverse event ${event.operationName} ${event.tableName} ${event.rowId} of ${tenant.name}${truncated ? ' (truncated: the row is re-read)' : ''}: dispatch ${outcome.messageId} enqueued`
      : `dataverse event ${event.operationName} ${event.tableName} ${event.rowId} of ${tenant.name}: skipped, ${outcome.why}`,
  );
}

app.serviceBusQueue('dataverseEvents', {
  connection: 'ServiceBusConnection',
  queueName: '%DataverseEventsQueueName%',
  handler: dataverseEvents,
});
