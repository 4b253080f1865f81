/** Invoice numbers Exact assigns at printing, read back afterwards (batched with a status call, never alone). */
import { rowStatusOf } from '../../domain';
import { LedgerConflictError, type LedgerEntry } from '../ports';
import type { DispatchDeps } from './types';

/** Stores the number Exact assigned at printing, in the ledger and on the row (one PATCH). */
export async function recordInvoiceNumber(
  deps: Pick<DispatchDeps, 'ledger' | 'records'>,
  entry: LedgerEntry,
  invoiceNumber: number,
): Promise<void> {
  try {
    const updated = await deps.ledger.update(entry, { invoiceNumber });
    if (!entry.rowId) return;
    await deps.records.writeDispatch(entry.rowId, {
      status: rowStatusOf(updated.state),
      channel: updated.channel,
      reason: updated.reason ?? 'sent',
      message: updated.message ?? '',
      scheduledFor: null,
      sentOn: updated.sentOn,
      attempts: updated.attempts,
      invoiceNumber,
    });
  } catch (err) {
    // Another worker moved the entry meanwhile: it reads the number back itself.
    if (!(err instanceof LedgerConflictError)) throw err;
  }
}
