/**
 * The Dataverse vocabulary of an invoice event, in one place: which table, which columns start work, and
 * how a RemoteExecutionContext becomes the connector's InvoiceChanged event.
 */
import { INVOICE_TRIGGERS, type InvoiceChanged, type InvoiceTrigger } from '../../app/invoiceEvent';
import {
  parseRemoteExecutionContext,
  type AttributeValue,
  type DataverseEvent,
} from './remoteExecutionContext';

const INVOICE_TABLE = 'eol_salesinvoice';

/** Column of each trigger; also the webhook step's filtering attributes (provisioning). */
export const TRIGGER_COLUMNS: Record<InvoiceTrigger, string> = {
  exactInvoice: 'eol_exactinvoiceid',
  autoDispatch: 'eol_autodispatch',
  resend: 'eol_resend',
  invoiceDate: 'eol_invoicedate',
};
/** Request columns a command sets to yes (docs/decisions/0086): the same trigger as their column's. */
export const REQUEST_COLUMNS: Record<string, InvoiceTrigger> = { eol_sendnow: 'resend' };
export const TRIGGER_ATTRIBUTES = [...Object.values(TRIGGER_COLUMNS), ...Object.keys(REQUEST_COLUMNS)];

const OPERATIONS: Record<string, InvoiceChanged['operation']> = { Create: 'create', Update: 'update' };

export function toInvoiceChanged(e: DataverseEvent): InvoiceChanged {
  const target = e.target;
  return {
    organizationId: e.organizationId,
    isInvoice: e.entityName === INVOICE_TABLE,
    tableName: e.entityName,
    operationName: e.messageName,
    operation: OPERATIONS[e.messageName] ?? 'other',
    rowId: e.entityId,
    operationKey: e.operationKey,
    administrationId: lookupId(target?.eol_administrationid) ?? lookupId(e.postImage?.eol_administrationid),
    changes: target
      ? {
          triggers: INVOICE_TRIGGERS.filter((t) => {
            const column = TRIGGER_COLUMNS[t];
            const requested = Object.entries(REQUEST_COLUMNS).some(
              ([c, trigger]) => trigger === t && target[c] === true,
            );
            return requested || (column in target && (t !== 'resend' || target[column] === true));
          }),
          createdByConnector:
            e.messageName === 'Create' &&
            target.eol_dispatchstatus !== undefined &&
            target.eol_dispatchstatus !== null,
        }
      : null,
  };
}

/** Parses a webhook body or Service Bus message into the connector's event; a specific problem otherwise. */
export function parseInvoiceEvent(
  raw: string,
): { ok: true; event: InvoiceChanged } | { ok: false; problem: string } {
  const parsed = parseRemoteExecutionContext(raw);
  return parsed.ok ? { ok: true, event: toInvoiceChanged(parsed.event) } : parsed;
}

function lookupId(value: AttributeValue | undefined): string | null {
  if (value && typeof value === 'object' && 'id' in value) return value.id ? value.id.toLowerCase() : null;
  return null;
}
