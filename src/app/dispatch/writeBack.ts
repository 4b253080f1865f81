/**
 * Step 2c — a Dynamics edit reaches Exact before Exact sends with it (PRODUCT.md §11, decision 0076): a
 * relation whose invoice method, invoice email or Peppol id was edited in Dynamics since the last sync gets the
 * edit written to Exact's account (one PUT) before the decision, unless Exact changed that field too — then
 * nothing is overwritten and the relation row says so. The rule is the master data's one
 * (`writeBackAccount`, decision 0131); the fresh account the receivers step read is compared with the base, so
 * this costs no read; only an edited relation costs a PUT and one Dataverse write. An edit Exact refused is not
 * offered again before printing (10 errors an hour block the endpoint, PRODUCT.md §7): the daily sync retries it.
 */
import type { RelationFacts } from '../../domain/types';
import { changedFields } from '../masterData/diff';
import type { ExactAccount } from '../masterData/ports';
import { writeBackAccount, type WriteBackRow } from '../masterData/writeBackAccount';
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
    conflict: base.conflict ?? null,
  } as WriteBackRow;
  const target = { division, accountId: account.id };
  const wb = await writeBackAccount(masterData, target, row, account, { offerRefused: false });
  if (wb.put === 'failed') throw wb.error;
  // The same explanation found again (every dispatch until someone resolves it) writes nothing.
  const fields = changedFields(row, wb.fields);
  if (Object.keys(fields).length > 0)
    await mirror.save([{ table: 'relation', id: relation.id, create: false, fields }]);
  return wb.account ?? account;
}
