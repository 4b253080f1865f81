import { scheduleIsDue } from './sweep';
import { rowIdsOf } from './enqueue';
import type { DispatchDeps } from './dispatch';
import type { DispatchRequest, FailureNotice } from './ports';
import { settle } from './settle';

/**
 * The last delivery of a message failed (it is about to be dead-lettered): the invoices it carried
 * must not stay silently "waiting". Each one still waiting is marked failed with `delivery_gave_up` and the
 * cause, and the administration is notified. Outcomes already reached stand; a claim that is still
 * `sending` is left to the sweep, which confirms in Exact whether it went out.
 */
export async function markGaveUp(
  deps: DispatchDeps,
  request: DispatchRequest,
  cause: unknown,
): Promise<void> {
  const lang = await deps.tenant.language();
  const rowIds = rowIdsOf(request);
  const failures: FailureNotice[] = [];
  const detail = cause instanceof Error ? cause.message : String(cause);
  for (const rowId of rowIds) {
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
    const line = await settle(
      deps,
      { ctx, exactInvoiceId, division },
      entry,
      { state: 'failed', reason: 'delivery_gave_up', facts: { detail }, channel: entry.channel },
      lang,
      false,
      failures,
    );
    deps.log(line);
  }
  for (const f of failures) await deps.notifier.notifyFailure(f);
}
