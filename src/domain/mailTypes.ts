/** The facts and plan of invoice email from Dynamics 365 (PRODUCT.md §12, issue 15). */
/** Who sends an invoice's email (PRODUCT.md §12): Exact Online (`eol_emailroute` 1) or Dynamics 365 (2). */
export type EmailRoute = 'exact' | 'dynamics';

/** A contact of the relation's Dynamics account flagged `eol_invoicerecipient` (PRODUCT.md §12). */
export interface InvoiceContact {
  contactId: string;
  name: string | null;
  email: string | null;
}

/** What the Dynamics route sends: recipients (validated, duplicates dropped), template, mailbox, review. */
export interface DynamicsMailPlan {
  to: string[];
  cc: string[];
  bcc: string[];
  templateId: string | null;
  mailboxId: string;
  review: boolean;
}
