/**
 * The operator's status (PRODUCT.md §14): per tenant the licence and Exact connection health, per
 * administration the counts by status, sent per day by channel (the dashboard's chart) and the remaining
 * Exact budget; failures come first in `failures`. Read from the ledger (what the connector did).
 */
import { explainLicenceExpiry, LEDGER_STATES, licenceExpiryNotice } from '../../domain';
import type { InvoiceContext, LedgerEntry, LedgerState } from '../ports';
import type { ExactBudget, OperatorDeps, OperatorTenant } from './ports';

export interface AdministrationStatus {
  name: string;
  division: number;
  printInvoices: boolean;
  activeFrom: string | null;
  counts: Partial<Record<LedgerState, number>>;
  /** `YYYY-MM-DD` → channel → invoices sent that day (UTC), the last 14 days with any. */
  sentPerDay: Record<string, Record<string, number>>;
  budget: ExactBudget;
}

export interface TenantStatus {
  tenant: string;
  licence: { valid: boolean; reason?: string; expiresAt?: string; notice?: string };
  connected: boolean;
  administrations: AdministrationStatus[];
  failures: FailureItem[];
}

export interface FailureItem {
  division: number;
  invoiceId: string;
  rowId: string | null;
  invoice: string;
  /** The relation's name, from the Dataverse row (empty when the row is gone). */
  relation: string;
  reason: string;
  message: string;
  at: string;
}

const STATES: LedgerState[] = [...LEDGER_STATES];
const CHART_DAYS = 14;

export async function statusOf(deps: OperatorDeps): Promise<TenantStatus[]> {
  const out: TenantStatus[] = [];
  for (const t of deps.tenants) out.push(await tenantStatus(deps, t));
  return out;
}

async function tenantStatus(deps: OperatorDeps, t: OperatorTenant): Promise<TenantStatus> {
  const now = deps.clock.now();
  const administrations = await t.deps.directory.administrations().catch(() => []);
  const rows: AdministrationStatus[] = [];
  const failures: FailureItem[] = [];
  for (const a of administrations) {
    const entries = await deps.ledger.list(t.name, a.division, STATES);
    failures.push(...entries.filter((e) => e.state === 'failed').map(failureOf));
    rows.push({
      name: a.name,
      division: a.division,
      printInvoices: a.printInvoices,
      activeFrom: a.activeFrom ?? null,
      counts: countStates(entries),
      sentPerDay: sentPerDay(entries, now),
      budget: t.budget(a.division),
    });
  }
  failures.sort((x, y) => y.at.localeCompare(x.at));
  await labelled(t, failures);
  return {
    tenant: t.name,
    licence: await licenceOf(t, now),
    connected: await t.isConnected().catch(() => false),
    administrations: rows,
    failures,
  };
}

/** Failed invoices of the tenant (optionally of one reason), newest first. */
export async function failuresOf(
  deps: OperatorDeps,
  t: OperatorTenant,
  reason?: string,
): Promise<FailureItem[]> {
  const out: FailureItem[] = [];
  for (const a of await t.deps.directory.administrations())
    for (const e of await deps.ledger.list(t.name, a.division, ['failed']))
      if (!reason || e.reason === reason) out.push(failureOf(e));
  return labelled(
    t,
    out.sort((x, y) => y.at.localeCompare(x.at)),
  );
}

/** The invoice's label (number, else the row's name) and relation from Dataverse: what a person recognises. */
async function labelled<T extends FailureItem>(t: OperatorTenant, items: T[]): Promise<T[]> {
  const rowIds = items.flatMap((i) => (i.rowId ? [i.rowId] : []));
  if (rowIds.length === 0) return items;
  const contexts = await t.deps.records.loadContexts(rowIds).catch(() => new Map<string, InvoiceContext>());
  for (const i of items) {
    const ctx = i.rowId ? contexts.get(i.rowId.toLowerCase()) : undefined;
    if (!ctx) continue;
    const row = ctx.invoice;
    i.invoice = row.invoiceNumber !== null ? String(row.invoiceNumber) : (row.name ?? i.invoice);
    i.relation = ctx.relation?.name ?? '';
  }
  return items;
}

export interface InvoiceItem extends FailureItem {
  state: LedgerState;
  channel: string | null;
  sentOn: string | null;
}

/** The invoices the connector has handled in one administration (the ledger), newest first. */
export async function invoicesOf(
  deps: OperatorDeps,
  t: OperatorTenant,
  division: number,
): Promise<InvoiceItem[]> {
  const entries = await deps.ledger.list(t.name, division, STATES);
  const items = entries
    .map((e) => ({
      ...failureOf(e),
      state: e.state,
      channel: e.channel,
      sentOn: e.sentOn?.toISOString() ?? null,
    }))
    .sort((x, y) => y.at.localeCompare(x.at));
  return labelled(t, items);
}

function failureOf(e: LedgerEntry): FailureItem {
  return {
    division: e.key.division,
    invoiceId: e.key.invoiceId,
    rowId: e.rowId,
    invoice: e.invoiceNumber !== null ? String(e.invoiceNumber) : e.key.invoiceId,
    relation: '',
    reason: e.reason ?? '',
    message: e.message ?? '',
    at: e.updatedAt.toISOString(),
  };
}

function countStates(entries: LedgerEntry[]): Partial<Record<LedgerState, number>> {
  const counts: Partial<Record<LedgerState, number>> = {};
  for (const e of entries) counts[e.state] = (counts[e.state] ?? 0) + 1;
  return counts;
}

function sentPerDay(entries: LedgerEntry[], now: Date): Record<string, Record<string, number>> {
  const from = now.getTime() - CHART_DAYS * 86_400_000;
  const days: Record<string, Record<string, number>> = {};
  for (const e of entries) {
    if ((e.state !== 'sent' && e.state !== 'printList') || !e.sentOn || e.sentOn.getTime() < from) continue;
    const day = e.sentOn.toISOString().slice(0, 10);
    const channel = e.channel ?? 'unknown';
    days[day] ??= {};
    days[day][channel] = (days[day][channel] ?? 0) + 1;
  }
  return days;
}

async function licenceOf(t: OperatorTenant, now: Date): Promise<TenantStatus['licence']> {
  const check = await t.deps.tenant.licence(now);
  if (!check.ok) return { valid: false, reason: check.reason };
  const notice = licenceExpiryNotice(check, now);
  const lang = await t.deps.tenant.language().catch(() => 'en' as const);
  return {
    valid: true,
    expiresAt: check.expiresAt.toISOString(),
    ...(notice ? { notice: explainLicenceExpiry(notice, lang) } : {}),
  };
}
