import { enqueueEvent, rowsRequest } from './requests';
import type { DataverseEvent } from '../adapters/dataverse/remoteExecutionContext';
import type { Clock, DispatchQueue, DispatchTrigger } from './ports';

/** Attributes whose change starts work (the webhook step's filtering attributes, PRODUCT.md §3). */
export const TRIGGER_ATTRIBUTES = [
  'eol_exactinvoiceid',
  'eol_autodispatch',
  'eol_resend',
  'eol_invoicedate',
] as const;

export type IntakeOutcome =
  { kind: 'enqueued'; messageId: string; sessionId: string } | { kind: 'skipped'; why: string };

/**
 * Decides whether a Dataverse event starts a dispatch, and enqueues it. Never calls Exact or Dataverse:
 * the worker re-reads the row, so a truncated payload needs nothing but the row id.
 *
 * The connector's own writes never start work: its writeback changes only dispatch columns and sets
 * eol_resend to no (ignored below), and the rows the sweep creates carry eol_dispatchstatus, which users
 * never set on create (the sweep dispatches those itself).
 */
export async function acceptInvoiceEvent(
  deps: { queue: DispatchQueue; clock: Clock },
  tenantId: string,
  event: DataverseEvent,
  options: { truncated: boolean; trigger: Extract<DispatchTrigger, 'webhook' | 'servicebus'>; traceparent?: string },
): Promise<IntakeOutcome> {
  if (event.entityName !== 'eol_salesinvoice') {
    return { kind: 'skipped', why: `events of ${event.entityName} do not start a dispatch` };
  }
  if (event.messageName !== 'Create' && event.messageName !== 'Update') {
    return { kind: 'skipped', why: `message ${event.messageName} does not start a dispatch` };
  }
  const target = options.truncated ? null : event.target;
  if (target) {
    if (
      event.messageName === 'Create' &&
      target.eol_dispatchstatus !== undefined &&
      target.eol_dispatchstatus !== null
    ) {
      return { kind: 'skipped', why: 'row created by the connector; the sweep dispatches it' };
    }
    if (event.messageName === 'Update') {
      const changed = TRIGGER_ATTRIBUTES.filter(
        (a) => a in target && (a !== 'eol_resend' || target[a] === true),
      );
      if (changed.length === 0) {
        return {
          kind: 'skipped',
          why: 'no attribute that starts a dispatch changed (e.g. the connector’s own writeback)',
        };
      }
    }
  }
  const admin = lookupId(target?.eol_administrationid) ?? lookupId(event.postImage?.eol_administrationid);
  const request = rowsRequest(tenantId, { id: admin, division: null }, [event.entityId], options.trigger, deps.clock.now(), options.traceparent);
  return { kind: 'enqueued', ...(await enqueueEvent(deps.queue, request, event.operationKey)) };
}

function lookupId(value: unknown): string | null {
  if (value && typeof value === 'object' && 'id' in value) {
    const id = (value as { id: unknown }).id;
    return typeof id === 'string' && id ? id.toLowerCase() : null;
  }
  return null;
}
