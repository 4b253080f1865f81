/**
 * A Resend of an invoice Exact already processed through AutoInvoice (after `exact_channel_error`, a failed or
 * deleted email, or a customer asking for a copy): on the Dynamics route its document is emailed again, it
 * is never printed again (PRODUCT.md §12). Off that route the invoice keeps the outcome it has.
 */
import { baseFacts } from './decide';
import { dynamicsPlan, dynamicsRecipients, emailRouteOf, mailboxOf, mailFacts } from './dynamicsMail';
import type { AdministrationFacts, Decision, DecisionInput, RelationFacts } from './types';

export type CopyDecision =
  Extract<Decision, { kind: 'send' }> | Extract<Decision, { kind: 'fail' }> | { kind: 'notDynamics' };

export function decideCopy(
  input: DecisionInput,
  administration: AdministrationFacts,
  copy: number,
): CopyDecision {
  const relation = input.relation as RelationFacts | null;
  if (relation === null || emailRouteOf(relation, administration) !== 'dynamics')
    return { kind: 'notDynamics' };
  const recipients = dynamicsRecipients(input.invoice, relation, administration);
  const facts = { ...baseFacts(input), channel: 'email' as const, ...mailFacts(recipients), copy };
  if (recipients.kind === 'missing') return { kind: 'fail', reason: 'email_missing', facts };
  if (recipients.kind === 'invalid')
    return { kind: 'fail', reason: 'email_invalid', facts: { ...facts, address: recipients.invalid } };
  const mailbox = mailboxOf(administration);
  if (mailbox === null) return { kind: 'fail', reason: 'mailbox_missing', facts };
  return {
    kind: 'send',
    reason: 'ready',
    facts,
    plan: {
      channel: 'email',
      documentLayout: '',
      emailLayout: null,
      extraText: null,
      senderEmail: null,
      emailAddresses: recipients.to,
      sendAt: null,
      dynamicsMail: dynamicsPlan(recipients, relation, administration, mailbox),
    },
  };
}
