import type { AwaitingNumbers } from './awaitingNumbers';
import type { Language, LicenceCheck } from '../domain/types';
import type {
  Clock,
  DispatchQueue,
  ExactGateway,
  InvoiceContext,
  InvoiceRecords,
  Ledger,
  LedgerEntry,
  Notifier,
} from './ports';
import type { Outcome } from './settle';

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
  outcome: Outcome['state'] | 'busy' | 'skipped';
  channel: string | null;
  reason: string;
  message: string;
}

export interface DispatchDeps {
  tenant: TenantContext;
  exact: ExactGateway;
  records: InvoiceRecords;
  notifier: Notifier;
  ledger: Ledger;
  queue: DispatchQueue;
  clock: Clock;
  leaseMs: number;
  /** This instance's prints whose invoice number is still to be read back (rides on the next status call). */
  awaiting: AwaitingNumbers;
  log(line: DispatchLine): void;
}

/** Thrown to have the message redelivered later (transient fault, busy lease). Never spends an attempt. */
export class RetryLaterError extends Error {
  constructor(
    readonly at: Date,
    readonly rowIds: string[],
    override readonly cause?: unknown,
  ) {
    super(`retry at ${at.toISOString()}`);
    this.name = 'RetryLaterError';
  }
}

/** One invoice of a dispatch request, with its ledger entry as read at the start. */
export interface Item {
  ctx: InvoiceContext;
  exactInvoiceId: string;
  division: number;
  entry: LedgerEntry;
  /** eol_resend on the row, or a request that asks for a resend (trigger `resend`, e.g. a batch run). */
  resend: boolean;
}
