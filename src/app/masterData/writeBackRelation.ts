import { changedFields, isEmpty } from './diff';
import type { MirroredAdministration } from './records';
import type { MasterDataPorts } from './types';
import { writeBackFields } from './writeBack';
import { writeBackAccount } from './writeBackAccount';

export interface RelationWrittenBack {
  /** The edit reached Exact's account (one PUT). */
  written: boolean;
  /** The row's explanation when the edit was not written: Exact changed the same field, or refused it. */
  conflict: string | null;
  exactCalls: number;
  dataverseWrites: number;
}

/**
 * Decision 0071 "a write outside a sync": one relation's Dynamics edits written to Exact now (e.g. before a
 * resend prints), by the same rule as the sync (writeBackAccount.ts). Costs nothing when the row holds no edit;
 * otherwise one `crm/Accounts` read (Exact's current values, compared with the base) and at most one PUT. An
 * edit Exact refused before is not offered again; a transient fault is thrown (the caller retries).
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
  const target = { division: admin.division, accountId: row.exactAccountId };
  const w = await writeBackAccount(ports.exact, target, row, account, { offerRefused: false });
  out.exactCalls += w.exactCalls;
  if (w.put === 'failed') throw w.error;
  out.written = w.put === 'written';
  out.conflict = 'conflict' in w.fields ? (w.fields.conflict ?? null) : row.conflict;
  const fields = changedFields(row, w.fields);
  if (!isEmpty(fields)) {
    await ports.records.save([{ table: 'relation', id: row.id, create: false, fields }]);
    out.dataverseWrites = 1;
  }
  return out;
}
