/**
 * Steps 4–5 — claim and print: the irreversible step. The claim (sending, lease, ETag) makes one worker
 * the printer; a lost answer is never printed again blindly; a transient fault releases the claim
 * without spending an attempt.
 */
import type { Decision } from '../../domain/types';
import { IntegrationError } from '../errors';
import { LedgerConflictError, type LedgerEntry } from '../ports';
import { retryLater } from '../requests';
import { resetInstant } from './confirm';
import { mailAfterPrint } from './mail';
import { move } from './move';
import { lineOf, record } from './record';
import { RetryLaterError, type DispatchLine, type Item, type Run } from './types';

type SendDecision = Extract<Decision, { kind: 'send' }>;

/** The claim was lost to another worker between deciding and the POST: nothing was sent. */
class ClaimLostError extends Error {}

/**
 * The claim is taken (and, on a retry inside the adapter, renewed) in the print's `beforeSend`: after any
 * wait for Exact's rate budget or a token, immediately before the POST. No claim is held while waiting,
 * and a claim that another worker took meanwhile stops the POST (ETag).
 */
function claimGuard(run: Run, it: Item, decision: SendDecision) {
  const guard = {
    entry: null as LedgerEntry | null,
    async beforeSend(): Promise<void> {
      // Whatever happens next, an earlier read of this invoice no longer stands for it (decision 0155).
      run.deps.recent?.forgetInvoice(it.division, it.exactInvoiceId);
      const leaseUntil = new Date(run.deps.clock.now().getTime() + run.deps.leaseMs);
      try {
        guard.entry = guard.entry
          ? await run.deps.ledger.update(guard.entry, { leaseUntil })
          : await move(run, it.entry, 'claimed', {
              leaseUntil,
              attempts: it.entry.attempts + 1,
              channel: decision.plan.channel,
              rowId: it.ctx.invoice.rowId,
            });
      } catch (err) {
        if (err instanceof LedgerConflictError) throw new ClaimLostError('another worker holds this invoice');
        throw err;
      }
    },
  };
  return guard;
}

export async function claimAndPrint(run: Run, it: Item, decision: SendDecision): Promise<DispatchLine> {
  const { deps } = run;
  const plan = decision.plan;
  const guard = claimGuard(run, it, decision);
  try {
    const printed = await deps.exact.print(
      it.division,
      {
        invoiceId: it.exactInvoiceId,
        channel: plan.channel,
        documentLayout: plan.documentLayout,
        emailLayout: plan.emailLayout,
        extraText: plan.extraText,
        senderEmail: plan.senderEmail,
        // The Dynamics route: Exact makes the document and processes the invoice, the connector mails it.
        documentOnly: plan.dynamicsMail !== undefined,
      },
      guard,
    );
    const mine = { ...it, entry: guard.entry! };
    if (printed.ok && plan.dynamicsMail) return mailAfterPrint(run, mine, decision);
    if (printed.ok && plan.channel === 'paper') {
      // Exact made the PDF and put the invoice on the print list: nobody has printed or posted it yet.
      return record(run, mine, {
        event: 'printedToList',
        state: 'printList',
        reason: 'on_print_list',
        facts: decision.facts,
        channel: plan.channel,
        scheduledFor: null,
      });
    }
    if (printed.ok) {
      return record(run, mine, {
        event: 'printed',
        state: 'sent',
        reason: 'sent',
        facts: decision.facts,
        channel: plan.channel,
        scheduledFor: null,
        sentOn: deps.clock.now(),
      });
    }
    const facts = { ...decision.facts, detail: printed.channelError };
    return record(run, mine, {
      event: 'channelFailed',
      state: 'failed',
      reason: 'exact_channel_error',
      facts,
      channel: plan.channel,
      scheduledFor: null,
    });
  } catch (err) {
    if (err instanceof ClaimLostError) return lineOf(run, it, 'busy', null, 'busy', err.message);
    // Failed before the POST (budget, token, a paused endpoint): the invoice was never claimed.
    return afterPrintError(run, { ...it, entry: guard.entry ?? it.entry }, err, decision);
  }
}

async function afterPrintError(
  run: Run,
  it: Item,
  err: unknown,
  decision: SendDecision,
): Promise<DispatchLine> {
  if (!(err instanceof IntegrationError)) throw err;
  const now = run.deps.clock.now();
  const channel = decision.plan.channel;
  if (err.answerLost && it.entry.state === 'sending') {
    // The claim stays with its lease dropped: the next delivery asks Exact whether the print went out.
    await move(run, it.entry, 'answerLost', { leaseUntil: now });
    throw new RetryLaterError(new Date(now.getTime() + 1_000), err);
  }
  if (err.reason === 'daily_budget_exhausted' && err.retryAfterMs !== undefined) {
    const at = resetInstant(err, now);
    await retryLater({ queue: run.deps.queue, now }, run.request, at, [it.ctx.invoice.rowId]);
    const facts = { ...decision.facts, when: at.toISOString() };
    const attempts = it.entry.state === 'sending' ? Math.max(0, it.entry.attempts - 1) : it.entry.attempts;
    return record(run, it, {
      event: 'budgetExhausted',
      state: 'scheduled',
      reason: 'daily_budget_exhausted',
      facts,
      channel,
      scheduledFor: at,
      attempts,
    });
  }
  if (err.transient) {
    // Released without spending the attempt (when it was claimed at all); the queue brings the invoice back.
    if (it.entry.state === 'sending')
      await move(run, it.entry, 'released', {
        leaseUntil: null,
        attempts: Math.max(0, it.entry.attempts - 1),
      });
    throw new RetryLaterError(new Date(now.getTime() + (err.retryAfterMs ?? 5_000)), err);
  }
  if (run.reused?.delete(it.exactInvoiceId) && it.entry.state === 'sending') {
    // Its open status came from an earlier read (decision 0155): Exact may have processed it since. The
    // claim is released and the next delivery asks Exact by id before deciding.
    run.deps.recent?.forgetInvoice(it.division, it.exactInvoiceId);
    await move(run, it.entry, 'released', { leaseUntil: null, attempts: Math.max(0, it.entry.attempts - 1) });
    throw new RetryLaterError(new Date(now.getTime() + 1_000), err);
  }
  const facts = { ...decision.facts, detail: err.message };
  return record(run, it, {
    event: 'printRefused',
    state: 'failed',
    reason: err.reason,
    facts,
    channel,
    scheduledFor: null,
  });
}
