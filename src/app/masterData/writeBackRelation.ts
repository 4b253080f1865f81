import { changedFields, isEmpty } from './diff';
import type { MirroredAdministration } from './records';
import { planChanged } from './relationPlan';
import type { MasterDataPorts } from './types';
import { writeBackFields } from './writeBack';

export interface RelationWrittenBack {
  /** The edit reached Exact's account (one PUT). */
  written: boolean;
  /** The row's explanation when Exact changed the same field since the last sync. */
  conflict: string | null;
  exactCalls: number;
  dataverseWrites: number;
}

/**
 * Decision 0071 "a write outside a sync": one relation's Dynamics edits written to Exact now (e.g. before a
 * resend prints), with the same rule as the sync. Costs nothing when the row holds no edit; otherwise one
 * `crm/Accounts` read (Exact's current values, compared with the base) and one PUT.
 */
export async function writeBackRelation(
  ports: MasterDataPorts,
  admin: Pick<MirroredAdministration, 'id' | 'division'>,
  relationId: string,
): Promise<RelationWrittenBack> {
  const out: RelationWrittenBack = { written: false, conflict: null, exactCalls: 0, dataverseWrites: 0 };
  const row = await ports.records.relation(relationId);
  if (!row || row.state !== 'active' || row.administrationId !== admin.id.toLowerCase()) return out;
  if (isEmpty(writeBackFields(row, undefined).edit)) return out;
  const found = await ports.exact.accounts(admin.division, [row.exactAccountId]);
  out.exactCalls++;
  const account = found.get(row.exactAccountId);
  if (!account) return out;
  const plan = planChanged(admin, row, account, ports.newId);
  if (!isEmpty(plan.edit)) {
    await ports.exact.updateAccount(admin.division, row.exactAccountId, plan.edit);
    out.exactCalls++;
    out.written = true;
    if (!plan.conflicted) plan.fields.conflict = null;
  }
  out.conflict = plan.conflicted ? (plan.fields.conflict ?? null) : null;
  const fields = changedFields(row, plan.fields);
  if (!isEmpty(fields)) {
    await ports.records.save([{ table: 'relation', id: row.id, create: false, fields }]);
    out.dataverseWrites = 1;
  }
  return out;
}
