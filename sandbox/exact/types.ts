/**
 * Public types of the Exact Online sandbox. Field names are Exact's (PascalCase) where the value is
 * something Exact itself holds, so seeds read like Exact data.
 */
import type { InvoicePdfInput } from './pdf';

export interface ExactSeedUser {
  UserID: string;
  UserName?: string;
  FullName?: string;
  Email?: string;
  LanguageCode?: string;
  /** Divisions this user granted the app (division scoping); omitted = every seeded division. */
  divisions?: number[];
}

export interface ExactSeedAccount {
  ID: string;
  Name: string;
  Code?: string;
  Email?: string | null;
  InvoicingMethod?: number | null;
  PeppolIdentifier?: string | null;
  PeppolIdentifierType?: number | null;
  /** Not an Exact field: whether the account can receive Exact digital-postbox messages. Default false. */
  Postbox?: boolean;
  /** A None, S Suspect, P Prospect, C Customer. Default C. */
  Status?: 'C' | 'P' | 'S' | 'A';
  ChamberOfCommerce?: string | null;
  VATNumber?: string | null;
  OINNumber?: string | null;
  /** Exact language code, e.g. 'NL', 'EN'. */
  Language?: string | null;
  /** The account invoiced instead of this one. */
  InvoiceAccount?: string | null;
  /** A contact of this account (also seeded under `contacts`). */
  MainContact?: string | null;
  Blocked?: boolean;
}

/** A contact person (`crm/Contacts`). `IsMainContact` is derived from the account's `MainContact`. */
export interface ExactSeedContact {
  ID: string;
  Account: string;
  Email?: string | null;
  BusinessEmail?: string | null;
  FullName?: string | null;
}

export interface ExactSeedLayout {
  ID: string;
  Subject: string;
  /** 1 document layout, 2 e-mail text layout. */
  Type: 1 | 2;
  /** `general/Layouts.Language`, e.g. 'NL'. Default null. */
  Language?: string | null;
  /** `general/Layouts.Status`: 1 inactive, 2 active. Default 2. */
  Status?: 1 | 2;
}

export interface ExactSeedInvoice {
  InvoiceID: string;
  InvoiceTo: string;
  OrderedBy?: string;
  /** Omitted: the InvoiceTo account's MainContact (as POST SalesInvoices does); null: none. */
  InvoiceToContactPerson?: string | null;
  /** YYYY-MM-DD */
  InvoiceDate: string;
  Status: 10 | 20 | 50;
  InvoiceNumber?: number | null;
  Type?: number;
  Description?: string;
  OrderNumber?: number | null;
  AmountDC?: number;
  Journal?: string;
}

export interface ExactSeedDivision {
  division: number;
  name: string;
  /** Mailbox (digital postbox) feature in the licence. Default true. */
  mailbox?: boolean;
  /** Peppol activated. Default true. */
  peppol?: boolean;
  accounts: ExactSeedAccount[];
  /** Contact persons of the accounts. Default none. */
  contacts?: ExactSeedContact[];
  layouts: ExactSeedLayout[];
  invoices: ExactSeedInvoice[];
}

export interface ExactSeed {
  users?: ExactSeedUser[];
  divisions: ExactSeedDivision[];
}

export interface ExactSandboxOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Registered redirect URI(s) of the client. */
  redirectUri?: string | string[];
  minutelyLimit?: number;
  dailyLimit?: number;
  latencyMs?: number;
  /** External clock; the sandbox clock runs on it (set/advance still work as offsets). */
  now?: () => number;
  seed?: ExactSeed;
  /**
   * The app scopes the registered client holds (Exact's App Center). Default: every scope the sandbox knows,
   * "Organization documents" among them; `documents/*` answers 403 without it.
   */
  scopes?: string[];
  /** The app's webhook secret (App Center), the key of every webhook's HashCode; default 'sandbox-webhook-secret'. */
  webhookSecret?: string;
  /** Before the validation POST of a new subscription (default 1000 ms) and before each webhook (default 200 ms). */
  webhookDelays?: { validationMs?: number; deliveryMs?: number };
}

export type FaultKind = '429' | '500' | '503' | 'timeout' | 'lostAfterWork' | 'lostBeforeWork';

export interface FaultSpec {
  method?: string;
  /** A string matches when the request path contains it (case-insensitive); a RegExp is tested on the path. */
  path: string | RegExp;
  kind: FaultKind;
  /** How many requests it hits; default 1. */
  count?: number;
  /** Error text for 429/500/503 (goes into error.message.value). */
  body?: string;
  /** For `timeout`: how long the socket is held before it is destroyed (real ms, default 30000). */
  holdMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Status sent, or that would have been sent when a fault dropped the answer; 0 when no work was done. */
  status: number;
  /** Parsed request body; token-endpoint secrets are redacted. */
  body?: unknown;
  /** Fault that hit this request, if any. */
  fault?: FaultKind;
  /** Sandbox clock, epoch ms. */
  at: number;
}

export type PrintChannel = 'peppol' | 'postbox' | 'email' | 'paper';

export interface PrintRecord {
  division: number;
  invoiceId: string;
  invoiceNumber: number;
  channel: PrintChannel;
  /** E-mail address, Peppol identifier or account name (postbox); null for paper. */
  recipient: string | null;
  /** False when the channel's …CreationError was filled (the invoice is processed anyway). */
  sent: boolean;
  error: string | null;
  documentLayout: string | null;
  emailLayout: string | null;
  extraText: string | null;
  senderEmail: string | null;
  document: string;
  /** Where Exact sent it: e-mail address(es), Peppol id or postbox account name; empty when nothing went out. */
  recipients: string[];
  /** Which step of the recipient rule chose them (decision 0070); null for paper. */
  recipientRule: RecipientRule | null;
  /** The invoice's InvoiceTo account. */
  recipientAccount: string;
  /** The contact person whose e-mail was used (rule `contactPerson`), else null. */
  recipientContact: string | null;
  /** Sandbox clock, epoch ms. */
  at: number;
}

/** `contactPerson`: the invoice's InvoiceToContactPerson's Email; `account`: the InvoiceTo account's own field. */
export type RecipientRule = 'contactPerson' | 'account';

/** What a print sent, and to whom: the part of a PrintRecord the "message recipients = Exact's" check compares. */
export type RecipientRecord = Pick<
  PrintRecord,
  | 'division'
  | 'invoiceId'
  | 'channel'
  | 'recipients'
  | 'recipientRule'
  | 'recipientAccount'
  | 'recipientContact'
  | 'sent'
  | 'error'
  | 'at'
>;

/** Invoice as the sandbox holds it (dates as YYYY-MM-DD). */
export interface SandboxInvoice {
  InvoiceID: string;
  Division: number;
  InvoiceTo: string;
  OrderedBy: string;
  /** A contact GUID or null. */
  InvoiceToContactPerson: string | null;
  InvoiceDate: string;
  Status: 10 | 20 | 50;
  InvoiceNumber: number | null;
  Type: number;
  Description: string | null;
  OrderNumber: number | null;
  AmountDC: number;
  Journal: string;
  Lines: unknown[];
  Created: number;
  Modified: number;
}

export interface ExactSandbox {
  url: string;
  /** An invoice created in Exact itself (a recurring run, a manual entry): stored, then its webhooks raised. */
  createInvoiceInExact(division: number, invoice: ExactSeedInvoice): void;
  webhookSubscriptions(): WebhookSubscription[];
  /** Every webhook posted so far, with the callback's answer. */
  webhookDeliveries(): WebhookDelivery[];
  close(): Promise<void>;
  /** Replaces the business data (users, divisions, accounts, layouts, invoices); tokens and logs stay. */
  seed(seed: ExactSeed): void;
  /** Back to the state right after start with the last seed: tokens, logs, prints, faults, limits, clock cleared. */
  reset(): void;
  clock: { now(): number; set(ms: number): void; advance(ms: number): void; setFactor(factor: number): void };
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  requests(): RequestRecord[];
  prints(): PrintRecord[];
  /** The recipients of every print, in order (a projection of `prints()`). */
  recipients(): RecipientRecord[];
  /** One account as Exact holds it now (`Timestamp` a bigint, `Modified` epoch ms UTC). */
  account(division: number, id: string): SandboxAccount | undefined;
  /** An edit made "in Exact" (by a user): sets the fields, bumps Modified and Timestamp. */
  editAccount(division: number, id: string, fields: Partial<ExactSeedAccount>): void;
  /**
   * An invoice a user processed in Exact itself (printed by hand, outside the app): Status 50 with a number,
   * Modified bumped, the SalesInvoices Update webhook raised. Nothing is sent to the customer by the sandbox.
   */
  processInExact(division: number, id: string): void;
  /** A layout deleted "in Exact": gone from `salesinvoice/Layouts`, and a print naming it is refused. */
  removeLayout(division: number, id: string): void;
  invoice(division: number, id: string): SandboxInvoice | undefined;
  /** Every access/refresh token, auth code and the client secret ever issued, for leak scans. */
  issuedSecrets(): string[];
  /** The app's scopes from now on (existing tokens included: Exact checks the app, not the token). */
  setScopes(scopes: string[]): void;
  scopes(): string[];
  /** The PDF bytes of the document the print of this invoice made; null when none (or its PDF was removed). */
  documentPdf(division: number, invoiceId: string): Promise<Buffer | null>;
  /** The document of this invoice loses its attachment, as after `DELETE DocumentAttachments` in Exact. */
  removeAttachment(division: number, invoiceId: string): void;
  /** Runs the code flow over HTTP for the given (default: first) user. */
  authorize(userId?: string): Promise<{ accessToken: string; refreshToken: string }>;
}

/** An account as the sandbox holds it. */
export interface SandboxAccount extends ExactSeedAccount {
  ID: string;
  Status: 'C' | 'P' | 'S' | 'A';
  Created: number;
  Modified: number;
  /** Division-wide rowversion, bumped on every insert or change (decimal string on the wire). */
  Timestamp: bigint;
}

/** The document a print made (`documents/Documents`), with what its PDF shows, taken at printing. */
export interface SandboxDocument {
  ID: string;
  Division: number;
  /** The printed invoice (`FinancialTransactionEntryID`). */
  InvoiceID: string;
  Account: string;
  AccountName: string | null;
  InvoiceNumber: number;
  /** YYYY-MM-DD */
  InvoiceDate: string;
  Subject: string;
  Language: 'NL' | 'EN';
  /** Sandbox clock, epoch ms. */
  Created: number;
  /** The PDF attachment; null once removed. */
  attachment: { ID: string; FileName: string } | null;
  pdf: InvoicePdfInput;
  /** The PDF, drawn on first use. */
  rendered?: Promise<Buffer>;
}

/** A subscription of `webhooks/WebhookSubscriptions` (reference §10's fields). */
export interface WebhookSubscription {
  ID: string;
  CallbackURL: string;
  ClientID: string;
  Created: number;
  Creator: string;
  Description: string | null;
  Division: number;
  IsInstant: boolean;
  Topic: string;
  UserID: string;
}

/** The topics the sandbox raises webhooks for (it accepts subscriptions to every topic Exact lists). */
export type WebhookTopic = 'SalesInvoices' | 'Accounts' | 'Contacts';
export type WebhookAction = 'Create' | 'Update';

/** One webhook Exact posted, as the sandbox saw its answer (status 0: no answer). */
export interface WebhookDelivery {
  at: number;
  division: number;
  topic: WebhookTopic;
  action: WebhookAction;
  key: string;
  callbackUrl: string;
  status: number;
}
