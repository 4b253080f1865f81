import { rowIdsOf, sessionFor } from './enqueue';
import { decide } from '../domain';
import type { Decision, InvoiceFacts, Language, LicenceCheck } from '../domain/types';
import { REASONS_BEFORE_EXACT } from '../domain/reasons';
import { IntegrationError } from './errors';
import type { DispatchRequest, ExactInvoiceState, FailureNotice } from './ports';
import { settle } from './settle';
import { RetryLaterError, type DispatchDeps, type DispatchLine, type Item } from './dispatchContext';
import { claimAndPrint, resetInstant, retryLater } from './print';
import { recordInvoiceNumber } from './invoiceNumbers';

/** Ids one status call carries (Exact's page size): read-backs ride along only where they fit. */
const CONFIRM_IDS_PER_CALL = 60;

/** Rules 1–3 of PRODUCT.md §4 decide without Exact: no status call is spent on them. */
const DECIDED_BEFORE_EXACT = REASONS_BEFORE_EXACT;

/**
 * Dispatches one or more invoices of one tenant (a webhook event, or a sweep batch of one administration).
 * Story: read the rows → ledger entries → one Exact status call for all that need it → decide each →
 * print what is due (claim, POST, record) → write back and notify.
 */
export async function dispatchInvoices(
  deps: DispatchDeps,
  request: DispatchRequest,
): Promise<DispatchLine[]> {
  const rowIds = rowIdsOf(request);
  const now = deps.clock.now();
  const licence = await deps.tenant.licence(now);
  const lang = await deps.tenant.language();
  const lines: DispatchLine[] = [];
  const items: Item[] = [];
  // A batch's rows come in a few queries; a single event's row in one read.
  const batch = rowIds.length > 1 ? await deps.records.loadContexts(rowIds) : null;
  for (const rowId of rowIds) {
    const ctx = batch ? (batch.get(rowId.toLowerCase()) ?? null) : await deps.records.loadContext(rowId);
    if (!ctx || !ctx.invoice.exactInvoiceId) {
      lines.push(skipLine(deps, rowId, ctx ? 'row has no Exact invoice id yet' : 'row no longer exists'));
      continue;
    }
    const exactInvoiceId = ctx.invoice.exactInvoiceId.toLowerCase();
    const division = ctx.administration?.division ?? request.division ?? 0;
    const entry = await deps.ledger.ensure(
      { tenantId: deps.tenant.tenantId, division, invoiceId: exactInvoiceId },
      rowId,
    );
    items.push({
      ctx,
      exactInvoiceId,
      division,
      entry,
      resend: ctx.invoice.resend || request.trigger === 'resend',
    });
  }

  const failures: FailureNotice[] = [];
  const toConfirm = idsToConfirm(items, licence, now);
  const asked = new Set([...toConfirm.values()].flat());
  let statuses = new Map<string, ExactInvoiceState>();
  try {
    statuses = await confirmStatuses(deps, toConfirm, now);
  } catch (err) {
    if (
      err instanceof IntegrationError &&
      err.reason === 'daily_budget_exhausted' &&
      err.retryAfterMs !== undefined
    ) {
      // Beyond Exact's daily budget: the invoices wait for the reset, and their rows say so.
      const at = resetInstant(err, deps.clock.now());
      const waiting = items.filter((x) => asked.has(x.exactInvoiceId) && x.entry.state !== 'sending');
      for (const it of waiting) {
        lines.push(
          await settle(
            deps,
            it,
            it.entry,
            {
              state: 'scheduled',
              reason: 'daily_budget_exhausted',
              facts: { when: at.toISOString() },
              channel: null,
              scheduledFor: at,
            },
            lang,
          ),
        );
      }
      await retryLater(
        deps,
        request,
        waiting.map((it) => it.ctx.invoice.rowId),
        at,
      );
      return lines;
    }
    // A permanent Exact fault before any print (connection lost, access refused) decides the invoices that
    // needed Exact: each fails visibly with the cause instead of the message dying in the dead-letter queue.
    if (!(err instanceof IntegrationError) || err.transient) throw err;
    for (const it of items.filter((x) => asked.has(x.exactInvoiceId) && x.entry.state !== 'sending')) {
      const line = await settle(
        deps,
        it,
        it.entry,
        { state: 'failed', reason: err.reason, facts: { detail: err.message }, channel: null },
        lang,
        false,
        failures,
      );
      lines.push(line);
      deps.log(line);
    }
    items.splice(0, items.length, ...items.filter((x) => !asked.has(x.exactInvoiceId)));
  }
  for (let i = 0; i < items.length; i++) {
    try {
      const line = await dispatchOne(deps, items[i]!, statuses, asked, licence, lang, failures);
      lines.push(line);
      deps.log(line);
    } catch (err) {
      if (err instanceof RetryLaterError) {
        await retryLater(
          deps,
          request,
          items.slice(i).map((it) => it.ctx.invoice.rowId),
          err.at,
        );
        break;
      }
      throw err;
    }
  }
  await notify(deps, failures);
  return lines;
}

/** Per division, the invoices whose decision needs Exact's status (rules 1–3 decide without it). */
function idsToConfirm(items: Item[], licence: LicenceCheck, now: Date): Map<number, string[]> {
  const byDivision = new Map<number, string[]>();
  for (const it of items) {
    if (it.entry.state === 'sent') continue; // never printed again, whatever is asked: no status needed
    if (it.entry.state === 'failed' && !it.resend) continue;
    const pre = decide({ ...factsOf(it, 20), licence, now });
    if (pre.kind !== 'send' && DECIDED_BEFORE_EXACT.has(pre.reason)) continue;
    byDivision.set(it.division, [...(byDivision.get(it.division) ?? []), it.exactInvoiceId]);
  }
  return byDivision;
}

async function confirmStatuses(
  deps: DispatchDeps,
  byDivision: Map<number, string[]>,
  now: Date,
): Promise<Map<string, ExactInvoiceState>> {
  const result = new Map<string, ExactInvoiceState>();
  for (const [division, ids] of byDivision) {
    // Invoice numbers of this instance's recent prints ride along with this call, where there is room:
    // never one extra call per invoice, and no ledger query; the sweep reads back what is left.
    const pending = deps.awaiting.candidates(deps.tenant.tenantId, division, CONFIRM_IDS_PER_CALL - ids.length, now);
    const all = [...new Set([...ids, ...pending.map((k) => k.invoiceId)])];
    const found = await deps.exact.confirmStatuses(division, all);
    for (const [id, state] of found) result.set(id.toLowerCase(), state);
    for (const key of pending) {
      const number = found.get(key.invoiceId)?.invoiceNumber;
      if (number == null) continue;
      deps.awaiting.forget(key);
      const entry = await deps.ledger.get(key);
      if (entry?.state === 'sent' && entry.invoiceNumber === null) await recordInvoiceNumber(deps, entry, number);
    }
  }
  return result;
}

function factsOf(
  it: Item,
  exactStatus: InvoiceFacts['exactStatus'],
): Omit<Parameters<typeof decide>[0], 'licence' | 'now'> {
  const row = it.ctx.invoice;
  return {
    administration: it.ctx.administration,
    relation: it.ctx.relation,
    invoice: {
      exactInvoiceId: it.exactInvoiceId,
      division: it.division,
      rowId: row.rowId,
      invoiceNumber: row.invoiceNumber,
      invoiceDate: row.invoiceDate ?? '1970-01-01',
      source: row.source ?? 1,
      autoDispatch: row.autoDispatch,
      extraText: row.extraText,
      exactStatus,
      customerName: row.name,
    },
  };
}

async function dispatchOne(
  deps: DispatchDeps,
  it: Item,
  statuses: Map<string, ExactInvoiceState>,
  asked: Set<string>,
  licence: LicenceCheck,
  lang: Language,
  failures: FailureNotice[],
): Promise<DispatchLine> {
  const now = deps.clock.now();
  const row = it.ctx.invoice;
  const exact = statuses.get(it.exactInvoiceId);
  let entry = it.entry;

  if (entry.state === 'sent') {
    // Never twice. A resend request on a sent invoice is answered, not executed.
    return settle(
      deps,
      it,
      entry,
      { state: 'sent', reason: entry.reason ?? 'sent', facts: {}, channel: entry.channel },
      lang,
      row.resend || entry.writebackPending,
    );
  }
  if (entry.state === 'failed' && !it.resend) {
    return settle(
      deps,
      it,
      entry,
      {
        state: 'failed',
        reason: entry.reason ?? 'exact_rejected',
        facts: { detail: entry.message ?? '' },
        channel: entry.channel,
      },
      lang,
      entry.writebackPending,
    );
  }
  if (entry.state === 'sending') {
    if (entry.leaseUntil && entry.leaseUntil > now) {
      throw new RetryLaterError(entry.leaseUntil, [row.rowId]);
    }
    // A claim whose worker vanished: Exact's status tells whether the print went out.
    if (exact?.status === 50) {
      return settle(
        deps,
        it,
        entry,
        {
          state: 'sent',
          reason: 'sent_confirmed_after_lost_answer',
          facts: {},
          channel: entry.channel,
          sentOn: now,
          invoiceNumber: exact.invoiceNumber,
        },
        lang,
        true,
      );
    }
  }

  // Not asked = decided by rules 1–3, where the status plays no part; asked but absent = not in Exact.
  const exactStatus = exact ? exact.status : asked.has(it.exactInvoiceId) ? null : 20;
  const decision: Decision = decide({ ...factsOf(it, exactStatus), licence, now });
  if (decision.kind !== 'send') {
    const state = decision.kind === 'fail' ? 'failed' : decision.kind === 'optedOut' ? 'optedOut' : 'ignored';
    const outcome = { state, reason: decision.reason, facts: decision.facts, channel: null } as const;
    return settle(deps, it, entry, outcome, lang, false, failures);
  }

  const plan = decision.plan;
  if (plan.sendAt && plan.sendAt > now) {
    const at = plan.sendAt;
    if (!(entry.state === 'scheduled' && entry.scheduledFor?.getTime() === at.getTime())) {
      await deps.queue.enqueue(
        {
          tenantId: deps.tenant.tenantId,
          rowId: row.rowId,
          exactInvoiceId: it.exactInvoiceId,
          division: it.division,
          administrationId: it.ctx.administration?.id ?? null,
          trigger: 'schedule',
          requestedAt: now.toISOString(),
        },
        {
          messageId: `${deps.tenant.tenantId}:${it.exactInvoiceId}:at:${at.toISOString()}`,
          sessionId: sessionFor(deps.tenant.tenantId, it.ctx.administration?.id ?? null, row.rowId),
          scheduledFor: at,
        },
      );
    }
    return settle(
      deps,
      it,
      entry,
      {
        state: 'scheduled',
        reason: 'scheduled',
        facts: decision.facts,
        channel: plan.channel,
        scheduledFor: at,
      },
      lang,
    );
  }

  return claimAndPrint(deps, it, entry, plan, decision.facts, lang, failures);
}

async function notify(deps: DispatchDeps, failures: FailureNotice[]): Promise<void> {
  if (failures.length === 0) return;
  const byAdmin = new Map<string, FailureNotice[]>();
  for (const f of failures)
    byAdmin.set(f.administration.id, [...(byAdmin.get(f.administration.id) ?? []), f]);
  for (const list of byAdmin.values()) {
    if (list.length === 1) await deps.notifier.notifyFailure(list[0]!);
    else await deps.notifier.notifyDigest(list[0]!.administration, list);
  }
}

function skipLine(deps: DispatchDeps, rowId: string, why: string): DispatchLine {
  return {
    tenantId: deps.tenant.tenantId,
    division: null,
    invoiceId: rowId,
    invoice: rowId,
    relation: '',
    outcome: 'skipped',
    channel: null,
    reason: 'skipped',
    message: why,
  };
}

export { recordInvoiceNumber } from './invoiceNumbers';
export type { TenantContext, DispatchLine, DispatchDeps } from './dispatchContext';
export { RetryLaterError } from './dispatchContext';
