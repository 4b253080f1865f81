import { sessionFor } from './enqueue';
import type { Language, MessageFacts, SendPlan } from '../domain/types';
import { IntegrationError } from './errors';
import { LedgerConflictError, type DispatchRequest, type FailureNotice, type LedgerEntry } from './ports';
import { RetryLaterError, type DispatchDeps, type DispatchLine, type Item } from './dispatchContext';
import { settle } from './settle';

/**
 * The irreversible step: claim the invoice (sending, lease, ETag), print through Exact, record the outcome.
 * A lost answer is never printed again blindly; transient faults release the claim without spending an attempt.
 */
export async function claimAndPrint(
  deps: DispatchDeps,
  it: Item,
  entry: LedgerEntry,
  plan: SendPlan,
  facts: MessageFacts,
  lang: Language,
  failures: FailureNotice[],
): Promise<DispatchLine> {
  const now = deps.clock.now();
  const row = it.ctx.invoice;
  // Claim: waiting/scheduled/ignored/… → sending, under the ETag. Losing the race means another worker prints.
  try {
    entry = await deps.ledger.update(entry, {
      state: 'sending',
      leaseUntil: new Date(now.getTime() + deps.leaseMs),
      attempts: entry.attempts + 1,
      channel: plan.channel,
      rowId: row.rowId,
    });
  } catch (err) {
    if (err instanceof LedgerConflictError) return busyLine(deps, it);
    throw err;
  }

  try {
    const outcome = await deps.exact.print(it.division, {
      invoiceId: it.exactInvoiceId,
      channel: plan.channel,
      documentLayout: plan.documentLayout,
      emailLayout: plan.emailLayout,
      extraText: plan.extraText,
      senderEmail: plan.senderEmail,
    });
    if (outcome.ok) {
      return settle(
        deps,
        it,
        entry,
        { state: 'sent', reason: 'sent', facts: facts, channel: plan.channel, sentOn: deps.clock.now() },
        lang,
      );
    }
    return settle(
      deps,
      it,
      entry,
      {
        state: 'failed',
        reason: 'exact_channel_error',
        facts: { ...facts, detail: outcome.channelError },
        channel: plan.channel,
      },
      lang,
      false,
      failures,
    );
  } catch (err) {
    return afterPrintError(deps, it, entry, err, facts, plan.channel, lang, failures);
  }
}

async function afterPrintError(
  deps: DispatchDeps,
  it: Item,
  entry: LedgerEntry,
  err: unknown,
  facts: MessageFacts,
  channel: NonNullable<LedgerEntry['channel']>,
  lang: Language,
  failures: FailureNotice[],
): Promise<DispatchLine> {
  if (!(err instanceof IntegrationError)) throw err;
  const now = deps.clock.now();
  if (err.answerLost) {
    // Never print blindly again: the claim's lease is dropped so the next delivery confirms the status first.
    await deps.ledger.update(entry, { leaseUntil: now });
    throw new RetryLaterError(new Date(now.getTime() + 1_000), [it.ctx.invoice.rowId], err);
  }
  if (err.reason === 'daily_budget_exhausted' && err.retryAfterMs !== undefined) {
    const at = resetInstant(err, now);
    const released = await deps.ledger.update(entry, {
      state: 'waiting',
      leaseUntil: null,
      attempts: Math.max(0, entry.attempts - 1),
    });
    await retryLater(
      deps,
      {
        tenantId: deps.tenant.tenantId,
        rowId: it.ctx.invoice.rowId,
        exactInvoiceId: it.exactInvoiceId,
        division: it.division,
        administrationId: it.ctx.administration?.id ?? null,
        trigger: 'retry',
        requestedAt: now.toISOString(),
      },
      [it.ctx.invoice.rowId],
      at,
    );
    return settle(
      deps,
      it,
      released,
      {
        state: 'scheduled',
        reason: 'daily_budget_exhausted',
        facts: { ...facts, when: at.toISOString() },
        channel,
        scheduledFor: at,
      },
      lang,
    );
  }
  if (err.transient) {
    // Release the claim without spending the attempt; the queue brings the invoice back.
    await deps.ledger.update(entry, {
      state: 'waiting',
      leaseUntil: null,
      attempts: Math.max(0, entry.attempts - 1),
    });
    throw new RetryLaterError(
      new Date(now.getTime() + (err.retryAfterMs ?? 5_000)),
      [it.ctx.invoice.rowId],
      err,
    );
  }
  return settle(
    deps,
    it,
    entry,
    { state: 'failed', reason: err.reason, facts: { ...facts, detail: err.message }, channel },
    lang,
    false,
    failures,
  );
}

export async function retryLater(
  deps: DispatchDeps,
  request: DispatchRequest,
  rowIds: string[],
  at: Date,
): Promise<void> {
  const [first, ...rest] = rowIds;
  if (!first) return;
  await deps.queue.enqueue(
    { ...request, rowId: first, rowIds: rest, trigger: 'retry', requestedAt: deps.clock.now().toISOString() },
    {
      messageId: `${request.tenantId}:${first}:retry:${at.getTime()}:${rowIds.length}`,
      sessionId: sessionFor(request.tenantId, request.administrationId, first),
      scheduledFor: at,
    },
  );
}

function busyLine(deps: DispatchDeps, it: Item): DispatchLine {
  return {
    tenantId: deps.tenant.tenantId,
    division: it.division,
    invoiceId: it.exactInvoiceId,
    invoice: it.ctx.invoice.name ?? it.exactInvoiceId,
    relation: it.ctx.relation?.name ?? '',
    outcome: 'busy',
    channel: null,
    reason: 'busy',
    message: 'another worker holds this invoice',
  };
}

/** The instant a budget error names (`resetAt`), else now + its retry hint. */
export function resetInstant(err: IntegrationError, now: Date): Date {
  const named = (err as IntegrationError & { resetAt?: unknown }).resetAt;
  return named instanceof Date ? named : new Date(now.getTime() + (err.retryAfterMs ?? 0));
}
