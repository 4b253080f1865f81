/**
 * A Resend of an invoice Exact already processed through AutoInvoice (sent, on the print list, or failed
 * after the print): on the Dynamics route its document is emailed again (PRODUCT.md §12); it is never
 * printed again. Off that route, or without the licence and administration rules 1–3, nothing happens here.
 */
import { decideCopy, EXACT_STATUS, printedByAutoInvoice, processedByUs } from '../../domain';
import type { ExactInvoiceState } from '../ports';
import { factsOf } from './load';
import { mailCopy } from './mail';
import { record } from './record';
import type { DispatchLine, Item, Run } from './types';

export async function copyOnResend(
  run: Run,
  it: Item,
  exact: ExactInvoiceState | undefined,
): Promise<DispatchLine | null> {
  if (!it.resend || it.first.kind !== 'needsExact') return null;
  const processed =
    (it.gate.kind === 'keep' && processedByUs(it.entry.state)) ||
    (exact?.status === EXACT_STATUS.processed && printedByAutoInvoice(it.entry));
  if (!processed) return null;
  const facts = factsOf(it);
  const input = {
    ...facts,
    invoice: { ...facts.invoice, exactStatus: EXACT_STATUS.processed },
    licence: run.licence,
    now: run.deps.clock.now(),
  };
  const decision = decideCopy(input, it.first.administration, (it.entry.mail?.copy ?? 0) + 1);
  if (decision.kind === 'notDynamics') return null;
  if (decision.kind === 'send') return mailCopy(run, it, decision);
  // A sent invoice stays sent (final): a copy that cannot go keeps its outcome; a failed one says why.
  if (it.entry.state !== 'failed') return null;
  return record(run, it, {
    event: 'decidedFail',
    state: 'failed',
    reason: decision.reason,
    facts: decision.facts,
    channel: 'email',
    scheduledFor: null,
  });
}
