import { matchRelations, type MatchReport, type MatchRule } from '../../domain/relationMatch';
import { byExactLayoutId, migrateLayout } from './layoutMigration';
import type { MasterDataRecords, MirroredLayout } from './records';
import type { PlannedRelation } from './relationPlan';

/** The value the relation will hold after this sync (planned over read). */
const after = <K extends keyof PlannedRelation['fields']>(p: PlannedRelation, key: K) =>
  p.fields[key] !== undefined ? p.fields[key] : p.row?.[key];

/** `eol_invoiceaccountid` from Exact's `InvoiceAccount`: the relation row of that account, when mirrored. */
export function planInvoiceAccounts(planned: ReadonlyMap<string, PlannedRelation>): void {
  for (const p of planned.values()) {
    const target = p.account?.invoiceAccount?.toLowerCase();
    if (!p.account || p.fields.state !== 'active') continue;
    const row = target && target !== p.account.id.toLowerCase() ? planned.get(target) : undefined;
    p.fields.invoiceAccountId = row ? row.id : null;
  }
}

export interface UnlinkedRelation {
  name: string;
  why: 'none' | 'several';
  ambiguous: MatchRule[];
}

export interface LinkReport {
  linkedBy: Record<MatchRule, number>;
  /** Linked by this sync (KvK, VAT or name). */
  newlyLinked: number;
  unlinked: UnlinkedRelation[];
}

/** Links active relations without a Dynamics account (domain/relationMatch); reads accounts only when needed. */
export async function planLinks(
  records: MasterDataRecords,
  planned: ReadonlyMap<string, PlannedRelation>,
): Promise<LinkReport> {
  const active = [...planned.values()].filter((p) => after(p, 'state') === 'active');
  const toMatch = active.map((p) => ({
    id: p.id,
    name: after(p, 'name') ?? '',
    kvk: after(p, 'kvk') ?? null,
    vatNumber: after(p, 'vatNumber') ?? null,
    accountId: after(p, 'accountId') ?? null,
  }));
  const needsAccounts = toMatch.some((r) => r.accountId === null);
  const report: MatchReport = matchRelations(toMatch, needsAccounts ? await records.accounts() : []);
  const byId = new Map(active.map((p) => [p.id, p]));
  const unlinked: UnlinkedRelation[] = [];
  for (const o of report.outcomes) {
    const p = byId.get(o.relationId)!;
    if (o.linked && o.rule !== 'link') p.fields.accountId = o.accountId;
    if (!o.linked) unlinked.push({ name: after(p, 'name') ?? '', why: o.why, ambiguous: o.ambiguous });
  }
  const newlyLinked = report.linkedBy.kvk + report.linkedBy.vat + report.linkedBy.name;
  return { linkedBy: report.linkedBy, newlyLinked, unlinked };
}

/** Decision 0075: a relation's layouts typed as GUID text move to the lookups. Returns the GUIDs left over. */
export function planLayoutMigration(
  planned: Iterable<PlannedRelation>,
  layouts: readonly MirroredLayout[],
): { migrated: number; unmigrated: string[] } {
  const byExact = byExactLayoutId(layouts);
  const out = { migrated: 0, unmigrated: [] as string[] };
  for (const p of planned) {
    if (!p.row) continue;
    const doc = migrateLayout(p.row.layoutId, p.row.legacyLayout, byExact);
    const mail = migrateLayout(p.row.emailLayoutId, p.row.legacyEmailLayout, byExact);
    if (doc.kind === 'migrate') Object.assign(p.fields, { layoutId: doc.layoutId, legacyLayout: null });
    if (mail.kind === 'migrate')
      Object.assign(p.fields, { emailLayoutId: mail.layoutId, legacyEmailLayout: null });
    for (const m of [doc, mail]) {
      if (m.kind === 'migrate') out.migrated++;
      if (m.kind === 'unknown') out.unmigrated.push(`${p.row.name}: ${m.guid}`);
    }
  }
  return out;
}
