import { decide, explain, type Decision, type ExactReceiver } from '../../src/domain';
import { exactEmailRecipient } from '../../src/domain/receiver';
import { input } from './fixtures';

/** Exact's account for the relation, as read right before printing. */
const receiver = (over: Partial<ExactReceiver> = {}): ExactReceiver => ({
  accountId: 'acc-hoek',
  accountName: 'Café De Hoek',
  method: 2,
  invoiceAccount: null,
  email: 'factuur@dehoek.example',
  emailFrom: 'account',
  contactName: null,
  peppolId: null,
  ...over,
});

const CAFE = { name: 'Café De Hoek', invoiceEmail: 'factuur@dehoek.example; eigenaar@dehoek.example' };

function decided(rec: ExactReceiver, relation: Record<string, unknown> = CAFE): Decision {
  return decide({ ...input({ relation }), receiver: rec });
}

describe('the address Exact sends to (decision 0070)', () => {
  it('when the invoice has a contact person with an email, then Exact sends to the contact person', () => {
    const r = exactEmailRecipient({
      account: { email: 'info@hoek.example' },
      contact: { email: 'jan@hoek.example', name: 'Jan de Hoek' },
    });
    expect(r).toEqual({ email: 'jan@hoek.example', emailFrom: 'contactPerson', contactName: 'Jan de Hoek' });
  });

  it('when the contact person has no email, then Exact sends to the account', () => {
    const r = exactEmailRecipient({
      account: { email: ' info@hoek.example ' },
      contact: { email: '  ', name: 'Jan de Hoek' },
    });
    expect(r).toEqual({ email: 'info@hoek.example', emailFrom: 'account', contactName: null });
  });

  it('when neither holds an address, then there is no recipient (Exact would process without sending)', () => {
    expect(exactEmailRecipient({ account: { email: null }, contact: null }).email).toBeNull();
  });
});

describe('the decision on what Exact will send with', () => {
  it('when Dynamics holds two addresses and Exact one, then the plan and the message name only Exact’s', () => {
    const d = decided(receiver());
    expect(d.kind).toBe('send');
    if (d.kind !== 'send') return;
    expect(d.facts.address).toBe('factuur@dehoek.example');
    expect(explain('sent', d.facts, 'en')).toBe(
      'Sent by email: Exact Online sent it to factuur@dehoek.example (the email address Exact Online holds for relation Café De Hoek).',
    );
    expect(explain('ready', d.facts, 'nl')).toContain(
      'naar factuur@dehoek.example (het e-mailadres dat Exact Online bij relatie Café De Hoek heeft)',
    );
  });

  it('when the invoice’s contact person has the address, then the message names the contact person', () => {
    const d = decided(
      receiver({ email: 'jan@dehoek.example', emailFrom: 'contactPerson', contactName: 'Jan' }),
    );
    expect(explain('sent', d.facts, 'en')).toBe(
      'Sent by email: Exact Online sent it to jan@dehoek.example (the email address of contact person Jan on the invoice in Exact Online).',
    );
  });

  it('when Exact holds no address (Geen Mail BV), then it fails before printing and says Exact has none', () => {
    const d = decided(receiver({ email: null }), {
      name: 'Geen Mail BV',
      invoiceEmail: 'boekhouding@geenmail.example',
    });
    expect(d).toMatchObject({ kind: 'fail', reason: 'email_missing' });
    expect(explain('email_missing', d.facts, 'en')).toContain('Exact Online holds no email address for it');
    expect(explain('email_missing', d.facts, 'en')).not.toContain('boekhouding@geenmail.example');
  });

  it('when Exact’s field holds a list, then it fails: Exact mails exactly one address', () => {
    const d = decided(receiver({ email: 'a@hoek.example; b@hoek.example' }));
    expect(d).toMatchObject({ kind: 'fail', reason: 'email_invalid' });
    expect(d.facts.address).toBe('a@hoek.example; b@hoek.example');
    expect(explain('email_invalid', d.facts, 'nl')).toContain('niet één geldig e-mailadres');
  });

  it('when the account has no method, then it takes its invoice account’s and says whose', () => {
    const d = decided(receiver({ method: null, invoiceAccount: { name: 'Hoek Holding', method: 2 } }), {
      name: 'Piet de Hoek',
      invoiceMethod: 1,
    });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'email' } });
    expect(explain('sent', d.facts, 'en')).toContain('by the invoice method of Hoek Holding');
  });

  it('when neither the account nor its invoice account has a method, then the administration default applies', () => {
    const d = decide({
      ...input({ administration: { defaultInvoiceMethod: 1 }, relation: { invoiceMethod: 2 } }),
      receiver: receiver({ method: null }),
    });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'paper' } });
  });

  it('when only Dynamics holds a Peppol id, then the automatic chain does not use it', () => {
    const d = decided(receiver({ method: 0, peppolId: null }), { name: 'X', peppolId: '0106:12345678' });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'email' } });
  });

  it('when Exact holds the Peppol id, then the message names it', () => {
    const d = decided(receiver({ method: 32, peppolId: '0106:12345678' }));
    expect(explain('sent', d.facts, 'en')).toBe(
      'Sent by Peppol e-invoice: Exact Online sent it to Peppol id 0106:12345678.',
    );
  });
});

describe('layouts Exact no longer has, and the mirror’s method inheritance', () => {
  it('when the relation’s layout is marked gone in the mirror, then it fails before printing, naming the layout', () => {
    const d = decide(
      input({
        relation: { layout: 'lay-1', layoutGone: true, layoutNames: { 'lay-1': 'Factuur oud' } },
      }),
    );
    expect(d).toMatchObject({ kind: 'fail', reason: 'layout_missing', facts: { layoutName: 'Factuur oud' } });
    expect(explain('layout_missing', d.facts, 'en')).toContain('"Factuur oud"');
    expect(explain('layout_missing', d.facts, 'nl')).toContain('bestaat niet meer in Exact Online');
  });

  it('when the administration’s default email layout is gone, then an email invoice fails, a paper one does not', () => {
    const admin = { defaultEmailLayout: 'mail-1', defaultEmailLayoutGone: true };
    const email = decide(
      input({ administration: admin, relation: { invoiceMethod: 2, invoiceEmail: 'a@b.nl' } }),
    );
    expect(email).toMatchObject({
      kind: 'fail',
      reason: 'layout_missing',
      facts: { layout: 'email', layoutName: 'mail-1' },
    });
    expect(decide(input({ administration: admin, relation: { invoiceMethod: 1 } }))).toMatchObject({
      kind: 'send',
    });
  });

  it('when a mirrored relation has no method, then it takes its invoice account’s before the default', () => {
    const d = decide(
      input({
        administration: { defaultInvoiceMethod: 1 },
        relation: { invoiceMethod: null, invoiceAccountMethod: 2, invoiceEmail: 'piet@hoek.nl' },
      }),
    );
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'email' } });
  });
});
