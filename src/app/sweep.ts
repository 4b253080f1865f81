import { leftBehind, sweepWants, wallTimeAt } from '../domain';
import type { AdministrationFacts } from '../domain/types';
import { writeWithNumbers, type TenantContext } from './dispatch';
import { enqueueRowBatches } from './requests';
import { rowsForOpenInvoices } from './sweepRows';
import type {
  Clock,
  DispatchQueue,
  ExactGateway,
  ExactInvoiceState,
  InvoiceRecords,
  Ledger,
  LedgerEntry,
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
 * The sweep: why no invoice is ever lost. Per enabled administration (one sweep request each, see
 * sweepRequests.ts): list the open invoices in Exact, create the missing eol_salesinvoice rows (recurring
 * and manual invoices have none), and enqueue what is due or left behind (see `sweepWants`/`leftBehind`).
 *
 * One administration's sweep, as a sweep request on its session asks for it (see `enqueueSweeps`). An
 * administration that no longer exists or was switched off since the request was made is skipped.
 */
export async function sweepOneAdministration(
  deps: SweepDeps,
  administrationId: string,
  full: boolean,
  requestedAt?: Date,
): Promise<AdministrationReport> {
  const admin = (await deps.directory.administrations()).find(
    (a) => a.id.toLowerCase() === administrationId.toLowerCase(),
  );
  if (!admin)
    return {
      ...nothingDone({ id: administrationId, name: '', division: 0 }),
      skipped: 'administration not found',
    };
  // Requests wait in the session behind the administration's work. One that waited while another sweep
  // ran has nothing left to find: running it would only enqueue the same invoices a second time.
  // A full sweep (00:05) always runs: it re-decides what a quarter-hour sweep leaves alone.
  if (!full && requestedAt) {
    const swept = await deps.ledger.sweptAt(deps.tenant.tenantId, admin.division);
    if (swept && swept >= requestedAt) {
      return {
        ...nothingDone(admin),
        skipped: `already swept at ${swept.toISOString()}, after this request`,
      };
    }
  }
  // A failure is thrown: the request is redelivered.
  return sweepMarked(deps, admin, full);
}

type AdministrationReport = SweepReport['administrations'][number];

function nothingDone(admin: Pick<AdministrationFacts, 'id' | 'name' | 'division'>): AdministrationReport {
  return { id: admin.id, name: admin.name, division: admin.division, open: 0, created: 0, enqueued: 0 };
}

/** Sweeps an enabled administration and records when the sweep started (see `sweepOneAdministration`). */
async function sweepMarked(
  deps: SweepDeps,
  admin: AdministrationFacts,
  full: boolean,
): Promise<AdministrationReport> {
  if (!admin.printInvoices)
    return { ...nothingDone(admin), skipped: 'auto-invoice switched off (eol_printinvoices = no)' };
  const startedAt = deps.clock.now();
  const report = await sweepAdministration(deps, admin, full);
  await deps.ledger.markSwept(deps.tenant.tenantId, admin.division, startedAt);
  return report;
}

async function sweepAdministration(
  deps: SweepDeps,
  admin: AdministrationFacts,
  full: boolean,
): Promise<AdministrationReport> {
  const now = deps.clock.now();
  // Sent is final and ever-growing: only recent ones are read, for a writeback that never landed
  // and for invoice numbers still to read back (they come with the open invoices' listing).
  const recentSent = await deps.ledger.list(deps.tenant.tenantId, admin.division, ['sent', 'printList'], {
    updatedSince: new Date(now.getTime() - RECENT_SENT_MS),
  });
  const numberless = recentSent.filter((e) => e.invoiceNumber === null);
  const open: ExactInvoiceState[] = [];
  const processed = new Map<string, ExactInvoiceState>();
  for await (const inv of deps.exact.listOpenInvoices(admin.division, processedSince(numberless))) {
    if (inv.status === 50) processed.set(inv.invoiceId.toLowerCase(), inv);
    else open.push(inv);
  }

  const { rowIdByInvoice, resendRows, created } = await rowsForOpenInvoices(deps, admin, open);

  const entries = new Map<string, LedgerEntry>();
  const open0 = [
    'waiting',
    'scheduled',
    'sending',
    'ignored',
    'optedOut',
    'failed',
    'mailing',
    'review',
  ] as const;
  for (const e of await deps.ledger.list(deps.tenant.tenantId, admin.division, [...open0]))
    entries.set(e.key.invoiceId, e);
  for (const e of recentSent) if (e.writebackPending) entries.set(e.key.invoiceId, e);
  const due: string[] = [];
  const seen = new Set<string>();
  for (const inv of open) {
    const id = inv.invoiceId.toLowerCase();
    const rowId = rowIdByInvoice.get(id);
    if (!rowId) continue;
    seen.add(id);
    if (sweepWants(entries.get(id), now, full, resendRows.has(rowId))) due.push(rowId);
  }
  // Left behind outside the open list: a print whose claim went stale, or a writeback that never landed.
  for (const [id, e] of entries) {
    if (!seen.has(id) && e.rowId && leftBehind(e, now)) due.push(e.rowId);
  }

  await writeNumbersFound(deps, numberless, processed);

  await enqueueRowBatches(
    { queue: deps.queue, tenantId: deps.tenant.tenantId },
    admin,
    due,
    'sweep',
    now,
    deps.batchSize,
  );
  return { ...nothingDone(admin), open: open.length, created, enqueued: due.length };
}

/** How far back the sweep looks at sent invoices (pending writebacks, invoice numbers): it runs every 15 minutes. */
const RECENT_SENT_MS = 2 * 86_400_000;

/**
 * Invoice numbers the workers' piggyback did not pick up come with the sweep's own listing: the processed
 * invoices modified since the oldest waiting print, less a day (Exact's `Modified` is its local time), in the
 * same bulk request as the open ones (decision 0152). None waiting: the listing asks for open ones only.
 */
function processedSince(numberless: LedgerEntry[]): Date | undefined {
  if (numberless.length === 0) return undefined;
  const oldest = Math.min(...numberless.map((e) => (e.sentOn ?? e.updatedAt).getTime()));
  return new Date(oldest - 86_400_000);
}

/** The numbers found, written to their rows in one Dataverse request; one not found or not written: next sweep. */
async function writeNumbersFound(
  deps: SweepDeps,
  numberless: LedgerEntry[],
  processed: Map<string, ExactInvoiceState>,
): Promise<void> {
  await writeWithNumbers(
    deps,
    numberless.flatMap((entry) => {
      const invoiceNumber = processed.get(entry.key.invoiceId.toLowerCase())?.invoiceNumber;
      return invoiceNumber != null ? [{ entry, invoiceNumber }] : [];
    }),
  );
}

/** Whether this 5-minute timer tick is a sweep slot for a zone: every quarter hour, and 00:05 local (full). */
export function sweepSlot(now: Date, timeZone: string): { run: boolean; full: boolean } {
  // An invalid zone falls back to the domain's default zone, as the decision does.
  const { hour, minute } = wallTimeAt(now.getTime(), timeZone);
  const full = hour === 0 && minute >= 5 && minute < 10;
  return { run: full || minute % 15 < 5, full };
}
