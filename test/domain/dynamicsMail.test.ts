import {
  decide,
  decideCopy,
  dynamicsRecipients,
  emailRouteOf,
  explain,
  gate,
  nextState,
  printedByAutoInvoice,
  reviewOf,
  withInvoiceNumber,
} from '../../src/domain';
import { administration, input, relation } from './fixtures';

const DYNAMICS = { emailRoute: 'dynamics' as const, mailboxId: 'queue-1', defaultInvoiceMethod: 2 as const };

describe('the email route (PRODUCT.md §12)', () => {
  it('when neither the relation nor the administration says, then Exact Online sends', () => {
    expect(emailRouteOf(relation(), administration())).toBe('exact');
  });
  it("when the relation has its own route, then it overrides the administration's", () => {
    expect(emailRouteOf(relation({ emailRoute: 'exact' }), administration({ emailRoute: 'dynamics' }))).toBe(
      'exact',
    );
    expect(emailRouteOf(relation({ emailRoute: null }), administration({ emailRoute: 'dynamics' }))).toBe(
      'dynamics',
    );
  });
  it("when the relation leaves review open, then the administration's setting counts", () => {
    expect(reviewOf(relation({ emailReview: null }), administration({ emailReview: true }))).toBe(true);
    expect(reviewOf(relation({ emailReview: false }), administration({ emailReview: true }))).toBe(false);
  });
});

describe('the recipients of the Dynamics route', () => {
  const admin = administration({ emailCc: 'boekhouding@jansen.nl', emailBcc: 'archief@jansen.nl' });

  it("when the invoice has its own recipients, then they replace the relation's and its contacts'", () => {
    const r = dynamicsRecipients(
      { recipients: 'inkoop@klant.nl; crediteuren@klant.nl' },
      relation({
        invoiceEmail: 'factuur@klant.nl',
        invoiceContacts: [{ contactId: 'c1', name: 'Piet', email: 'piet@klant.nl' }],
      }),
      admin,
    );
    expect(r).toEqual({
      kind: 'valid',
      to: ['inkoop@klant.nl', 'crediteuren@klant.nl'],
      cc: ['boekhouding@jansen.nl'],
      bcc: ['archief@jansen.nl'],
      origin: 'invoice',
    });
  });

  it("when the invoice has none, then the relation's ';' list, its invoice contacts and its invoice account's address all receive it, each once", () => {
    const r = dynamicsRecipients(
      { recipients: '  ' },
      relation({
        invoiceEmail: 'factuur@klant.nl;Eigenaar@klant.nl',
        invoiceContacts: [
          { contactId: 'c1', name: 'Piet', email: 'piet@klant.nl' },
          { contactId: 'c2', name: 'Zonder adres', email: null },
          { contactId: 'c3', name: 'Dubbel', email: 'eigenaar@KLANT.nl' },
        ],
        invoiceAccountEmail: 'facturen@moederbedrijf.nl',
      }),
      administration(),
    );
    expect(r).toEqual({
      kind: 'valid',
      to: ['factuur@klant.nl', 'Eigenaar@klant.nl', 'piet@klant.nl', 'facturen@moederbedrijf.nl'],
      cc: [],
      bcc: [],
      origin: 'relation',
    });
  });

  it('when one address is not an email address, then the invoice stops naming it', () => {
    const r = dynamicsRecipients(
      { recipients: null },
      relation({
        invoiceEmail: 'factuur@klant.nl',
        invoiceContacts: [{ contactId: 'c1', name: 'Piet', email: 'piet(at)klant.nl' }],
      }),
      administration(),
    );
    expect(r).toEqual({ kind: 'invalid', invalid: 'piet(at)klant.nl', origin: 'relation' });
  });

  it('when a CC address is also a To recipient, then it is not copied to them a second time', () => {
    const r = dynamicsRecipients(
      { recipients: 'boekhouding@jansen.nl' },
      relation(),
      administration({
        emailCc: 'Boekhouding@jansen.nl',
        emailBcc: 'boekhouding@jansen.nl; archief@jansen.nl',
      }),
    );
    expect(r).toMatchObject({ to: ['boekhouding@jansen.nl'], cc: [], bcc: ['archief@jansen.nl'] });
  });

  it('when nobody is left, then there are no recipients', () => {
    expect(dynamicsRecipients({ recipients: null }, relation(), administration())).toEqual({
      kind: 'missing',
      origin: 'relation',
    });
  });
});

describe('the subject of a template', () => {
  it('when the subject has %n, then every %n becomes the invoice number', () => {
    expect(withInvoiceNumber('Factuur %n (ref. %n)', 26001)).toBe('Factuur 26001 (ref. 26001)');
  });
});

describe('the decision on the Dynamics route', () => {
  it('when email goes by Dynamics 365, then Exact prints with its document layout only and the plan carries the recipients, template and mailbox', () => {
    const d = decide(
      input({
        administration: { ...DYNAMICS, emailTemplateId: 'tpl-1', defaultEmailLayout: null },
        relation: { invoiceEmail: 'factuur@klant.nl; eigenaar@klant.nl', emailReview: true },
      }),
    );
    expect(d.kind).toBe('send');
    if (d.kind !== 'send') return;
    expect(d.plan.emailLayout).toBeNull();
    expect(d.plan.dynamicsMail).toEqual({
      to: ['factuur@klant.nl', 'eigenaar@klant.nl'],
      cc: [],
      bcc: [],
      templateId: 'tpl-1',
      mailboxId: 'queue-1',
      review: true,
    });
    expect(explain(d.reason, d.facts, 'en')).toBe(
      'Ready: invoice 26001 will be sent by email from Dynamics 365 to factuur@klant.nl; eigenaar@klant.nl shortly.',
    );
  });

  it("when Exact's account holds another address, then the Dynamics route still sends to Dynamics' recipients (Exact sends nothing)", () => {
    const d = decide({
      ...input({ administration: DYNAMICS, relation: { invoiceEmail: 'factuur@klant.nl' } }),
      receiver: {
        accountId: 'acc-1',
        accountName: 'Bakkerij Jansen',
        method: 2,
        invoiceAccount: null,
        email: 'oud@klant.nl',
        emailFrom: 'account',
        contactName: null,
        peppolId: null,
      },
    });
    expect(d.kind === 'send' && d.plan.dynamicsMail?.to).toEqual(['factuur@klant.nl']);
  });

  it('when the administration has no mailbox, then the invoice fails before printing with mailbox_missing', () => {
    const d = decide(
      input({ administration: { ...DYNAMICS, mailboxId: null }, relation: { invoiceEmail: 'a@klant.nl' } }),
    );
    expect(d).toMatchObject({ kind: 'fail', reason: 'mailbox_missing' });
    expect(explain('mailbox_missing', d.facts, 'nl')).toContain('geen postvak');
  });

  it('when a recipient is not an address, then it fails with email_invalid naming it', () => {
    const d = decide(
      input({ administration: DYNAMICS, relation: { invoiceEmail: 'a@klant.nl; geen-adres' } }),
    );
    expect(d).toMatchObject({ kind: 'fail', reason: 'email_invalid', facts: { address: 'geen-adres' } });
  });
});

describe('a copy of a processed invoice', () => {
  it('when the route is Exact Online, then no copy is made (nothing is printed again either)', () => {
    expect(decideCopy(input({ invoice: { exactStatus: 50 } }), administration(), 1)).toEqual({
      kind: 'notDynamics',
    });
  });
  it('when the route is Dynamics 365, then the copy goes to the current recipients and says it is a copy', () => {
    const d = decideCopy(
      input({ relation: { invoiceEmail: 'factuur@klant.nl' }, invoice: { exactStatus: 50 } }),
      administration(DYNAMICS),
      2,
    );
    expect(d.kind).toBe('send');
    if (d.kind !== 'send') return;
    expect(d.plan.dynamicsMail?.to).toEqual(['factuur@klant.nl']);
    expect(explain('sent', { ...d.facts, route: 'dynamics' }, 'en')).toBe(
      'Sent by email from Dynamics 365: Dynamics 365 reported it sent to factuur@klant.nl (again, a copy of the document Exact Online had already made; not printed again).',
    );
  });
});

describe('the ledger on the Dynamics route', () => {
  it('when Exact printed for the Dynamics route, then the entry is mailing, and only Dataverse status moves it on', () => {
    expect(nextState('sending', 'printedForMail')).toBe('mailing');
    expect(nextState('mailing', 'mailSent')).toBe('sent');
    expect(nextState('review', 'mailFailed')).toBe('failed');
    expect(nextState('mailing', 'claimed')).toBeNull();
  });
  it('when an entry is mailing or in review, then a dispatch carries the email on instead of deciding (never a print)', () => {
    const now = new Date('2026-03-20T10:00:00Z');
    expect(gate({ state: 'mailing', leaseUntil: null }, false, now)).toEqual({ kind: 'mail' });
    expect(gate({ state: 'review', leaseUntil: null }, true, now)).toEqual({ kind: 'mail' });
    const live = new Date(now.getTime() + 60_000);
    expect(gate({ state: 'mailing', leaseUntil: live }, false, now)).toEqual({ kind: 'busy', until: live });
  });
  it('when a sent invoice is resent as a copy, then it moves to mailing again', () => {
    expect(nextState('sent', 'mailCopy')).toBe('mailing');
    expect(nextState('waiting', 'mailCopy')).toBeNull();
  });
});

describe('whose print processed the invoice', () => {
  it('when the entry holds the Dynamics route email, then AutoInvoice printed it, even with no print reason in its history', () => {
    const mail = { emailId: 'e', copy: 0 };
    expect(printedByAutoInvoice({ history: [{ reason: 'exact_connection_lost' }], mail })).toBe(true);
    expect(printedByAutoInvoice({ history: [{ reason: 'exact_connection_lost' }], mail: null })).toBe(false);
  });
});
