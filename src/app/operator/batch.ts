/**
 * Batch dispatch for the operator (PRODUCT.md §14): `dispatchBatch` with progress events that carry an ETA
 * from the administration's remaining Exact budget, and a final summary. Resend of failed invoices is the
 * same batch with `resend` (sent invoices are never sent again: the ledger's gate).
 */
import { dispatchBatch, type BatchProgress } from '../batch';
import type { DispatchLine } from '../dispatch';
import { audited } from './audit';
import { estimate, type Eta } from './eta';
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
  const budgetDivision = admin?.division ?? order.division ?? 0;
  const started = deps.clock.now().getTime();
  const event = (p: BatchProgress): BatchEvent => {
    const now = deps.clock.now().getTime();
    const eta = estimate(p.total - p.done, t.budget(budgetDivision), now, {
      done: p.done,
      elapsedMs: now - started,
    });
    return { ...p, percent: p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100), eta };
  };
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
      const result = await dispatchBatch(t.deps, target, (p) => onEvent(event(p)));
      return { ...event(result), lines: result.lines };
    },
    (r) => ({ total: r.total, ...r.byOutcome }),
  );
}
