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
  let written = account;
  let refusal: string | null = null;
  if (Object.keys(out.edit).length > 0) {
    try {
      await masterData.updateAccount(division, account.id, out.edit);
      written = applied(account, out.edit);
    } catch (err) {
      if (!(err instanceof IntegrationError) || err.transient) throw err;
      refusal = `Not written to Exact: Exact Online refused the change (${err.message}).`;
    }
  }
  const conflict = refusal ?? conflictText(out.conflicts, account.modified);
  // The same conflict found again (every dispatch until someone resolves it) writes nothing.
  const nothingNew = Object.keys(out.edit).length === 0 && conflict === (base.conflict ?? null);
  if (nothingNew) return written;
  const fields = refusal ? { conflict } : { ...out.fields, conflict };
  await mirror.save([{ table: 'relation', id: relation.id, create: false, fields }]);
  return written;
}

function applied(account: ExactAccount, edit: AccountEdit): ExactAccount {
  return {
    ...account,
    ...(edit.email !== undefined ? { email: edit.email } : {}),
    ...(edit.invoicingMethod !== undefined ? { invoicingMethod: edit.invoicingMethod } : {}),
    ...(edit.peppolId !== undefined ? { peppolId: edit.peppolId } : {}),
  };
}
