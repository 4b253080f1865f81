/**
 * Ports owned by the use cases. Each has one production adapter (src/adapters/…) and is tested
 * against the sandboxes / Azurite. Keep them small; change them here first.
 */
import type {
  AdministrationFacts,
  Channel,
  DispatchStatus,
  ExactInvoiceStatus,
  Language,
  MessageFacts,
  RelationFacts,
  Source,
} from '../domain/types';
import type { ReasonCode } from '../domain/reasons';
import type { DeliveryEvidence } from '../domain/evidence';
import type { LedgerState } from '../domain/lifecycle';
import type { LedgerMail } from './mail/ports';

export type { LedgerMail } from './mail/ports';

export type { LedgerState } from '../domain/lifecycle';

// ───────────────────────────── Exact Online ─────────────────────────────

/** What Exact says about one sales invoice (subset of `SalesInvoices`). */
export interface ExactInvoiceState {
  invoiceId: string;
  status: ExactInvoiceStatus;
  invoiceNumber: number | null;
  /** `YYYY-MM-DD` (Exact's `/Date(ms)/` converted, date part in UTC). */
  invoiceDate: string;
  /** `InvoiceTo` account GUID. */
  invoiceTo: string;
  invoiceToName: string | null;
  invoiceToContactPerson?: string | null; // the contact Exact mails the invoice to (decision 0070)
  /** Exact `Type` (8020 invoice, 8021 credit note …). */
  type: number;
  /** A credit note (Exact types 8021 sales credit note, 8024 direct credit note). */
  creditNote: boolean;
  description: string | null;
  /** `YourRef`, `OrderNumber` etc. are used to classify the source; keep what the adapter can read cheaply. */
  orderNumber: number | null;
  /** Where an invoice without a Dynamics row came from, as far as Exact's fields tell (decision 0010). */
  origin: 'recurring' | 'manual';
}

export interface PrintRequest {
  invoiceId: string;
  channel: Channel;
  documentLayout: string;
  emailLayout: string | null;
  extraText: string | null;
  senderEmail: string | null;
  /**
   * Print without any send flag (every `Send*` false): Exact makes the document and processes the invoice,
   * and sends nothing; the connector mails the document from Dynamics 365 (PRODUCT.md §12).
   */
  documentOnly?: boolean;
}

export interface PrintGuard {
  beforeSend(): Promise<void>;
}

/** A 2xx print. `channelError` is the chosen channel's …CreationError when filled (= failure). */
export type PrintOutcome =
  | { ok: true; /** The `Document` Exact created, when the answer carried one. */ documentId?: string | null }
  | { ok: false; channelError: string };

/**
 * One Exact Online connection (one tenant). Errors thrown are IntegrationError subclasses
 * (src/app/errors.ts), classified transient or permanent where they arise.
 * A print whose answer is lost throws an error with `answerLost: true`; the caller then
 * confirms the status instead of printing again.
 */
export interface ExactGateway {
  /** Invoice ids one status call can carry (Exact's page size). */
  readonly statusesPerCall: number;
  /** Statuses for several invoices in ONE call (`$filter` on InvoiceID … or …). Absent ids: not found. */
  confirmStatuses(division: number, invoiceIds: string[]): Promise<Map<string, ExactInvoiceState>>;
  /**
   * POST salesinvoice/PrintedSalesInvoices with exactly one channel. `guard.beforeSend` runs after every
   * wait (rate budget, token) and right before the POST goes out; when it throws, nothing is sent.
   */
  print(division: number, request: PrintRequest, guard?: PrintGuard): Promise<PrintOutcome>;
  /**
   * After a lost print answer: the printed document, and the channel's own evidence that it went out
   * (only the postbox leaves any). Two calls at most; spent only after a lost answer.
   */
  deliveryEvidence(
    division: number,
    query: { invoiceId: string; channel: Channel | null; invoiceTo: string; since: Date },
  ): Promise<DeliveryEvidence>;
  /**
   * Open (status 20) invoices through the bulk endpoint (1,000 a page), following `__next`; with
   * `processedSince`, in the same listing also the processed (50) ones modified since then.
   */
  listOpenInvoices(division: number, processedSince?: Date): AsyncIterable<ExactInvoiceState>;
}

// ───────────────────────────── Dataverse ─────────────────────────────

/** `eol_salesinvoice` as the connector reads it. */
export interface InvoiceRow {
  rowId: string;
  name: string | null;
  exactInvoiceId: string | null;
  administrationId: string | null;
  relationId: string | null;
  invoiceNumber: number | null;
  invoiceDate: string | null;
  source: Source | null;
  autoDispatch: boolean;
  extraText: string | null;
  resend: boolean;
  dispatchStatus: DispatchStatus | null;
  dispatchReason: string | null;
  dispatchChannel: Channel | null;
  /** What the row shows, as AutoInvoice wrote it (evidence when the ledger entry is lost). */
  dispatchMessage: string | null;
  scheduledFor: Date | null;
  sentOn: Date | null;
  ownerId: string | null;
  /** `eol_recipients`: recipients for this invoice only (Dynamics route). */
  recipients?: string | null;
  /** `eol_emailid`: the email activity that carried the invoice. */
  emailId?: string | null;
}

/** One expanded read: invoice + its relation + its administration. */
export interface InvoiceContext {
  invoice: InvoiceRow;
  relation: RelationFacts | null;
  administration: AdministrationFacts | null;
}

/** What the connector writes back on `eol_salesinvoice` (PRODUCT.md §8). One PATCH. */
export interface DispatchWriteback {
  status: DispatchStatus;
  channel: Channel | null;
  reason: ReasonCode;
  message: string;
  scheduledFor: Date | null;
  sentOn: Date | null;
  attempts: number;
  invoiceNumber?: number | null;
  /** Set eol_resend back to no. */
  clearResend?: boolean;
  /** Link `eol_emailid` to the email activity that carries the invoice (Dynamics route); absent: unchanged. */
  emailId?: string;
}

export interface NewInvoiceRow {
  exactInvoiceId: string;
  administrationId: string;
  relationId: string | null;
  name: string;
  invoiceNumber: number | null;
  invoiceDate: string;
  source: Source;
}

export interface InvoiceRecords {
  /** One expanded read by row id; null when the row does not exist. */
  loadContext(rowId: string): Promise<InvoiceContext | null>;
  /** The same for the rows of a batch, a few queries instead of one read per row; absent rows are absent. */
  loadContexts(rowIds: string[]): Promise<Map<string, InvoiceContext>>;
  /** Rows of one administration for the given Exact invoice ids (for the sweep). */
  findByExactIds(administrationId: string, exactInvoiceIds: string[]): Promise<InvoiceRow[]>;
  /** Creates the missing rows in one `$batch`; returns exactInvoiceId → rowId. */
  createRows(rows: NewInvoiceRow[]): Promise<Map<string, string>>;
  /** One PATCH of the dispatch columns. Honors 429 Retry-After. */
  writeDispatch(rowId: string, update: DispatchWriteback): Promise<void>;
  /** Several rows' dispatch columns in one request; per write null (written) or why not, in order. */
  writeDispatches(writes: RowWrite[]): Promise<Array<Error | null>>;
}

/** One row's dispatch columns to write. */
export interface RowWrite {
  rowId: string;
  update: DispatchWriteback;
}

export interface TenantDirectory {
  administrations(): Promise<AdministrationFacts[]>;
  relations(administrationId: string): Promise<RelationFacts[]>;
  /** `organization.languagecode`: 1043 → nl, else en. */
  organizationLanguage(): Promise<Language>;
}

export interface FailureNotice {
  administration: AdministrationFacts;
  invoice: InvoiceRow | null;
  exactInvoiceId: string;
  reason: ReasonCode;
  message: string;
}

export interface Notifier {
  /** One email to eol_notifyemail + one in-app notification to the owner. */
  notifyFailure(notice: FailureNotice): Promise<void>;
  /** One digest email for many failures of one administration (a sweep). */
  notifyDigest(administration: AdministrationFacts, notices: FailureNotice[]): Promise<void>;
}

// ───────────────────────────── Ledger ─────────────────────────────

export interface LedgerKey {
  tenantId: string;
  division: number;
  invoiceId: string;
}

export interface LedgerAttempt {
  at: string;
  outcome: LedgerState;
  reason: ReasonCode;
  detail?: string;
}

export interface LedgerEntry {
  key: LedgerKey;
  state: LedgerState;
  /** Opaque concurrency token (Table Storage ETag). */
  etag: string;
  leaseUntil: Date | null;
  attempts: number;
  reason: ReasonCode | null;
  /** The facts the outcome was explained with: any later dispatch renders the same message from them. */
  facts: MessageFacts | null;
  message: string | null;
  channel: Channel | null;
  scheduledFor: Date | null;
  sentOn: Date | null;
  rowId: string | null;
  /** Writeback to Dataverse still to do (the sweep repairs it). */
  writebackPending: boolean;
  /** Invoice number Exact assigned (read back after printing, batched); null until known. */
  invoiceNumber: number | null;
  /** Reason of the last failure that was notified (one notification per invoice per failure cause). */
  notifiedReason: ReasonCode | null;
  history: LedgerAttempt[];
  updatedAt: Date;
  /** The Dynamics route's email (PRODUCT.md §12), once Exact printed the invoice for it; absent: none. */
  mail?: LedgerMail | null;
}

export type LedgerPatch = Partial<Omit<LedgerEntry, 'key' | 'etag' | 'updatedAt'>>;

/** Thrown by Ledger.update when the ETag no longer matches. */
export class LedgerConflictError extends Error {
  constructor(key: LedgerKey) {
    super(`ledger entry ${key.tenantId}/${key.division}/${key.invoiceId} was changed concurrently`);
    this.name = 'LedgerConflictError';
  }
}

export interface Ledger {
  get(key: LedgerKey): Promise<LedgerEntry | null>;
  /** Insert if absent (state waiting); returns the stored entry either way. */
  ensure(key: LedgerKey, rowId: string | null): Promise<LedgerEntry>;
  /** Update under the entry's ETag; throws LedgerConflictError on mismatch. */
  update(entry: LedgerEntry, patch: LedgerPatch): Promise<LedgerEntry>;
  /** Entries of a tenant+division in the given states (sweep repair: stale leases, pending writebacks),
   *  optionally only those updated since an instant (bounds the scan of the ever-growing `sent` state). */
  list(
    tenantId: string,
    division: number,
    states: LedgerState[],
    options?: { updatedSince?: Date },
  ): Promise<LedgerEntry[]>;
  /** When a sweep of this administration last started (null: never). */
  sweptAt(tenantId: string, division: number): Promise<Date | null>;
  /** Records that a sweep of this administration started at `at` (never moves the mark back). */
  markSwept(tenantId: string, division: number, at: Date): Promise<void>;
}

// ───────────────────────────── Queue ─────────────────────────────

export type {
  Clock,
  DispatchQueue,
  DispatchRequest,
  DispatchTrigger,
  EnqueueOptions,
  RowsRequest,
  SweepRequest,
} from './queuePorts';
