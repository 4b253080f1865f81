/**
 * The outcome of an invoice email, from Dataverse's status of it (PRODUCT.md §12): Sent → sent; Pending Send
 * → still sending (a check follows); Failed → `email_send_failed`; a review draft → review; a draft deleted or
 * canceled before it went out → `email_draft_deleted` (or, once handed over, `email_send_failed`).
 */
import type { LifecycleEvent, ReasonCode, SettledState } from '../../domain';
import type { MessageFacts } from '../../domain/types';
import type { LedgerMail } from '../ports';
import type { MailState } from '../mail/ports';
import { retryLater } from '../requests';
import { record } from './record';
import type { DispatchLine, Item, Run } from './types';

/** How soon an email just handed over is looked at again (then every sweep): server-side sync takes minutes. */
const FIRST_CHECK_MS = 60_000;

export async function settleMail(
  run: Run,
  it: Item,
  mail: LedgerMail,
  state: MailState,
  justHandedOver = false,
): Promise<DispatchLine> {
  const number = it.entry.invoiceNumber;
  const facts: MessageFacts = {
    ...(it.entry.facts ?? {}),
    ...(number !== null ? { invoice: String(number) } : {}),
  };
  const settle = (
    event: LifecycleEvent,
    to: SettledState,
    reason: ReasonCode,
    extra: MessageFacts = {},
    sentOn?: Date,
    after?: LedgerMail,
  ) =>
    record(run, it, {
      event,
      state: to,
      reason,
      facts: { ...facts, ...extra },
      channel: 'email',
      scheduledFor: null,
      sentOn,
      mail: after,
    });
  switch (state.kind) {
    case 'draft':
      if (mail.plan.review && !mail.handedOver)
        return settle('mailInReview', 'review', 'email_review', { review: true });
      return pending(run, it, settle, justHandedOver);
    case 'pending':
      // Pending without our send: a person sent the reviewed draft.
      if (!mail.handedOver)
        return settle('mailProgress', 'mailing', 'email_pending', {}, undefined, {
          ...mail,
          handedOver: true,
        });
      return pending(run, it, settle, justHandedOver);
    case 'sent':
      return settle('mailSent', 'sent', 'sent', {}, state.at ?? run.deps.clock.now());
    case 'failed':
      return settle(
        'mailFailed',
        'failed',
        'email_send_failed',
        state.detail ? { detail: state.detail } : {},
      );
    case 'canceled':
    case 'missing':
      if (!mail.handedOver) return settle('mailFailed', 'failed', 'email_draft_deleted');
      return settle('mailFailed', 'failed', 'email_send_failed', {
        detail: 'the email was deleted or canceled in Dynamics 365 before it went out',
      });
  }
}

type Settle = (event: LifecycleEvent, to: SettledState, reason: ReasonCode) => Promise<DispatchLine>;

async function pending(run: Run, it: Item, settle: Settle, justHandedOver: boolean): Promise<DispatchLine> {
  const line = await settle('mailProgress', 'mailing', 'email_pending');
  if (justHandedOver) {
    const now = run.deps.clock.now();
    await retryLater({ queue: run.deps.queue, now }, run.request, new Date(now.getTime() + FIRST_CHECK_MS), [
      it.ctx.invoice.rowId,
    ]);
  }
  return line;
}

/** The email step stopped on a cause that is not Dynamics 365's sending (the Exact connection, a refused write). */
export function failMail(
  run: Run,
  it: Item,
  reason: 'exact_connection_lost' | 'dataverse_rejected',
  detail: string,
): Promise<DispatchLine> {
  return record(run, it, {
    event: 'mailFailed',
    state: 'failed',
    reason,
    facts: { ...(it.entry.facts ?? {}), detail },
    channel: 'email',
    scheduledFor: null,
  });
}
