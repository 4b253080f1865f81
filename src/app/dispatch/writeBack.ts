/**
 * Step 2c — a Dynamics edit reaches Exact before Exact sends with it (PRODUCT.md §11, decision 0076): a
 * relation whose invoice method, invoice email or Peppol id was edited in Dynamics since the last sync gets the
 * edit written to Exact's account (one PUT) before the decision, unless Exact changed that field too — then
 * nothing is overwritten and the relation row says so. The fresh account the receivers step read is compared
 * with the base, so this costs no read; only an edited relation costs a PUT and one Dataverse write.
 */
import type { RelationFacts } from '../../domain/types';
import { IntegrationError } from '../errors';
import { conflictText } from '../masterData/conflict';
import type { AccountEdit, ExactAccount } from '../masterData/ports';
import type { RelationFields } from '../masterData/records';
import { writeBackFields } from '../masterData/writeBack';
import type { Run } from './types';

/** The account as Exact holds it once the relation's Dynamics edits (if any) were written to it. */
export async function writeBackEdits(
  run: Run,
  division: number,
  relation: RelationFacts,
  account: ExactAccount,
): Promise<ExactAccount> {
  const { masterData, mirror } = run.deps;
  const base = relation.exactBase;
  if (!base || !masterData || !mirror) return account;
  const row = {
    invoiceMethod: relation.invoiceMethod,
    invoiceEmail: relation.invoiceEmail,
    peppolId: relation.peppolId,
    exactInvoiceMethod: base.invoiceMethod,
    exactInvoiceEmail: base.invoiceEmail,
    exactPeppolId: base.peppolId,
  } as RelationFields;
  const out = writeBackFields(row, account);
  if (Object.keys(out.edit).length === 0 && out.conflicts.length === 0) return account;
  const { written, refusal } = await putEdit(run, division, account, out.edit, base.conflict ?? null);
  const conflict = refusal ?? conflictText(out.conflicts, account.modified);
  // The same conflict found again (every dispatch until someone resolves it) writes nothing.
  const nothingNew =
    (Object.keys(out.edit).length === 0 || refusal !== null) && conflict === (base.conflict ?? null);
  if (nothingNew) return written;
  const fields = refusal ? { conflict } : { ...out.fields, conflict };
  await mirror.save([{ table: 'relation', id: relation.id, create: false, fields }]);
  return written;
}

/**
 * The PUT of the edited fields. Exact's refusal is kept on the relation, naming the values refused; the same
 * values are not offered again on the next dispatch (10 errors an hour block the endpoint, PRODUCT.md §7) —
 * a changed Dynamics value, or the daily sync, tries again.
 */
async function putEdit(
  run: Run,
  division: number,
  account: ExactAccount,
  edit: AccountEdit,
  standing: string | null,
): Promise<{ written: ExactAccount; refusal: string | null }> {
  if (Object.keys(edit).length === 0) return { written: account, refusal: null };
  const prefix = `Not written to Exact: Exact Online refused ${JSON.stringify(edit)}`;
  if (standing?.startsWith(prefix)) return { written: account, refusal: standing };
  try {
    await run.deps.masterData!.updateAccount(division, account.id, edit);
    return { written: applied(account, edit), refusal: null };
  } catch (err) {
    if (!(err instanceof IntegrationError) || err.transient) throw err;
    return { written: account, refusal: `${prefix} (${err.message}).` };
  }
}

function applied(account: ExactAccount, edit: AccountEdit): ExactAccount {
  return {
    ...account,
    ...(edit.email !== undefined ? { email: edit.email } : {}),
    ...(edit.invoicingMethod !== undefined ? { invoicingMethod: edit.invoicingMethod } : {}),
    ...(edit.peppolId !== undefined ? { peppolId: edit.peppolId } : {}),
  };
}
