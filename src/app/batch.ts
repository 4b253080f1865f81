import { dispatchInvoices, type DispatchDeps, type DispatchLine } from './dispatch';
import type { TenantDirectory } from './ports';
import { enqueueBatchChunk, ROWS_PER_BATCH, rowsRequest } from './requests';
import { rowsForOpenInvoices } from './sweepRows';

export interface BatchDeps extends DispatchDeps {
  directory: TenantDirectory;
}

export interface BatchTarget {
  tenantId: string;
  /** Every open invoice of this administration (rows are created for invoices that have none). */
  administrationId?: string;
  /** These rows (of any administration of the tenant). */
  rowIds?: string[];
  /** Re-run the decision for failed invoices too, as eol_resend does (sent ones are never sent again). */
  resend?: boolean;
}

export type BatchOutcome = DispatchLine['outcome'] | 'queued';

export interface BatchProgress {
  total: number;
  done: number;
  byOutcome: Partial<Record<BatchOutcome, number>>;
  /** Faults that sent a chunk to the queue for a later retry (no secrets: adapter messages). */
  errors: string[];
}

/** Invoices per dispatch call: one Exact status confirmation covers the chunk (as the sweep's batches). */
const CHUNK = ROWS_PER_BATCH;

/**
 * Dispatches a list of invoices or a whole administration now, in this process, reporting progress after
 * every chunk (for the CLI and the console). Same rules as every other path: the ledger makes a second run
 * harmless. A chunk that meets a fault is handed to the queue (outcome `queued`), which retries it.
 */
export async function dispatchBatch(
  deps: BatchDeps,
  target: BatchTarget,
  onProgress: (progress: BatchProgress) => void = () => undefined,
): Promise<BatchProgress & { lines: DispatchLine[] }> {
  const groups = await targetRows(deps, target);
  const total = groups.reduce((n, g) => n + g.rowIds.length, 0);
  const progress: BatchProgress = { total, done: 0, byOutcome: {}, errors: [] };
  const lines: DispatchLine[] = [];
  const count = (o: BatchOutcome, n = 1) => (progress.byOutcome[o] = (progress.byOutcome[o] ?? 0) + n);
  onProgress(snapshot(progress));

  for (const group of groups) {
    for (let i = 0; i < group.rowIds.length; i += CHUNK) {
      const admin = { id: group.administrationId, division: group.division };
      const request = rowsRequest(
        target.tenantId,
        admin,
        group.rowIds.slice(i, i + CHUNK),
        target.resend ? 'resend' : 'batch',
        deps.clock.now(),
      );
      const size = request.rowIds.length;
      try {
        const got = await dispatchInvoices(deps, request);
        lines.push(...got);
        for (const l of got) count(l.outcome);
        // Rows the dispatch handed back to the queue (a busy lease, a 429) are not in its lines.
        if (got.length < size) count('queued', size - got.length);
      } catch (err) {
        progress.errors.push((err as Error).message);
        await enqueueBatchChunk(deps.queue, request);
        count('queued', size);
      }
      progress.done += size;
      onProgress(snapshot(progress));
    }
  }
  return { ...snapshot(progress), lines };
}

interface Group {
  administrationId: string | null;
  division: number | null;
  rowIds: string[];
}

async function targetRows(deps: BatchDeps, target: BatchTarget): Promise<Group[]> {
  const groups: Group[] = [];
  const rowIds = [...new Set(target.rowIds ?? [])];
  if (rowIds.length > 0) groups.push({ administrationId: null, division: null, rowIds });
  if (target.administrationId) {
    const id = target.administrationId.toLowerCase();
    const admin = (await deps.directory.administrations()).find((a) => a.id.toLowerCase() === id);
    if (!admin) throw new Error(`administration ${target.administrationId} is not known in Dataverse`);
    const open = [];
    for await (const inv of deps.exact.listOpenInvoices(admin.division)) open.push(inv);
    const { rowIdByInvoice } = await rowsForOpenInvoices(deps, admin, open);
    const listed = new Set(rowIds);
    groups.push({
      administrationId: admin.id,
      division: admin.division,
      rowIds: [...rowIdByInvoice.values()].filter((r) => !listed.has(r)),
    });
  }
  return groups;
}

function snapshot(p: BatchProgress): BatchProgress {
  return { total: p.total, done: p.done, byOutcome: { ...p.byOutcome }, errors: [...p.errors] };
}
