/**
 * Invoice email from Dynamics 365 (issue 15, PRODUCT.md §12): what the mail step needs from Exact (the
 * document it printed) and from Dataverse (template, email activity, attachment, send, status). Adapters:
 * src/adapters/exact/documents.ts and src/adapters/dataverse/mail.ts. Errors are IntegrationError subclasses.
 */
import type { DynamicsMailPlan, InvoiceContact } from '../../domain/types';

/** The invoice's PDF as Exact made it when printing (`documents/Documents` + `DocumentAttachments`). */
export interface InvoiceDocument {
  /** Exact's `Documents.ID`. */
  documentId: string;
  /** `Documents.SalesInvoiceNumber`: the number Exact assigned at printing. */
  invoiceNumber: number | null;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

export interface ExactDocuments {
  /**
   * The document Exact made for a printed invoice: found by `FinancialTransactionEntryID` = the invoice id
   * (so a lost print answer does not lose it), its PDF from `DocumentAttachments`. null: Exact has none
   * (not printed). Needs Exact's "Organization documents" scope; without it a permanent error says so.
   */
  invoiceDocument(division: number, invoiceId: string): Promise<InvoiceDocument | null>;
}

/** Where an email activity stands, from Dataverse's `statecode`/`statuscode` on `email`. */
export type MailState =
  /** statuscode 1: created, not sent (a review draft, or a send still to do). */
  | { kind: 'draft' }
  /** statuscode 6 Pending Send / 7 Sending: handed to server-side synchronization, not out yet. */
  | { kind: 'pending' }
  /** statuscode 3 Sent: server-side synchronization sent it. */
  | { kind: 'sent'; at: Date | null }
  /** statuscode 8 Failed (server-side synchronization could not send it). */
  | { kind: 'failed'; detail: string | null }
  /** statuscode 5 Canceled, or 2 Completed without being sent: nobody sent it. */
  | { kind: 'canceled' }
  /** The email no longer exists (a person deleted the draft). */
  | { kind: 'missing' };

/** One recipient: the address, and the Dataverse record it belongs to when known (shown on its timeline). */
export interface MailParty {
  address: string;
  contactId?: string | null;
  accountId?: string | null;
}

export interface NewMail {
  /** Chosen by the connector (stable per invoice and copy): a second create finds it instead of adding one. */
  id: string;
  subject: string;
  bodyHtml: string;
  /** The administration's mailbox (`queue`): the sender. */
  mailboxId: string;
  to: MailParty[];
  cc: MailParty[];
  bcc: MailParty[];
  /** `eol_salesinvoice` row the email is regarding. */
  regardingInvoiceRowId: string;
}

export interface MailAttachment {
  /** Chosen by the connector (stable per email): attaching twice keeps one. */
  id: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

export interface RenderedTemplate {
  subject: string;
  bodyHtml: string;
}

export interface DynamicsMail {
  /** `InstantiateTemplate` of the template for the invoice row (`eol_salesinvoice`): subject and body. */
  render(templateId: string, invoiceRowId: string): Promise<RenderedTemplate>;
  /** Creates the email as a draft unless one with its id exists (`PATCH emails(id)`, `If-None-Match: *`). */
  createDraft(mail: NewMail): Promise<'created' | 'exists'>;
  /** Attaches the PDF (`activitymimeattachment`) unless an attachment with its id exists. */
  attach(emailId: string, attachment: MailAttachment): Promise<'created' | 'exists'>;
  /** `SendEmail` with `IssueSend: true`: hands a draft to server-side synchronization. */
  send(emailId: string): Promise<void>;
  /** The states of several emails, in as few reads as the adapter can (absent ids: `missing`). */
  states(emailIds: string[]): Promise<Map<string, MailState>>;
  /** Contacts of these Dynamics accounts with `eol_invoicerecipient` = yes, by account id. */
  invoiceContacts(accountIds: string[]): Promise<Map<string, InvoiceContact[]>>;
}

/** Where an invoice's email from Dynamics 365 stands; kept with the claim so a crash resumes, never repeats. */
export interface LedgerMail {
  /** The email activity's id, chosen by the connector from the invoice and the copy. */
  emailId: string;
  /** 0 for the invoice's first email, 1… for copies sent again on Resend. */
  copy: number;
  /** The email exists with its PDF attached. */
  prepared: boolean;
  /** `SendEmail` was called (by the connector, or a person sent the reviewed draft). */
  handedOver: boolean;
  plan: DynamicsMailPlan;
}
