import type { DispatchDeps } from './dispatchContext';
import { LedgerConflictError, type LedgerEntry } from './ports';


/** Stores the number Exact assigned at printing, in the ledger and on the row (one PATCH). */
export async function recordInvoiceNumber(
  deps: Pick<DispatchDeps, 'ledger' | 'records'>,
  entry: LedgerEntry,
  invoiceNumber: number,
): Promise<void> {
  try {
    const updated = await deps.ledger.update(entry, { invoiceNumber });
    if (entry.rowId) {
      await deps.records.writeDispatch(entry.rowId, {
        status: 4,
        channel: updated.channel,
        reason: updated.reason ?? 'sent',
        message: updated.message ?? '',
        scheduledFor: null,
        sentOn: updated.sentOn,
        attempts: updated.attempts,
        invoiceNumber,
      });
    }
  } catch (err) {
    if (!(err instanceof LedgerConflictError)) throw err;
  }
}
