/**
 * The connector's side of the recipient contract: the same cases the sandbox's resolver is held to
 * (exactRecipients.cases.ts), through the decision the connector makes before printing.
 */
import { decide, exactEmailRecipient, type ExactReceiver } from '../../src/domain';
import { input } from '../domain/fixtures';
import { EXACT_RECIPIENT_CASES, type ExactRecipientCase } from './exactRecipients.cases';

function receiverFor(c: ExactRecipientCase): ExactReceiver {
  const contact = c.contacts.find((k) => k.id === c.invoiceToContactPerson);
  const recipient = exactEmailRecipient({
    account: { email: c.account.email },
    contact: contact ? { email: contact.email, name: null } : null,
  });
  return {
    accountId: c.account.id,
    accountName: 'Café De Hoek',
    method: 2,
    invoiceAccount: null,
    peppolId: null,
    ...recipient,
  };
}

describe('the address the connector decides on equals the address the Exact sandbox mails', () => {
  it.each(EXACT_RECIPIENT_CASES.map((c) => [c.name, c] as const))('when %s', (_name, c) => {
    const d = decide({
      ...input({ relation: { invoiceEmail: 'dynamics@elders.test' } }),
      receiver: receiverFor(c),
    });
    expect(d.facts.recipientSource).toBe(c.expected.rule);
    if ('recipients' in c.expected) {
      expect(d).toMatchObject({ kind: 'send', plan: { channel: 'email' } });
      expect(d.facts.address).toBe(c.expected.recipients[0]);
    } else {
      const reason = c.expected.error === 'missing' ? 'email_missing' : 'email_invalid';
      expect(d).toMatchObject({ kind: 'fail', reason });
    }
  });
});
