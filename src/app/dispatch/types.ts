/** Types shared by the steps of a dispatch (src/app/dispatch/*). */
import type { LifecycleEvent, StoredOutcome } from '../../domain/lifecycle';
import type { EntryGate, FirstStage } from '../../domain';
import type { Language, LicenceCheck } from '../../domain/types';
import type { AwaitingNumbers } from '../awaitingNumbers';
import type { RecentReads } from '../recentReads';
import type { ExactMasterData } from '../masterData/ports';
import type { MasterDataRecords } from '../masterData/records';
import type { PeppolReceivers } from '../peppol/ports';
import type { DynamicsMail, ExactDocuments } from '../mail/ports';
import type {
  Clock,
  DispatchQueue,
  ExactGateway,
  FailureNotice,
  InvoiceContext,
  InvoiceRecords,
  Ledger,
  LedgerEntry,
  LedgerMail,
  Notifier,
  RowsRequest,
} from '../ports';

/** The Exact calls a receiver check needs (a slice of ExactMasterData): reads, and the edits' write-back. */
export type ReceiverSource = Pick<ExactMasterData, 'accounts' | 'contacts' | 'updateAccount'>;

/** What a tenant contributes to every dispatch. */
export interface TenantContext {
  tenantId: string;
  organizationId: string;
  /** Verified licence at `now` (cached by the caller; verification is offline). */
  licence(now: Date): Promise<LicenceCheck>;
  language(): Promise<Language>;
}

export interface DispatchLine {
  tenantId: string;
  division: number | null;
  /** Exact invoice id (stable), or the row id when the row has none. */
  invoiceId: string;
  /** Label a person recognises: invoice number, else the row's name. */
  invoice: string;
  relation: string;
  outcome: StoredOutcome['state'] | 'busy' | 'skipped';
  channel: string | null;
  reason: string;
  message: string;
}

export interface DispatchDeps {
  tenant: TenantContext;
  exact: ExactGateway;
  /** Exact's accounts and contacts, read before printing (decision 0070). Absent: the relation as mirrored. */
  masterData?: ReceiverSource;
  /** The relation mirror, where a write-back made before printing records its base or conflict. */
  mirror?: Pick<MasterDataRecords, 'save'>;
  records: InvoiceRecords;
  notifier: Notifier;
  ledger: Ledger;
  queue: DispatchQueue;
  clock: Clock;
  leaseMs: number;
  /** This instance's prints whose invoice number is still to be read back (rides on the next status call). */
  awaiting: AwaitingNumbers;
  /** The Peppol receiver lookup (issue 16); absent = the network is not asked (a valid Peppol id decides). */
  peppol?: PeppolReceivers;
  /** Email from Dynamics 365 (issue 15): Exact's documents and Dataverse's email; absent = that route is not wired. */
  mail?: { documents: ExactDocuments; dynamics: DynamicsMail };
  /** What Exact answered a moment ago, used again while its webhooks say nothing changed (decision 0155). */
  recent?: RecentReads;
  log(line: DispatchLine): void;
}

/** One dispatch of one request: what every step needs, gathered once. */
export interface Run {
  deps: DispatchDeps;
  request: RowsRequest;
  licence: LicenceCheck;
  lang: Language;
  /** Failures to notify once the whole request is done (one digest per administration when many). */
  failures: FailureNotice[];
  /** Peppol ids found by KvK/OIN/VAT and written to Exact's account in this run (`division:account:id`). */
  peppolAdopted: Set<string>;
  /** Invoice numbers the status call read back, written along with the run's next row write (numbers.ts). */
  readBacks: ReadBack[];
  /** The change log asked once per administration and run (reuse.ts), and the topics it answered. */
  settled?: Map<number, Promise<Set<string>>>;
  /** Invoices whose open status came from an earlier read, not this run's (a refused print asks again). */
  reused?: Set<string>;
}

/** A number read back for a print, still to be written to its row and its ledger entry (numbers.ts). */
export interface ReadBack {
  entry: LedgerEntry;
  invoiceNumber: number;
}

/** One invoice of a dispatch request, with its ledger entry as read at the start. */
export interface Item {
  ctx: InvoiceContext;
  exactInvoiceId: string;
  division: number;
  entry: LedgerEntry;
  /** eol_resend on the row, or a request that asks for a resend (trigger `resend`, e.g. a batch run). */
  resend: boolean;
  /** Rules 1–3, made without Exact: decided, or the administration rules 4–13 go on with after the status call. */
  first: FirstStage;
  /** What the entry allows, judged once at load: the status call and the decision must agree on it. */
  gate: EntryGate;
}

/** An outcome to record, and what led to it (checked against the ledger's life cycle). */
export interface Outcome extends StoredOutcome {
  /** How the ledger got here; null = the stored outcome answered again, nothing new happened. */
  event: LifecycleEvent | null;
  sentOn?: Date;
  invoiceNumber?: number | null;
  /** Attempts after this outcome, when it gives one back (a claim released without printing). */
  attempts?: number;
  /** The Dynamics route's email as it stands after this outcome; absent: unchanged. */
  mail?: LedgerMail;
}

/** Thrown by a step to have the rows come back later (busy lease, transient fault). Never spends an attempt. */
export class RetryLaterError extends Error {
  constructor(
    readonly at: Date,
    override readonly cause?: unknown,
  ) {
    super(`retry at ${at.toISOString()}`);
    this.name = 'RetryLaterError';
  }
}
