/**
 * Batch dispatch for the operator (PRODUCT.md §14): `dispatchBatch` with progress events that carry an ETA
 * from the administration's remaining Exact budget, and a final summary. Resend of failed invoices is the
 * same batch with `resend` (sent invoices are never sent again: the ledger's gate).
 */
import { dispatchBatch, type BatchProgress } from '../batch';
import type { DispatchLine } from '../dispatch';
import { audited } from './audit';
import { estimateAcross, type Eta } from './eta';
import { administrationOf } from './plan';
import { OperatorInputError, type OperatorDeps, type OperatorTenant } from './ports';

export interface BatchEvent extends BatchProgress {
  percent: number;
  eta: Eta;
}

export interface BatchResult extends BatchEvent {
  lines: DispatchLine[];
}

export interface BatchOrder {
  who: string;
  division?: number;
  rowIds?: string[];
  resend?: boolean;
}

export async function runBatch(
  deps: OperatorDeps,
  t: OperatorTenant,
  order: BatchOrder,
  onEvent: (e: BatchEvent) => void = () => undefined,
): Promise<BatchResult> {
  if (order.division === undefined && (order.rowIds ?? []).length === 0)
    throw new OperatorInputError('name an administration or at least one row');
  const admin = order.division !== undefined ? await administrationOf(t, order.division) : null;
  const target = {
    tenantId: t.name,
    ...(admin ? { administrationId: admin.id } : {}),
    ...(order.rowIds?.length ? { rowIds: order.rowIds } : {}),
    ...(order.resend ? { resend: true } : {}),
  };
  return audited(
    deps,
    {
      who: order.who,
      action: order.resend ? 'resend' : 'dispatch',
      tenant: t.name,
      target: admin ? String(admin.division) : `${order.rowIds?.length ?? 0} rows`,
    },
    async () => {
      const event = eventsOf(deps, t, admin?.division ?? null, await divisionsOfRows(t, order.rowIds));
      const result = await dispatchBatch(t.deps, target, (p) => onEvent(event(p)));
      return { ...event(result), lines: result.lines };
    },
    (r) => ({ total: r.total, ...r.byOutcome }),
  );
}

/** Progress with its percentage and the ETA from the budgets of the divisions still to send in. */
function eventsOf(
  deps: OperatorDeps,
  t: OperatorTenant,
  division: number | null,
  rowDivisions: Array<number | null>,
): (p: BatchProgress) => BatchEvent {
  const started = deps.clock.now().getTime();
  return (p) => {
    const now = deps.clock.now().getTime();
    const left = new Map<number, number>();
    const add = (d: number, n: number) => left.set(d, (left.get(d) ?? 0) + n);
    // dispatchBatch sends the rows named first, in their order, then the administration's own.
    const rowsLeft = rowDivisions.slice(Math.min(p.done, rowDivisions.length));
    for (const d of rowsLeft) if (d !== null) add(d, 1);
    const adminLeft = p.total - p.done - rowsLeft.length;
    if (division !== null && adminLeft > 0) add(division, adminLeft);
    const parts = [...left].map(([d, invoices]) => ({ invoices, budget: t.budget(d) }));
    const eta = estimateAcross(parts, now, { done: p.done, elapsedMs: now - started });
    return { ...p, percent: p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100), eta };
  };
}

/**
 * The division of each row named, in the batch's order (one Dataverse read per 50 rows): a selection's ETA is
 * counted in its own administrations' budgets (decision 0145). A row that no longer exists costs no Exact call.
 */
async function divisionsOfRows(
  t: OperatorTenant,
  rowIds: string[] | undefined,
): Promise<Array<number | null>> {
  const unique = [...new Set(rowIds ?? [])];
  if (unique.length === 0) return [];
  const contexts = await t.deps.records.loadContexts(unique);
  return unique.map((id) => contexts.get(id.toLowerCase())?.administration?.division ?? null);
}
