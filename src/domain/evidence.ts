/**
 * Evidence rules of the ledger's life cycle (decision 0024): what a lost print answer became, judged from
 * what Exact shows; a lost ledger entry rebuilt from the row AutoInvoice wrote; whether AutoInvoice's own
 * print processed an invoice.
 */
import type { LedgerState, LifecycleEvent, SettledState } from './lifecycle';
import type { ReasonCode } from './reasons';
import { DISPATCH_STATUS, type Channel } from './types';

/** What Exact's API shows of a print whose answer was lost (see the Exact adapter's `deliveryEvidence`). */
export interface DeliveryEvidence {
  /** The printed document exists (`documents/Documents` by FinancialTransactionEntryID). */
  document: boolean;
  /** The channel's own evidence that it went out: a sent postbox message; none exists for email or Peppol. */
  channelConfirmed: boolean;
}

/**
 * A print whose answer was lost, where Exact shows the invoice processed: "sent" only with positive evidence
 * that the channel went out; paper is on the print list once its document exists; otherwise nobody knows,
 * and a person must look (delivery_unconfirmed). Never printed again either way.
 */
export function afterLostAnswer(
  channel: Channel | null,
  evidence: DeliveryEvidence,
): { event: LifecycleEvent; state: SettledState; reason: ReasonCode } {
  if (evidence.document && channel === 'paper')
    return { event: 'confirmedOnList', state: 'printList', reason: 'on_print_list' };
  if (evidence.document && evidence.channelConfirmed)
    return { event: 'confirmedProcessed', state: 'sent', reason: 'sent_confirmed_after_lost_answer' };
  return { event: 'unconfirmed', state: 'failed', reason: 'delivery_unconfirmed' };
}

/**
 * A ledger entry made anew (never claimed, no history) for a row that shows AutoInvoice's own "sent" or
 * "on the print list": the ledger was lost, and the row is the evidence. The entry is rebuilt from it
 * instead of deciding again (which would call a processed invoice "processed outside AutoInvoice").
 */
export function fromRowEvidence(
  entry: { state: LedgerState; attempts: number; history: readonly unknown[] },
  row: { status: number | null; reason: string | null },
): { event: LifecycleEvent; state: SettledState } | null {
  if (entry.state !== 'waiting' || entry.attempts !== 0 || entry.history.length > 0 || !row.reason)
    return null;
  if (row.status === DISPATCH_STATUS.sent) return { event: 'rebuiltSent', state: 'sent' };
  if (row.status === DISPATCH_STATUS.printList) return { event: 'rebuiltOnList', state: 'printList' };
  return null;
}

/** Reasons only a print of AutoInvoice's that Exact carried out can leave in an entry's history. */
const PRINT_REACHED_EXACT: ReadonlySet<string> = new Set([
  'sent',
  'sent_confirmed_after_lost_answer',
  'on_print_list',
  'exact_channel_error',
  'delivery_unconfirmed',
  // The Dynamics route: Exact printed (processed) the invoice before its email was made (PRODUCT.md §12).
  'email_pending',
  'email_review',
  'email_send_failed',
  'email_draft_deleted',
]);

/**
 * Whether this invoice was processed in Exact by AutoInvoice's own print (e.g. before a channel error). An
 * entry that holds the Dynamics route's email was printed by AutoInvoice, whatever its history shows.
 */
export function printedByAutoInvoice(entry: {
  history: ReadonlyArray<{ reason: string }>;
  mail?: object | null;
}): boolean {
  return (entry.mail ?? null) !== null || entry.history.some((h) => PRINT_REACHED_EXACT.has(h.reason));
}
