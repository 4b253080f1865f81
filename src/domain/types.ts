/**
 * The facts the decision is made from, and the decision itself.
 * Pure data: no I/O, no clock. Values mirror PRODUCT.md §2 (Dataverse choice values, Exact codes).
 */
import type { DefinitiveAnswer } from './peppol';
import type { DynamicsMailPlan, EmailRoute, InvoiceContact } from './mailTypes';

export type { DynamicsMailPlan, EmailRoute, InvoiceContact } from './mailTypes';
import type { MessageFacts } from './messageFacts';

export type { MessageFacts } from './messageFacts';

export { CHANNEL_CODE, CHANNELS, type Channel, type RecipientSource } from './channels';
import type { Channel, RecipientSource } from './channels';

/** Invoice method (Factuurwijze), Exact's `Accounts.InvoicingMethod` codes; 0 = automatic (best channel). */
export const INVOICE_METHOD = { automatic: 0, paper: 1, email: 2, postbox: 4, peppol: 32 } as const;
export type InvoiceMethod = (typeof INVOICE_METHOD)[keyof typeof INVOICE_METHOD];

/** `eol_source`: 1 sales order, 2 recurring, 3 manual, 4 other application. */
export const SOURCE = { salesOrder: 1, recurring: 2, manual: 3, otherApplication: 4 } as const;
export type Source = (typeof SOURCE)[keyof typeof SOURCE];

/** `eol_dispatchstatus`. */
export const DISPATCH_STATUS = {
  waiting: 1,
  scheduled: 2,
  sending: 3,
  sent: 4,
  ignored: 5,
  failed: 6,
  optedOut: 7,
  /** A draft invoice email waits for a person to review and send it in Dynamics 365 (PRODUCT.md §12). */
  review: 8,
  /** Paper: processed onto Exact's print list, to be printed and posted by the office (not sent yet). */
  printList: 9,
} as const;
export type DispatchStatusName = keyof typeof DISPATCH_STATUS;
export type DispatchStatus = (typeof DISPATCH_STATUS)[DispatchStatusName];

/** `eol_timing`: 1 as soon as ready, 2 on the invoice date at 00:05 local time. */
export type Timing = 'immediate' | 'onInvoiceDate';

/** Exact `SalesInvoices.Status`: 10 draft, 20 open (PRODUCT.md §4: the only one sent), 50 processed. */
export const EXACT_STATUS = { draft: 10, open: 20, processed: 50 } as const;
export type ExactInvoiceStatus = (typeof EXACT_STATUS)[keyof typeof EXACT_STATUS];

export type Language = 'nl' | 'en';

/** Licence features; `sales` covers sources 1 (sales order), 3 (manual) and 4 (other application); `recurring` covers 2. */
export type LicenceFeature = 'sales' | 'recurring';

export type LicenceCheck =
  | {
      ok: true;
      licenceId: string;
      organizationId: string;
      features: LicenceFeature[];
      notBefore: Date | null;
      expiresAt: Date;
    }
  | {
      ok: false;
      reason: 'licence_missing' | 'licence_invalid' | 'licence_wrong_tenant' | 'licence_expired';
      /** Safe detail for operators (never the token itself). */
      detail?: string;
    };

export interface AdministrationFacts {
  /** Dataverse `eol_administrationid`. */
  id: string;
  name: string;
  division: number;
  printInvoices: boolean;
  sources: Source[];
  channels: Channel[];
  timing: Timing;
  /** IANA zone, default Europe/Amsterdam. */
  timeZone: string;
  defaultInvoiceMethod: InvoiceMethod | null;
  defaultLayout: string | null;
  defaultEmailLayout: string | null;
  /** The default layout's mirror row says Exact no longer has it (PRODUCT.md §11). */
  defaultLayoutGone?: boolean;
  defaultEmailLayoutGone?: boolean;
  /** Mirrored names of the layouts it points at, by Exact layout GUID. */
  layoutNames?: Record<string, string>;
  senderEmail: string | null;
  extraText: string | null;
  notifyEmail: string | null;
  /** `eol_peppolrequired`: an invoice to a receiver not on Peppol fails before printing (issue 16, decision 0082). */
  peppolRequired?: boolean;
  /** `eol_activefrom` (YYYY-MM-DD): invoices dated before it are the backlog, left alone (before_activation). */
  activeFrom?: string | null;
  /** Issue 15, PRODUCT.md §12: who sends invoice email (`eol_emailroute`, default Exact). */
  emailRoute?: EmailRoute | null;
  /** `eol_emailtemplateid`: the Dataverse email template (`template`) the Dynamics route renders. */
  emailTemplateId?: string | null;
  /** `eol_mailboxid`: the Dataverse mailbox (`queue`) the Dynamics route sends from. */
  mailboxId?: string | null;
  /** `eol_emailreview`: leave a draft for a person to review and send instead of sending it. */
  emailReview?: boolean;
  /** `eol_emailcc` / `eol_emailbcc`: `;`-separated addresses copied on every invoice email of the Dynamics route. */
  emailCc?: string | null;
  emailBcc?: string | null;
}

export interface RelationFacts {
  /** Dataverse `eol_relationid`. */
  id: string;
  name: string;
  exactAccountId: string;
  autoInvoice: boolean;
  invoiceMethod: InvoiceMethod | null;
  printAndSend: boolean;
  layout: string | null;
  emailLayout: string | null;
  /** `;`-separated list as entered. */
  invoiceEmail: string | null;
  /** `scheme:value`, e.g. `0106:12345678`. */
  peppolId: string | null;
  /** The layout's mirror row says Exact no longer has it (PRODUCT.md §11). */
  layoutGone?: boolean;
  emailLayoutGone?: boolean;
  /** Mirrored names of the layouts it points at, by Exact layout GUID. */
  layoutNames?: Record<string, string>;
  /** The method of the relation's invoice account (`eol_invoiceaccountid`), for a relation without one. */
  invoiceAccountMethod?: InvoiceMethod | null;
  /** The written-back fields as Exact held them at the last sync (decision 0076); absent: never synced. */
  exactBase?: {
    invoiceMethod: number | null;
    invoiceEmail: string | null;
    peppolId: string | null;
    /** The relation's sync-conflict text as it stands (a write-back rewrites it only when it changes). */
    conflict?: string | null;
  };
  /** Identifiers the Peppol lookup may try (mirrored from Exact's account, PRODUCT.md §11, §13). */
  kvk?: string | null;
  oin?: string | null;
  vatNumber?: string | null;
  /** ISO 3166 alpha-2. */
  country?: string | null;
  /** The relation's own `eol_emailroute` / `eol_emailreview`; null or absent = the administration's. */
  emailRoute?: EmailRoute | null;
  emailReview?: boolean | null;
  /** The linked Dynamics `account` (`eol_accountid`), where the email is shown and its contacts live. */
  accountId?: string | null;
  /** The invoice account's `eol_invoiceemail` (`eol_invoiceaccountid`), for a relation invoiced through it. */
  invoiceAccountEmail?: string | null;
  /** The linked account's contacts with `eol_invoicerecipient` = yes (loaded for the Dynamics route). */
  invoiceContacts?: InvoiceContact[];
}

export interface InvoiceFacts {
  exactInvoiceId: string;
  division: number;
  /** Dataverse `eol_salesinvoiceid`, when a row exists. */
  rowId: string | null;
  invoiceNumber: number | null;
  /** Date only, `YYYY-MM-DD`, as the invoice carries it. */
  invoiceDate: string;
  source: Source;
  autoDispatch: boolean;
  extraText: string | null;
  /** Status in Exact as last read; null = not found in Exact. */
  exactStatus: ExactInvoiceStatus | null;
  /** Exact `InvoiceToName`, used in messages when no relation row exists. */
  customerName?: string | null;
  /** AutoInvoice's ledger shows its own print of this invoice (a claim that reached Exact). */
  printedByAutoInvoice?: boolean;
  /** Exact's `Type` says credit note (8021 sales credit note, 8024 direct credit note); known once Exact was asked. */
  creditNote?: boolean;
  /** `eol_recipients`: `;`-separated recipients for this invoice only (Dynamics route), overriding the relation's. */
  recipients?: string | null;
}

export interface ExactReceiver {
  /** Exact's account GUID (the invoice's `InvoiceTo`). */
  accountId: string;
  /** The invoice's `InvoiceTo` account, as Exact holds it. */
  accountName: string | null;
  /** The account's `InvoicingMethod`; null when not set. */
  method: number | null;
  /** The account Exact invoices instead (`InvoiceAccount`), when the account has one. */
  invoiceAccount: { name: string | null; method: number | null } | null;
  /** The address Exact mails to, as Exact holds it (checked by the decision), and where it comes from. */
  email: string | null;
  emailFrom: RecipientSource;
  /** The invoice's contact person, when the address is theirs. */
  contactName: string | null;
  peppolId: string | null;
  /** The account's identifiers a Peppol lookup may try when it holds no Peppol id (PRODUCT.md §13). */
  kvk?: string | null;
  oin?: string | null;
  vatNumber?: string | null;
}

export interface DecisionInput {
  licence: LicenceCheck;
  administration: AdministrationFacts | null;
  relation: RelationFacts | null;
  invoice: InvoiceFacts;
  /** What Exact will send with, read right before printing (decision 0070); absent: the relation as mirrored. */
  receiver?: ExactReceiver;
  /** The moment of deciding, passed in (the domain never reads a clock). */
  now: Date;
  /** The Peppol network's answer for the receiver and this document type, when it was asked (PRODUCT.md §13). */
  peppol?: DefinitiveAnswer;
}

export interface SendPlan {
  channel: Channel;
  documentLayout: string;
  emailLayout: string | null;
  extraText: string | null;
  senderEmail: string | null;
  /** Email recipients (validated) when the channel is email. */
  emailAddresses: string[];
  /** null = now; otherwise the instant (UTC) to print at. */
  sendAt: Date | null;
  /** Email by Dynamics 365 (PRODUCT.md §12): Exact prints without sending, the connector mails its document. */
  dynamicsMail?: DynamicsMailPlan;
}

export type Decision =
  | { kind: 'send'; plan: SendPlan; reason: 'ready' | 'scheduled'; facts: MessageFacts }
  | { kind: 'ignore'; reason: ReasonCodeIgnore; facts: MessageFacts }
  | { kind: 'optedOut'; reason: 'invoice_opted_out'; facts: MessageFacts }
  | { kind: 'fail'; reason: ReasonCodeFail; facts: MessageFacts };

export type ReasonCodeIgnore =
  | 'licence_missing'
  | 'licence_invalid'
  | 'licence_wrong_tenant'
  | 'licence_expired'
  | 'licence_feature_missing'
  | 'administration_unknown'
  | 'administration_disabled'
  | 'before_activation'
  | 'invoice_not_open'
  | 'invoice_processed_elsewhere'
  | 'source_disabled'
  | 'relation_unknown'
  | 'relation_disabled'
  | 'relation_prints_itself'
  | 'channel_disabled'
  | 'no_channel';

export type ReasonCodeFail =
  | 'email_missing'
  | 'email_invalid'
  | 'peppol_id_missing'
  | 'peppol_not_registered'
  | 'layout_missing'
  | 'mailbox_missing';
