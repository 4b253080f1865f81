/**
 * Step 3 — decide, for one invoice: what its ledger entry allows (gate), then the decision (rules 4–13 once
 * Exact's status is known), then what the decision asks: record it, schedule it, or print it now.
 */
import { afterLostAnswer, decideWithExact, storedOutcome, type InputBeforeExact } from '../../domain';
import {
  EXACT_STATUS,
  type AdministrationFacts,
  type Decision,
  type ExactReceiver,
} from '../../domain/types';
import type { PeppolReceivers } from '../peppol/ports';
import type { ExactInvoiceState } from '../ports';
import { rowsRequest, scheduleRow } from '../requests';
import { factsOf } from './load';
import { adoptFoundPeppolId, peppolAnswer } from './peppol';
import { claimAndPrint } from './print';
import { copyOnResend } from './copy';
import { carryOnMail } from './mail';
import { record } from './record';
import { RetryLaterError, type DispatchLine, type Item, type Outcome, type Run } from './types';

/** What Exact said before printing: invoice statuses, and what it will send with (by Exact invoice id). */
export interface ExactFacts {
  statuses: Map<string, ExactInvoiceState>;
  receivers: Map<string, ExactReceiver>;
}

export async function dispatchItem(run: Run, it: Item, known: ExactFacts): Promise<DispatchLine> {
  const g = it.gate;
  if (g.kind === 'busy') throw new RetryLaterError(g.until);
  if (g.kind === 'mail') return carryOnMail(run, it);
  const exact = known.statuses.get(it.exactInvoiceId);
  if (g.kind === 'confirm' && exact?.status === EXACT_STATUS.processed) return afterLostPrint(run, it, exact);
  // A Resend of an invoice AutoInvoice had Exact process: on the Dynamics route its document goes again.
  const copy = await copyOnResend(run, it, exact);
  if (copy) return copy;
  if (g.kind === 'keep') return record(run, it, kept(it));
  const decision =
    it.first.kind === 'decided'
      ? it.first.decision
      : await decideNow(run, it, it.first.administration, exact, known.receivers.get(it.exactInvoiceId));
  return act(run, it, decision);
}

/**
 * A claim whose worker vanished (or whose answer was lost), and Exact shows the invoice processed: the
 * print reached Exact. Whether the channel went out, Exact's own evidence says (see `afterLostAnswer`).
 */
async function afterLostPrint(run: Run, it: Item, exact: ExactInvoiceState): Promise<DispatchLine> {
  const channel = it.entry.channel;
  const since = new Date(
    (it.entry.leaseUntil?.getTime() ?? run.deps.clock.now().getTime()) - run.deps.leaseMs,
  );
  const evidence = await run.deps.exact.deliveryEvidence(it.division, {
    invoiceId: it.exactInvoiceId,
    channel,
    invoiceTo: exact.invoiceTo,
    since,
  });
  const { event, state, reason } = afterLostAnswer(channel, evidence);
  const sentOn = state === 'sent' ? run.deps.clock.now() : undefined;
  return record(run, it, {
    event,
    state,
    reason,
    facts: {},
    channel,
    scheduledFor: null,
    sentOn,
    invoiceNumber: exact.invoiceNumber,
  });
}

/** The stored outcome answered again: sent is final, a failure waits for a person (Resend). */
function kept(it: Item): Outcome {
  const stored = storedOutcome(it.entry);
  if (!stored) throw new Error(`ledger entry ${it.exactInvoiceId} is ${it.entry.state} without an outcome`);
  return { ...stored, event: null };
}

/**
 * Rules 4–13 with Exact's answer: an invoice Exact did not return is not in Exact (deleted). The Peppol
 * network's answer for the receiver comes in first when the channel choice needs it (./peppol.ts).
 */
async function decideNow(
  run: Run,
  it: Item,
  administration: AdministrationFacts,
  exact: ExactInvoiceState | undefined,
  receiver: ExactReceiver | undefined,
): Promise<Decision> {
  const input = { ...factsOf(it), licence: run.licence, now: run.deps.clock.now(), receiver };
  const decision = await decideOnExact(run.deps.peppol, input, exact, administration);
  return adoptFoundPeppolId(run, it.division, receiver, decision);
}

/**
 * The decision itself (rules 4–13), as a dispatch and a dry run both make it (src/app/dryRun.ts): Exact's
 * status and credit-note flag, and the Peppol network's answer where the channel choice needs it. Writes
 * nothing; `undefined` = the invoice is not in Exact.
 */
export async function decideOnExact(
  peppol: PeppolReceivers | undefined,
  input: InputBeforeExact,
  exact: ExactInvoiceState | undefined,
  administration: AdministrationFacts,
): Promise<Decision> {
  const exactStatus = exact ? exact.status : null;
  const creditNote = exact?.creditNote;
  const full = { ...input, invoice: { ...input.invoice, exactStatus, creditNote } };
  const answer = await peppolAnswer(peppol, full, administration);
  return decideWithExact(answer === undefined ? full : { ...full, peppol: answer }, administration);
}

/** What a decision not to send records: fail, opted out or ignore (`act` below; a dry run reports it). */
export function refusalOf(decision: Exclude<Decision, { kind: 'send' }>) {
  if (decision.kind === 'fail') return { event: 'decidedFail', state: 'failed' } as const;
  if (decision.kind === 'optedOut') return { event: 'decidedOptOut', state: 'optedOut' } as const;
  return { event: 'decidedIgnore', state: 'ignored' } as const;
}

async function act(run: Run, it: Item, decision: Decision): Promise<DispatchLine> {
  if (decision.kind !== 'send') {
    return record(run, it, {
      ...refusalOf(decision),
      reason: decision.reason,
      facts: decision.facts,
      channel: null,
      scheduledFor: null,
    });
  }
  const at = decision.plan.sendAt;
  if (at && at > run.deps.clock.now()) {
    if (!(it.entry.state === 'scheduled' && it.entry.scheduledFor?.getTime() === at.getTime())) {
      const admin = it.ctx.administration;
      const request = rowsRequest(
        run.request.tenantId,
        { id: admin?.id ?? null, division: it.division },
        [it.ctx.invoice.rowId],
        'schedule',
        run.deps.clock.now(),
        run.request.traceparent,
      );
      await scheduleRow(run.deps.queue, request, it.exactInvoiceId, at);
    }
    return record(run, it, {
      event: 'decidedSchedule',
      state: 'scheduled',
      reason: 'scheduled',
      facts: decision.facts,
      channel: decision.plan.channel,
      scheduledFor: at,
    });
  }
  return claimAndPrint(run, it, decision);
}
