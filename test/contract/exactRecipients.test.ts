/**
 * The sandbox's side of the recipient contract: its resolver, and a real print through its HTTP API, give
 * each case's expected recipient (the connector's resolver is run against the same table elsewhere).
 */
import axios from 'axios';
import {
  resolveEmailRecipient,
  startExactSandbox,
  type ExactSandbox,
  type ExactSeed,
} from '../../sandbox/exact';
import { EXACT_RECIPIENT_CASES, type ExactRecipientCase } from './exactRecipients.cases';

const DIV = 7;
const LAYOUT = '22222222-0000-0000-0000-000000000001';
const invoiceOf = (i: number) => `33333333-0000-0000-0000-${String(i + 1).padStart(12, '0')}`;

/** One division per case: the case's ids can repeat across cases. */
function seedOf(c: ExactRecipientCase, i: number): ExactSeed['divisions'][number] {
  return {
    division: DIV + i,
    name: `Case ${i}`,
    accounts: [
      { ID: c.account.id, Name: 'De Hoek', Email: c.account.email, MainContact: c.account.mainContact },
    ],
    contacts: c.contacts.map((k) => ({ ID: k.id, Account: c.account.id, Email: k.email })),
    layouts: [{ ID: LAYOUT, Subject: 'Factuur', Type: 1 }],
    invoices: [
      {
        InvoiceID: invoiceOf(i),
        InvoiceTo: c.account.id,
        InvoiceToContactPerson: c.invoiceToContactPerson,
        InvoiceDate: '2026-12-01',
        Status: 20,
      },
    ],
  };
}

describe('Exact recipients contract (sandbox side)', () => {
  test.each(EXACT_RECIPIENT_CASES.map((c) => [c.name, c] as const))(
    'when %s, then the sandbox resolver gives the expected recipient',
    (_name, c) => {
      const contact = c.contacts.find((k) => k.id === c.invoiceToContactPerson) ?? null;
      const r = resolveEmailRecipient({
        account: { ID: c.account.id, Name: 'De Hoek', Email: c.account.email },
        contactPerson: contact && { ID: contact.id, Email: contact.email },
      });
      const got = r.ok
        ? { recipients: r.recipients, rule: r.rule, contact: r.contact }
        : { error: r.problem, rule: r.rule, contact: r.contact };
      expect(got).toEqual(c.expected);
    },
  );

  describe('through a print over HTTP', () => {
    let sb: ExactSandbox;
    beforeAll(async () => {
      sb = await startExactSandbox({ seed: { divisions: EXACT_RECIPIENT_CASES.map(seedOf) } });
    });
    afterAll(() => sb.close());

    test('when every case is printed with SendEmailToCustomer, then the recorded recipients are the expected ones and every invoice is processed', async () => {
      const { accessToken } = await sb.authorize();
      for (const [i] of EXACT_RECIPIENT_CASES.entries()) {
        const res = await axios.post(
          `${sb.url}/api/v1/${DIV + i}/salesinvoice/PrintedSalesInvoices`,
          { InvoiceID: invoiceOf(i), DocumentLayout: LAYOUT, SendEmailToCustomer: true },
          { headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` } },
        );
        expect(res.status).toBe(201);
        expect(sb.invoice(DIV + i, invoiceOf(i))?.Status).toBe(50);
      }
      const recorded = sb
        .recipients()
        .map((r) =>
          r.sent
            ? { recipients: r.recipients, rule: r.recipientRule, contact: r.recipientContact }
            : { recipients: r.recipients, rule: r.recipientRule, contact: r.recipientContact, failed: true },
        );
      expect(recorded).toEqual(
        EXACT_RECIPIENT_CASES.map((c) =>
          'error' in c.expected
            ? { recipients: [], rule: c.expected.rule, contact: c.expected.contact, failed: true }
            : { recipients: c.expected.recipients, rule: c.expected.rule, contact: c.expected.contact },
        ),
      );
    });
  });
});
