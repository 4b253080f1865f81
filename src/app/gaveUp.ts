import { scheduleIsDue } from '../domain';
import type { DispatchDeps } from './dispatch';
import { record } from './dispatch/record';
import type { Run } from './dispatch/types';
import type { RowsRequest } from './ports';

/**
 * The last delivery of a message failed (it is about to be dead-lettered): the invoices it carried
 * must not stay silently "waiting". Each one still waiting is marked failed with `delivery_gave_up` and the
 * cause, and the administration is notified. Outcomes already reached stand; a claim that is still
 * `sending` is left to the sweep, which confirms in Exact whether it went out.
 */
export async function markGaveUp(deps: DispatchDeps, request: RowsRequest, cause: unknown): Promise<void> {
  const now = deps.clock.now();
  const run: Run = {
    deps,
    request,
    licence: await deps.tenant.licence(now),
    lang: await deps.tenant.language(),
    failures: [],
    peppolAdopted: new Set(),
    readBacks: [],
  };
  const detail = cause instanceof Error ? cause.message : String(cause);
  for (const rowId of request.rowIds) {
    const ctx = await deps.records.loadContext(rowId).catch(() => null);
    if (!ctx?.invoice.exactInvoiceId) continue;
    const exactInvoiceId = ctx.invoice.exactInvoiceId.toLowerCase();
    const division = ctx.administration?.division ?? request.division ?? 0;
    const entry = await deps.ledger.ensure(
      { tenantId: deps.tenant.tenantId, division, invoiceId: exactInvoiceId },
      rowId,
    );
    // Only an invoice still waiting for its decision, or a schedule that is due (this may be its own
    // message): a final outcome (sent, ignored, opted out, failed for its own reason) stands, a future
    // schedule has its own message, and a claim is the sweep's to confirm in Exact.
    if (entry.state !== 'waiting' && !scheduleIsDue(entry, deps.clock.now())) continue;
    const outcome = {
      event: 'gaveUp',
      state: 'failed',
      reason: 'delivery_gave_up',
      facts: { detail },
      channel: entry.channel,
      scheduledFor: null,
    } as const;
    deps.log(await record(run, { ctx, exactInvoiceId, division, entry }, outcome));
  }
  // One notice per invoice: a batch that gave up was split first, so this is one invoice.
  for (const f of run.failures) await deps.notifier.notifyFailure(f);
}
