import { enqueueEvent, rowsRequest } from './requests';
import type { InvoiceChanged } from './invoiceEvent';
import type { Clock, DispatchQueue, DispatchTrigger } from './ports';

export type IntakeOutcome =
  { kind: 'enqueued'; messageId: string; sessionId: string } | { kind: 'skipped'; why: string };

/**
 * Decides whether a change of an invoice row starts a dispatch, and enqueues it. Never calls Exact or
 * Dataverse: the worker re-reads the row, so a truncated payload needs nothing but the row id.
 *
 * The connector's own writes never start work: its writeback changes only dispatch fields and sets
 * Resend to no (not a trigger), and the rows the sweep creates carry a dispatch status, which users
 * never set on create (the sweep dispatches those itself).
 */
export async function acceptInvoiceEvent(
  deps: { queue: DispatchQueue; clock: Clock; eventWindowMs?: number },
  tenantId: string,
  event: InvoiceChanged,
  options: {
    truncated: boolean;
    trigger: Extract<DispatchTrigger, 'webhook' | 'servicebus'>;
    traceparent?: string;
  },
): Promise<IntakeOutcome> {
  if (!event.isInvoice)
    return { kind: 'skipped', why: `events of ${event.tableName} do not start a dispatch` };
  if (event.operation === 'other') {
    return { kind: 'skipped', why: `message ${event.operationName} does not start a dispatch` };
  }
  const changes = options.truncated ? null : event.changes;
  if (changes?.createdByConnector) {
    return { kind: 'skipped', why: 'row created by the connector; the sweep dispatches it' };
  }
  if (changes && event.operation === 'update' && changes.triggers.length === 0) {
    return {
      kind: 'skipped',
      why: 'no attribute that starts a dispatch changed (e.g. the connector’s own writeback)',
    };
  }
  const request = rowsRequest(
    tenantId,
    { id: event.administrationId, division: null },
    [event.rowId],
    options.trigger,
    deps.clock.now(),
    options.traceparent,
  );
  return {
    kind: 'enqueued',
    ...(await enqueueEvent(deps.queue, request, event.operationKey, deps.eventWindowMs)),
  };
}
