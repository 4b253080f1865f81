/**
 * The one place a relation's Dynamics edits are written to Exact's account (PRODUCT.md §11; decisions 0076,
 * 0131): the field rule (writeBack.ts) decides what is an edit and what is a conflict; this runs the PUT and
 * says what the relation row holds afterwards — the bases, and the explanation a person reads. The sync, a
 * write outside a sync and the pre-print step all call it; they differ only in whether an edit Exact refused
 * is offered again (the daily sync does, once a run) and in what they do with a transient failure.
 */
import { IntegrationError } from '../errors';
import { conflictText, isStandingRefusal, refusalText } from './conflict';
import { isEmpty } from './diff';
import type { AccountEdit, ExactAccount, ExactMasterData } from './ports';
import type { RelationFields } from './records';
import { baseKeysOf, writeBackFields, type WriteBackInput } from './writeBack';

/** What write-back reads of a relation: its Dynamics values, their bases, and its standing explanation. */
export type WriteBackRow = WriteBackInput & Pick<RelationFields, 'conflict'>;

export type WriteBackPut =
  /** No edit to write. */
  | 'none'
  /** The edit reached Exact's account (one PUT). */
  | 'written'
  /** Exact refused the edit; the row names what it refused. */
  | 'refused'
  /** The same edit Exact refused before, not offered again (no call). */
  | 'held'
  /** A transient fault: nothing changed for the edited fields; `error` says why (the caller retries). */
  | 'failed';

export interface WrittenBack {
  put: WriteBackPut;
  /** The relation's fields to write (compare before write): Dynamics values, bases, `conflict`. */
  fields: Partial<RelationFields>;
  /** Exact's account as it holds the fields now: the given one, with the edit applied once written. */
  account: ExactAccount | undefined;
  /** Exact changed an edited field too: nothing was overwritten, `fields.conflict` names both values. */
  conflicted: boolean;
  exactCalls: number;
  error?: IntegrationError;
}

export interface WriteBackOptions {
  /** Offer an edit Exact refused before once more (the daily sync); otherwise it waits for a new value. */
  offerRefused: boolean;
}

/**
 * `account` is Exact's account as just read, or undefined when Exact did not change it since the last sync
 * (so it still holds the bases). A fault that is not an IntegrationError is thrown.
 */
export async function writeBackAccount(
  exact: Pick<ExactMasterData, 'updateAccount'>,
  target: { division: number; accountId: string },
  row: WriteBackRow,
  account: ExactAccount | undefined,
  options: WriteBackOptions,
): Promise<WrittenBack> {
  const wb = writeBackFields(row, account);
  const conflicted = wb.conflicts.length > 0;
  const conflict = conflictText(wb.conflicts, account?.modified ?? null);
  const out = (put: WriteBackPut, fields: Partial<RelationFields>, calls = 0): WrittenBack => ({
    put,
    fields,
    account,
    conflicted,
    exactCalls: calls,
  });
  // Exact was read and nothing is pending: any earlier explanation no longer applies.
  if (isEmpty(wb.edit)) return out('none', account ? { ...wb.fields, conflict } : wb.fields);
  const kept = withoutBases(wb.fields, wb.edit);
  if (!options.offerRefused && isStandingRefusal(row.conflict, wb.edit)) return out('held', kept);
  try {
    await exact.updateAccount(target.division, target.accountId, wb.edit);
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    if (err.transient) return { ...out('failed', kept, 1), error: err };
    return out('refused', { ...kept, conflict: refusalText(wb.edit, err.message) }, 1);
  }
  return { ...out('written', { ...wb.fields, conflict }, 1), account: account && applied(account, wb.edit) };
}

/** The edited fields keep their bases when the edit did not reach Exact, so it is tried again. */
function withoutBases(fields: Partial<RelationFields>, edit: AccountEdit): Partial<RelationFields> {
  const out = { ...fields };
  for (const key of baseKeysOf(edit)) delete out[key];
  return out;
}

function applied(account: ExactAccount, edit: AccountEdit): ExactAccount {
  return {
    ...account,
    ...(edit.email !== undefined ? { email: edit.email } : {}),
    ...(edit.invoicingMethod !== undefined ? { invoicingMethod: edit.invoicingMethod } : {}),
    ...(edit.peppolId !== undefined ? { peppolId: edit.peppolId } : {}),
  };
}
