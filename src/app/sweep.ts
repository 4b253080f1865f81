import { wallTimeAt } from '../domain';
import { SOURCE, type AdministrationFacts, type Source } from '../domain/types';
import { recordInvoiceNumber, type TenantContext } from './dispatch';
import { enqueueRowBatches } from './enqueue';
import type {
  Clock,
  DispatchQueue,
  ExactGateway,
  ExactInvoiceState,
  InvoiceRecords,
  Ledger,
  LedgerEntry,
  NewInvoiceRow,
  TenantDirectory,
} from './ports';

export interface SweepDeps {
  tenant: TenantContext;
  exact: ExactGateway;
  records: InvoiceRecords;
  directory: TenantDirectory;
  ledger: Ledger;
  queue: DispatchQueue;
  clock: Clock;
  /** Invoices per dispatch message: one Exact status call confirms the whole batch. */
  batchSize?: number;
}

export interface SweepReport {
  administrations: Array<{
    id: string;
    name: string;
    division: number;
    skipped?: string;
    open: number;
    created: number;
    enqueued: number;
  }>;
}

/**
 * The sweep: why no invoice is ever lost. Per enabled administration: list the open invoices in Exact,
 * create the missing eol_salesinvoice rows (recurring and manual invoices have none), and enqueue what
 * is due or left behind (no ledger entry, waiting, scheduled and due, a stale lease, a pending writeback,
 * a resend request). `full` (the 00:05 sweep) also re-decides ignored and opted-out invoices, since
 * settings on relations and administrations raise no event.
 */
export async function sweepTenant(
  deps: SweepDeps,
  options: { full: boolean } | { slot: (a: AdministrationFacts) => { run: boolean; full: boolean } },
): Promise<SweepReport> {
  const report: SweepReport = { administrations: [] };
  for (const admin of await deps.directory.administrations()) {
    const slot = 'slot' in options ? options.slot(admin) : { run: true, full: options.full };
    if (slot.run) report.administrations.push(await sweepGuarded(deps, admin, slot.full));
  }
  return report;
}

/**
 * One administration's sweep, as a sweep request on its session asks for it (see `enqueueSweeps`). An
 * administration that no longer exists or was switched off since the request was made is skipped.
 */
export async function sweepOneAdministration(
  deps: SweepDeps,
  administrationId: string,
  full: boolean,
  requestedAt?: Date,
): Promise<SweepReport['administrations'][number]> {
  const admin = (await deps.directory.administrations()).find((a) => a.id === administrationId);
  if (!admin) return { id: administrationId, name: '', division: 0, open: 0, created: 0, enqueued: 0, skipped: 'administration not found' };
  // Requests wait in the session behind the administration's work. One that waited while another sweep
  // ran has nothing left to find: running it would only enqueue the same invoices a second time.
  // A full sweep (00:05) always runs: it re-decides what a quarter-hour sweep leaves alone.
  if (!full && requestedAt) {
    const swept = await deps.ledger.sweptAt(deps.tenant.tenantId, admin.division);
    if (swept && swept >= requestedAt) {
      return { id: admin.id, name: admin.name, division: admin.division, open: 0, created: 0, enqueued: 0, skipped: `already swept at ${swept.toISOString()}, after this request` };
    }
  }
  return sweepGuarded(deps, admin, full, true);
}

async function sweepGuarded(
  deps: SweepDeps,
  admin: AdministrationFacts,
  full: boolean,
  rethrow = false,
): Promise<SweepReport['administrations'][number]> {
  const base = { id: admin.id, name: admin.name, division: admin.division, open: 0, created: 0, enqueued: 0 };
  if (!admin.printInvoices) return { ...base, skipped: 'auto-invoice switched off (eol_printinvoices = no)' };
  try {
    const startedAt = deps.clock.now();
    const report = await sweepAdministration(deps, admin, full, base);
    await deps.ledger.markSwept(deps.tenant.tenantId, admin.division, startedAt);
    return report;
  } catch (err) {
    // A request on the queue is retried by redelivery; in a loop, one administration's fault
    // (Exact down for it, a refused division) must not stop the others.
    if (rethrow) throw err;
    return { ...base, skipped: `sweep failed: ${(err as Error).message}` };
  }
}

async function sweepAdministration(
  deps: SweepDeps,
  admin: AdministrationFacts,
  full: boolean,
  base: SweepReport['administrations'][number],
): Promise<SweepReport['administrations'][number]> {
  const now = deps.clock.now();
  const open: ExactInvoiceState[] = [];
  for await (const inv of deps.exact.listOpenInvoices(admin.division)) open.push(inv);

  const { rowIdByInvoice, resendRows, created } = await rowsForOpenInvoices(deps, admin, open);

  const entries = new Map<string, LedgerEntry>();
  const open0 = ['waiting', 'scheduled', 'sending', 'ignored', 'optedOut', 'failed'] as const;
  for (const e of await deps.ledger.list(deps.tenant.tenantId, admin.division, [...open0]))
    entries.set(e.key.invoiceId, e);
  // Sent is final and ever-growing: only recent ones are read, for a writeback that never landed
  // and for invoice numbers still to read back.
  const recentSent = await deps.ledger.list(deps.tenant.tenantId, admin.division, ['sent'], {
    updatedSince: new Date(now.getTime() - RECENT_SENT_MS),
  });
  for (const e of recentSent) if (e.writebackPending) entries.set(e.key.invoiceId, e);
  const due: string[] = [];
  const seen = new Set<string>();
  for (const inv of open) {
    const id = inv.invoiceId.toLowerCase();
    const rowId = rowIdByInvoice.get(id);
    if (!rowId) continue;
    seen.add(id);
    if (isDue(entries.get(id), now, full, resendRows.has(rowId))) due.push(rowId);
  }
  // Left behind outside the open list: a print whose claim went stale, or a writeback that never landed.
  for (const [id, e] of entries) {
    if (seen.has(id) || !e.rowId) continue;
    if (e.writebackPending || (e.state === 'sending' && (!e.leaseUntil || e.leaseUntil <= now)))
      due.push(e.rowId);
  }

  await readBackInvoiceNumbers(deps, admin.division, recentSent);

  await enqueueRowBatches(
    { queue: deps.queue, tenantId: deps.tenant.tenantId },
    admin,
    due,
    'sweep',
    now,
    deps.batchSize,
  );
  return { ...base, open: open.length, created, enqueued: due.length };
}

/**
 * The eol_salesinvoice row of every open invoice: found by Exact id, or created (recurring and manual
 * invoices have none). Shared by the sweep and the batch use case.
 */
export async function rowsForOpenInvoices(
  deps: Pick<SweepDeps, 'records' | 'directory'>,
  admin: AdministrationFacts,
  open: ExactInvoiceState[],
): Promise<{ rowIdByInvoice: Map<string, string>; resendRows: Set<string>; created: number }> {
  const rowIdByInvoice = new Map<string, string>();
  const resendRows = new Set<string>();
  for (const chunk of chunks(
    open.map((i) => i.invoiceId.toLowerCase()),
    50,
  )) {
    for (const row of await deps.records.findByExactIds(admin.id, chunk)) {
      if (row.exactInvoiceId) rowIdByInvoice.set(row.exactInvoiceId.toLowerCase(), row.rowId);
      if (row.resend) resendRows.add(row.rowId);
    }
  }

  const missing = open.filter((i) => !rowIdByInvoice.has(i.invoiceId.toLowerCase()));
  let created = 0;
  if (missing.length > 0) {
    const relations = new Map(
      (await deps.directory.relations(admin.id)).map((r) => [r.exactAccountId.toLowerCase(), r]),
    );
    for (const chunk of chunks(missing, 100)) {
      const ids = await createOrFind(deps, admin.id, chunk, (inv) => ({
        exactInvoiceId: inv.invoiceId.toLowerCase(),
        administrationId: admin.id,
        relationId: relations.get(inv.invoiceTo.toLowerCase())?.id ?? null,
        name: inv.invoiceNumber ? String(inv.invoiceNumber) : rowLabel(inv),
        invoiceNumber: inv.invoiceNumber,
        invoiceDate: inv.invoiceDate,
        source: classifySource(inv),
      }));
      for (const [exactId, rowId] of ids.rows) rowIdByInvoice.set(exactId.toLowerCase(), rowId);
      created += ids.created;
    }
  }

  return { rowIdByInvoice, resendRows, created };
}

/**
 * Creates the missing rows. Another sweep (a second instance, an overlapping timer) may have created them
 * a moment earlier, in which case Dataverse refuses the batch on the alternate key: the rows that exist
 * now are read back and used, so concurrent sweeps meet on the same rows instead of failing.
 */
async function createOrFind(
  deps: Pick<SweepDeps, 'records'>,
  administrationId: string,
  chunk: ExactInvoiceState[],
  toRow: (inv: ExactInvoiceState) => NewInvoiceRow,
): Promise<{ rows: Map<string, string>; created: number }> {
  try {
    const rows = await deps.records.createRows(chunk.map(toRow));
    return { rows, created: rows.size };
  } catch (err) {
    const ids = chunk.map((i) => i.invoiceId.toLowerCase());
    const existing = await deps.records.findByExactIds(administrationId, ids);
    const rows = new Map(
      existing.filter((r) => r.exactInvoiceId).map((r) => [r.exactInvoiceId!.toLowerCase(), r.rowId]),
    );
    if (ids.some((id) => !rows.has(id))) throw err;
    return { rows, created: 0 };
  }
}

/** How far back the sweep looks at sent invoices (pending writebacks, invoice numbers): it runs every 15 minutes. */
const RECENT_SENT_MS = 2 * 86_400_000;

/** Invoice numbers the workers' piggyback did not pick up: one Exact call per 60 invoices. */
async function readBackInvoiceNumbers(
  deps: SweepDeps,
  division: number,
  recentSent: LedgerEntry[],
): Promise<void> {
  const pending = recentSent.filter((e) => e.invoiceNumber === null);
  for (const chunk of chunks(pending, 60)) {
    const found = await deps.exact.confirmStatuses(
      division,
      chunk.map((e) => e.key.invoiceId),
    );
    for (const entry of chunk) {
      const n = found.get(entry.key.invoiceId)?.invoiceNumber;
      if (n != null) await recordInvoiceNumber(deps, entry, n);
    }
  }
}

function isDue(entry: LedgerEntry | undefined, now: Date, full: boolean, resend: boolean): boolean {
  if (!entry || resend || entry.writebackPending) return true;
  switch (entry.state) {
    case 'waiting':
      return true;
    case 'scheduled':
      // The full 00:05 sweep also re-decides future ones: a date moved earlier whose event was lost
      // is caught on the day it becomes due.
      return full || !entry.scheduledFor || entry.scheduledFor <= now;
    case 'sending':
      return !entry.leaseUntil || entry.leaseUntil <= now;
    case 'ignored':
    case 'optedOut':
      return full;
    default:
      return false;
  }
}

/**
 * Exact's SalesInvoices carry no field naming their origin. Rows made by Dynamics already exist (source 1);
 * an invoice without a row is recurring when its description is Exact's subscription text, else manual.
 * See docs/decisions/0010-source-of-swept-invoices.md.
 */
export function classifySource(inv: ExactInvoiceState): Source {
  const d = (inv.description ?? '').trim().toLowerCase();
  return d.startsWith('abonnement') || d.startsWith('subscription') ? SOURCE.recurring : SOURCE.manual;
}

/** Whether this 5-minute timer tick is a sweep slot for a zone: every quarter hour, and 00:05 local (full). */
export function sweepSlot(now: Date, timeZone: string): { run: boolean; full: boolean } {
  // An invalid zone falls back to the domain's default zone, as the decision does.
  const { hour, minute } = wallTimeAt(now.getTime(), timeZone);
  const full = hour === 0 && minute >= 5 && minute < 10;
  return { run: full || minute % 15 < 5, full };
}

/** Until Exact assigns a number (at printing), the row is named after what Exact shows in its list. */
function rowLabel(inv: ExactInvoiceState): string {
  const what = (inv.description ?? '').trim() || inv.invoiceToName || 'Invoice';
  return `${what.slice(0, 60)} (${inv.invoiceDate})`;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
