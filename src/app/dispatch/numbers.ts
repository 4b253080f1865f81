/**
 * Invoice numbers Exact assigns at printing, read back afterwards (batched with a status call, never alone)
 * and written to their rows in ONE Dataverse request, riding along with the dispatch's own write where
 * there is one (decision 0150). The row is written first and the ledger after, so a number whose row write
 * failed is still unknown to the ledger and is read back again.
 */
import { rowStatusOf } from '../../domain';
import {
  LedgerConflictError,
  type InvoiceRecords,
  type Ledger,
  type LedgerEntry,
  type RowWrite,
} from '../ports';
import type { DispatchDeps } from './types';

/** A number read back for a print, still to be written to its row and its ledger entry. */
export interface ReadBack {
  entry: LedgerEntry;
  invoiceNumber: number;
}

/** The row write that carries a read-back number; the other columns as the ledger holds them. */
export function numberWrite({ entry, invoiceNumber }: ReadBack): RowWrite | null {
  if (!entry.rowId) return null;
  return {
    rowId: entry.rowId,
    update: {
      status: rowStatusOf(entry.state),
      channel: entry.channel,
      reason: entry.reason ?? 'sent',
      message: entry.message ?? '',
      scheduledFor: null,
      sentOn: entry.sentOn,
      attempts: entry.attempts,
      invoiceNumber,
    },
  };
}

/**
 * Writes the read-backs' rows and `primary` (the dispatch's own write, last) in one request, then records
 * each written number in its ledger entry. Answers the read-backs not written (to be read back again) and
 * throws the primary's error, as a single write would.
 */
export async function writeWithNumbers(
  deps: { records: InvoiceRecords; ledger: Ledger },
  readBacks: ReadBack[],
  primary?: RowWrite,
): Promise<ReadBack[]> {
  const withRow = readBacks.map((r) => ({ r, write: numberWrite(r) }));
  const writes = withRow.flatMap((w) => (w.write ? [w.write] : []));
  const all = primary ? [...writes, primary] : writes;
  const results = all.length ? await deps.records.writeDispatches(all) : [];
  const failed: ReadBack[] = [];
  let i = 0;
  for (const { r, write } of withRow) {
    if (write && results[i++] !== null) failed.push(r);
    else await recordInLedger(deps.ledger, r);
  }
  const own = primary ? results[results.length - 1] : null;
  if (own) throw own;
  return failed;
}

/**
 * The dispatch's own row write (`primary`; null: none, at the end of a run), carrying the numbers the
 * run's status call read back. Numbers not written go back to the instance's memory for the next status call.
 */
export async function writeAlong(
  run: { deps: Pick<DispatchDeps, 'records' | 'ledger' | 'awaiting' | 'clock'>; readBacks: ReadBack[] },
  primary: RowWrite | null,
): Promise<void> {
  const staged = run.readBacks.splice(0);
  if (!staged.length && !primary) return;
  const again = (list: ReadBack[]) => {
    for (const r of list) run.deps.awaiting.note(r.entry.key, run.deps.clock.now());
  };
  try {
    again(await writeWithNumbers(run.deps, staged, primary ?? undefined));
  } catch (err) {
    again(staged);
    throw err;
  }
}

async function recordInLedger(ledger: Ledger, { entry, invoiceNumber }: ReadBack): Promise<void> {
  try {
    await ledger.update(entry, { invoiceNumber });
  } catch (err) {
    // Another worker moved the entry meanwhile: it reads the number back itself.
    if (!(err instanceof LedgerConflictError)) throw err;
  }
}
