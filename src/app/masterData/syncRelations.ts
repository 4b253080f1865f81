import { changedFields, isEmpty } from './diff';
import type { AccountChanges } from './ports';
import type { MirroredAdministration, MirroredLayout, MirroredRelation, MirrorWrite } from './records';
import { planInvoiceAccounts, planLayoutMigration, planLinks, type LinkReport } from './relationLinks';
import { planChanged, planUntouched, type PlannedRelation } from './relationPlan';
import type { MasterDataPorts } from './types';
import { writeBackAccount } from './writeBackAccount';

export interface RelationsSynced extends LinkReport {
  created: number;
  updated: number;
  gone: number;
  /** Relations whose Dynamics edits were written to Exact (one PUT each). */
  writtenBack: number;
  /** Relations whose edit was not written because Exact changed the field too. */
  conflicts: string[];
  /** PUTs Exact refused or that failed; retried by the next sync. */
  writeBackFailed: string[];
  migrated: number;
  unmigrated: string[];
  writes: number;
  exactCalls: number;
}

/** Cursor of a full read: every account (decision 0071). */
const FROM_START = '1';
/**
 * Decision 0076: the cursor is stored with the sync's other writes, or once a page (1,000 accounts) lies
 * above it; until then the accounts Exact changed in fields the mirror does not hold are read again (still
 * one call), so such a sync writes nothing to Dataverse.
 */
const CURSOR_BACKLOG = 1000;

/**
 * PRODUCT.md §11 relations of one administration, incrementally from `sync/CRM/Accounts` (decision 0071):
 * customers mirrored, linked to a Dynamics account, their invoice account set, Dynamics edits written to
 * Exact unless Exact changed the same field (decision 0076). The cursor moves only once everything is written.
 */
export async function syncRelations(
  ports: MasterDataPorts,
  admin: MirroredAdministration,
  layouts: readonly MirroredLayout[],
): Promise<RelationsSynced> {
  const cursor = admin.accountCursor ?? FROM_START;
  const changes = await ports.exact.accountChanges(admin.division, cursor);
  const rows = await ports.records.relations(admin.id);
  const { planned, gone } = plan(ports, admin, rows, changes, cursor === FROM_START);
  planInvoiceAccounts(planned);
  const links = await planLinks(ports.records, planned);
  const migration = planLayoutMigration(planned.values(), layouts);
  const put = await writeBack(ports, admin, planned.values());
  const { writes, created, updated } = relationWrites(planned.values());
  const backlog = changes.accounts.length >= CURSOR_BACKLOG;
  if (changes.cursor !== admin.accountCursor && (writes.length > 0 || backlog))
    writes.push({
      table: 'administration',
      id: admin.id,
      create: false,
      fields: { accountCursor: changes.cursor },
    });
  if (writes.length > 0) await ports.records.save(writes);
  return {
    ...links,
    ...migration,
    created,
    updated,
    gone,
    writtenBack: put.written,
    conflicts: [...planned.values()]
      .filter((p) => p.conflicted)
      .map((p) => p.fields.name ?? p.row?.name ?? ''),
    writeBackFailed: put.failed,
    writes: writes.length,
    exactCalls: changes.calls + put.calls,
  };
}

function plan(
  ports: MasterDataPorts,
  admin: MirroredAdministration,
  rows: readonly MirroredRelation[],
  changes: AccountChanges,
  fullRun: boolean,
): { planned: Map<string, PlannedRelation>; gone: number } {
  const byExact = new Map(rows.map((r) => [r.exactAccountId.toLowerCase(), r]));
  const planned = new Map<string, PlannedRelation>();
  let gone = 0;
  const markGone = (row: MirroredRelation) => {
    planned.set(row.exactAccountId.toLowerCase(), { id: row.id, row, fields: { state: 'gone' } });
    if (row.state !== 'gone') gone++;
  };
  for (const a of changes.accounts) {
    const row = byExact.get(a.id.toLowerCase());
    if (a.customer) planned.set(a.id.toLowerCase(), planChanged(admin, row, a, ports.newId));
    else if (row) markGone(row);
  }
  for (const [exactId, row] of byExact) {
    if (planned.has(exactId)) continue;
    if (fullRun || row.state === 'gone') markGone(row);
    else if (row.state === 'active') planned.set(exactId, planUntouched(row));
  }
  return { planned, gone };
}

/**
 * Dynamics edits of the mirrored relations written to Exact (writeBackAccount.ts, one PUT each). A refused
 * edit is offered again once a sync; a failed one keeps its base, so the next sync tries again.
 */
async function writeBack(
  ports: MasterDataPorts,
  admin: MirroredAdministration,
  planned: Iterable<PlannedRelation>,
): Promise<{ written: number; failed: string[]; calls: number }> {
  const out = { written: 0, failed: [] as string[], calls: 0 };
  for (const p of planned) {
    if (!p.row || p.fields.state === 'gone' || (p.row.state === null && !p.first)) continue;
    const target = { division: admin.division, accountId: p.row.exactAccountId };
    const row = { ...p.row, ...p.fields };
    const w = await writeBackAccount(ports.exact, target, row, p.account, { offerRefused: true });
    const firstNote = p.first ? (p.fields.conflict ?? null) : null;
    Object.assign(p.fields, w.fields);
    // A first mirror's note stays unless the write-back has something to say.
    if (p.first && (w.fields.conflict ?? null) === null) p.fields.conflict = firstNote;
    p.conflicted = w.conflicted;
    out.calls += w.exactCalls;
    if (w.put === 'written') out.written++;
    if (w.put === 'refused' || w.put === 'failed') out.failed.push(p.row.name);
  }
  return out;
}

/** Creates first, then updates, then the invoice-account binds of created rows (they may point at each other). */
function relationWrites(planned: Iterable<PlannedRelation>): {
  writes: MirrorWrite[];
  created: number;
  updated: number;
} {
  const creates: MirrorWrite[] = [];
  const updates: MirrorWrite[] = [];
  const binds: MirrorWrite[] = [];
  for (const p of planned) {
    const fields = changedFields(p.row, p.fields);
    if (isEmpty(fields)) continue;
    if (p.row) {
      updates.push({ table: 'relation', id: p.id, create: false, fields });
      continue;
    }
    const { invoiceAccountId, ...rest } = fields;
    creates.push({ table: 'relation', id: p.id, create: true, fields: rest });
    if (invoiceAccountId)
      binds.push({ table: 'relation', id: p.id, create: false, fields: { invoiceAccountId } });
  }
  return { writes: [...creates, ...updates, ...binds], created: creates.length, updated: updates.length };
}
