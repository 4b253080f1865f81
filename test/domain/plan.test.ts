import { decide } from '../../src/domain';
import { input } from './fixtures';

describe('send plan contents', () => {
  test('when the invoice has its own extra text, then it overrides the administration text', () => {
    const d = decide(input({ invoice: { extraText: 'Invoice text\nline 2' } }));
    expect(d.kind === 'send' && d.plan.extraText).toBe('Invoice text\nline 2');
  });

  test('when the invoice has a blank extra text, then the administration text is used', () => {
    const d = decide(input({ invoice: { extraText: '  ' } }));
    expect(d.kind === 'send' && d.plan.extraText).toBe('Admin text');
  });

  test('when neither has extra text, then there is none', () => {
    const d = decide(input({ administration: { extraText: null } }));
    expect(d.kind === 'send' && d.plan.extraText).toBeNull();
  });

  test('when the administration has a sender address, then it is the sender; blank means the company address (null)', () => {
    const withSender = decide(input());
    const blank = decide(input({ administration: { senderEmail: '' } }));
    expect(withSender.kind === 'send' && withSender.plan.senderEmail).toBe('facturen@jansen.nl');
    expect(blank.kind === 'send' && blank.plan.senderEmail).toBeNull();
  });

  test('when the relation has its own layouts, then they win over the administration defaults', () => {
    const d = decide(
      input({ relation: { invoiceEmail: 'a@b.nl', layout: 'rel-doc', emailLayout: 'rel-mail' } }),
    );
    expect(d.kind === 'send' && d.plan).toMatchObject({
      channel: 'email',
      documentLayout: 'rel-doc',
      emailLayout: 'rel-mail',
    });
  });

  test('when the relation has no layouts, then the administration defaults are used', () => {
    const d = decide(input({ relation: { invoiceEmail: 'a@b.nl' } }));
    expect(d.kind === 'send' && d.plan).toMatchObject({
      documentLayout: 'layout-admin',
      emailLayout: 'email-layout-admin',
    });
  });

  test('when the email layout is missing, then the failure says which layout', () => {
    const d = decide(
      input({ administration: { defaultEmailLayout: null }, relation: { invoiceEmail: 'a@b.nl' } }),
    );
    expect([d.kind, d.reason, d.facts.layout, d.facts.channel]).toEqual([
      'fail',
      'layout_missing',
      'email',
      'email',
    ]);
  });
});

describe('decision facts for messages', () => {
  test('when an invoice is ignored, then the facts name relation, administration, invoice and date', () => {
    const d = decide(input({ relation: { autoInvoice: false } }));
    expect(d.facts).toEqual({
      relation: 'Bakkerij Jansen',
      administration: 'Jansen Holding',
      division: 123456,
      invoice: '26001',
      date: '2026-03-20',
      source: 'salesOrder',
    });
  });

  test('when the relation row is missing, then the Exact customer name stands in for it', () => {
    expect(decide(input({ relation: null })).facts.relation).toBe('Bakkerij Jansen (Exact)');
  });

  test.each([[10], [50]])('when the Exact status is %i, then the facts carry it', (status) => {
    expect(decide(input({ invoice: { exactStatus: status as 10 | 50 } })).facts.status).toBe(status);
  });

  test('when the invoice is not found in Exact, then no status is carried', () => {
    expect(decide(input({ invoice: { exactStatus: null } })).facts.status).toBeUndefined();
  });

  test('when it is sent by email without an Exact read, then the facts carry the channel, method and the one address Exact mails', () => {
    const d = decide(input({ relation: { invoiceEmail: 'a@b.nl;c@d.nl' } }));
    expect(d.facts).toMatchObject({ channel: 'email', method: 'automatic', address: 'a@b.nl' });
  });
});
