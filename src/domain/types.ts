/**
 * The facts the decision is made from, and the decision itself.
 * Pure data: no I/O, no clock. Values mirror PRODUCT.md §2 (Dataverse choice values, Exact codes).
 */

/** Channels as the Dataverse choice `eol_channels` / `eol_dispatchchannel` numbers them. */
export const CHANNEL_CODE = { peppol: 1, postbox: 2, email: 3, paper: 4 } as const;
export type Channel = keyof typeof CHANNEL_CODE;
export const CHANNELS: readonly Channel[] = ['peppol', 'postbox', 'email', 'paper'];

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
  senderEmail: string | null;
  extraText: string | null;
  notifyEmail: string | null;
  /** `eol_activefrom` (YYYY-MM-DD): invoices dated before it are the backlog, left alone (before_activation). */
  activeFrom?: string | null;
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
}

export interface DecisionInput {
  licence: LicenceCheck;
  administration: AdministrationFacts | null;
  relation: RelationFacts | null;
  invoice: InvoiceFacts;
  /** The moment of deciding, passed in (the domain never reads a clock). */
  now: Date;
}

/** Values the message templates may use. Every field optional; a template names the ones it needs. */
export interface MessageFacts {
  relation?: string;
  administration?: string;
  division?: number;
  channel?: Channel;
  method?: string;
  date?: string;
  when?: string;
  address?: string;
  source?: string;
  status?: number;
  detail?: string;
  invoice?: string;
  /** Which layout is missing (layout_missing): the document layout or the email text layout. */
  layout?: 'document' | 'email';
  /** IANA zone the `when` is shown in. */
  zone?: string;
  /** A number of days (licence expiry notice). */
  days?: number;
  /** What the document is, when Exact said: a credit note is named as one. */
  document?: 'invoice' | 'creditNote';
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

export type ReasonCodeFail = 'email_missing' | 'email_invalid' | 'peppol_id_missing' | 'layout_missing';
