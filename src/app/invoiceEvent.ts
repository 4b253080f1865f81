/**
 * A change of one sales invoice row in Dynamics, in the connector's words. The Dataverse adapter builds
 * it from the RemoteExecutionContext of a webhook or Service Bus message (src/adapters/dataverse/
 * invoiceChanged.ts); the intake (intake.ts) decides on it. Nothing here names a Dataverse column.
 */

/** The fields whose change starts work (the webhook step's filtering attributes, PRODUCT.md §3). */
export const INVOICE_TRIGGERS = ['exactInvoice', 'autoDispatch', 'resend', 'invoiceDate'] as const;
export type InvoiceTrigger = (typeof INVOICE_TRIGGERS)[number];

export interface InvoiceChanged {
  /** The Dataverse organisation the event came from (selects the tenant). */
  organizationId: string;
  /** Whether the row is a sales invoice; events of other tables start nothing. */
  isInvoice: boolean;
  /** Dataverse's own names of the table and the message, for explanations and claim checks only. */
  tableName: string;
  operationName: string;
  operation: 'create' | 'update' | 'other';
  rowId: string;
  /** Stable id of this operation: the same event delivered twice has the same one. */
  operationKey: string;
  /** The row's administration, when the payload names it. */
  administrationId: string | null;
  /** What the operation changed; null when the payload does not say (truncated above 256 KB). */
  changes: {
    /** The trigger fields it set; Resend only when set to yes (the connector's writeback sets it to no). */
    triggers: InvoiceTrigger[];
    /** A create that already carries a dispatch status: the row was made by the connector's sweep. */
    createdByConnector: boolean;
  } | null;
}
