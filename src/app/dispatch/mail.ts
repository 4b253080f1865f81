/**
 * The Dynamics route after the print (PRODUCT.md §12, issue 15): Exact printed without sending; the email is
 * made from the template with Exact's PDF attached, sent or left as a draft for review, and Dataverse's email
 * status decides the outcome. Exactly once: the email's id is chosen from the invoice and the copy, every
 * step is done only when the ledger does not show it done (and Dataverse refuses a second create), and the
 * send happens under the entry's lease; a crash anywhere resumes where it stopped (decision 0103).
 */
import type { Decision, MessageFacts } from '../../domain/types';
import { IntegrationError } from '../errors';
import { LedgerConflictError, type LedgerEntry, type LedgerMail } from '../ports';
import type { MailState } from '../mail/ports';
import { emailIdOf, mailDeps } from './mailIds';
import { prepareMail } from './mailPrepare';
import { failMail, settleMail } from './mailSettle';
import { move } from './move';
import { lineOf } from './record';
import { RetryLaterError, type DispatchLine, type Item, type Run } from './types';

type SendDecision = Extract<Decision, { kind: 'send' }>;

function newMail(entry: LedgerEntry, decision: SendDecision, copy: number): LedgerMail {
  const plan = decision.plan.dynamicsMail;
  if (!plan) throw new Error('the Dynamics route needs a mail plan');
  return { emailId: emailIdOf(entry.key, copy), copy, prepared: false, handedOver: false, plan };
}

/** Right after Exact printed the invoice without sending it: the ledger takes the mail, then it goes out. */
export async function mailAfterPrint(run: Run, it: Item, decision: SendDecision): Promise<DispatchLine> {
  const entry = await move(run, it.entry, 'printedForMail', {
    mail: newMail(it.entry, decision, 0),
    reason: 'email_pending',
    facts: decision.facts,
    channel: 'email',
  });
  // The claim's lease carries over: the print's worker goes on with the email.
  return carryOnMail(run, { ...it, entry }, true);
}

/** A Resend of a processed invoice on the Dynamics route: its document is emailed again as a new copy. */
export async function mailCopy(run: Run, it: Item, decision: SendDecision): Promise<DispatchLine> {
  const copy = (it.entry.mail?.copy ?? 0) + 1;
  const facts: MessageFacts = { ...decision.facts, copy };
  let entry: LedgerEntry;
  try {
    entry = await move(run, it.entry, 'mailCopy', {
      mail: newMail(it.entry, decision, copy),
      reason: 'email_pending',
      facts,
      channel: 'email',
      leaseUntil: leaseEnd(run),
    });
  } catch (err) {
    if (err instanceof LedgerConflictError)
      return lineOf(run, it, 'busy', null, 'busy', 'another worker holds this invoice');
    throw err;
  }
  return carryOnMail(run, { ...it, entry }, true);
}

/**
 * The email of an invoice in `mailing` or `review`: made and sent where the ledger does not show it done,
 * then settled on Dataverse's status. A draft in review is only read: the person sends or deletes it.
 */
export async function carryOnMail(run: Run, it: Item, leased = false): Promise<DispatchLine> {
  const mail = it.entry.mail;
  if (!mail) throw new Error(`ledger entry ${it.exactInvoiceId} is ${it.entry.state} without its email`);
  let entry = it.entry;
  try {
    // Making or sending the email happens under the entry's lease; only reading its status needs none.
    const work = !mail.prepared || (!mail.handedOver && !mail.plan.review);
    if (work && !leased && entry.state === 'mailing')
      entry = await move(run, entry, 'mailProgress', { leaseUntil: leaseEnd(run) });
    let current = mail;
    if (!current.prepared) {
      const prepared = await prepareMail(run, { ...it, entry }, current);
      current = prepared.mail;
      entry = await run.deps.ledger.update(entry, {
        mail: current,
        invoiceNumber: prepared.invoiceNumber ?? entry.invoiceNumber,
      });
    }
    const sending = !current.handedOver && !current.plan.review;
    // Just handed over by this worker: Pending Send, no need to ask (server-side sync takes its time; the
    // check a minute later reads it). Otherwise, or when the send found it already taken, Dataverse says.
    let state: MailState | null = null;
    if (sending) {
      // Prepared by an earlier delivery: its SendEmail may have gone through unheard.
      state = await sendOnce(run, current.emailId, mail.prepared);
      current = { ...current, handedOver: true };
      entry = await run.deps.ledger.update(entry, { mail: current });
    }
    state ??= (await mailDeps(run).dynamics.states([current.emailId])).get(current.emailId) ?? {
      kind: 'missing' as const,
    };
    return await settleMail(run, { ...it, entry }, current, state, sending);
  } catch (err) {
    if (err instanceof LedgerConflictError)
      return lineOf(run, it, 'busy', null, 'busy', 'another worker holds this invoice');
    if (err instanceof IntegrationError && err.transient) {
      const now = run.deps.clock.now();
      if (entry.state === 'mailing')
        await run.deps.ledger.update(entry, { leaseUntil: null }).catch(() => undefined);
      throw new RetryLaterError(new Date(now.getTime() + (err.retryAfterMs ?? 5_000)), err);
    }
    if (!(err instanceof IntegrationError)) throw err;
    // A lost Exact connection or a refused Dataverse write says so (their messages say what to do).
    if (err.reason === 'exact_connection_lost' || err.reason === 'dataverse_rejected')
      return failMail(run, { ...it, entry }, err.reason, err.message);
    return settleMail(run, { ...it, entry }, entry.mail ?? mail, { kind: 'failed', detail: err.message });
  }
}

/**
 * `SendEmail` once; answers the email's state after it (Pending Send when this call sent it). When it fails
 * (its answer may be lost after Dataverse took it), the email's status says whether it left the draft state;
 * only a draft still to send makes the error count. `resumed`: an earlier
 * worker may have sent it and died before the ledger knew, and server-side sync may since have failed it
 * (a Failed email is open again and Dataverse would take a second SendEmail), so its status is read first.
 */
async function sendOnce(run: Run, emailId: string, resumed: boolean): Promise<MailState | null> {
  const { dynamics } = mailDeps(run);
  const taken = (state: MailState | undefined): MailState | null =>
    state !== undefined && state.kind !== 'draft' && state.kind !== 'missing' ? state : null;
  const before = resumed ? taken((await dynamics.states([emailId])).get(emailId)) : null;
  if (before) return before;
  try {
    await dynamics.send(emailId);
    return { kind: 'pending' };
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    const after = taken((await dynamics.states([emailId]).catch(() => null))?.get(emailId));
    if (after) return after;
    throw err;
  }
}

function leaseEnd(run: Run): Date {
  return new Date(run.deps.clock.now().getTime() + run.deps.leaseMs);
}
