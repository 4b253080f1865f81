/** Where the sandbox sends an e-mail print (decision 0070's rule), and how it records every print's recipients. */
import axios, { type AxiosInstance } from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { client } from './fixture';
import {
  BRANCH,
  BUYER,
  DIV,
  GEEN_MAIL,
  HOEK,
  HOLDING,
  HOLDING_CONTACT,
  LAYOUT,
  MAIN,
  inv,
  masterSeed,
} from './masterFixture';

let sb: ExactSandbox;
let api: AxiosInstance;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: masterSeed() });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  api = client(sb, (await sb.authorize()).accessToken);
});

const print = (id: string, flags: object = { SendEmailToCustomer: true }) =>
  api.post(`/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`, {
    InvoiceID: id,
    DocumentLayout: LAYOUT,
    ...flags,
  });

const createInvoice = (body: object) =>
  api.post(`/api/v1/${DIV}/salesinvoice/SalesInvoices`, {
    Journal: '70',
    SalesInvoiceLines: [{ Item: 'x', Quantity: 1, UnitPrice: 10 }],
    ...body,
  });

describe('Exact sandbox e-mail recipient', () => {
  test.each([
    [
      'seeded without a contact person (the main contact)',
      inv(1),
      ['eigenaar@hoek.test'],
      'contactPerson',
      MAIN,
    ],
    [
      'with another contact person (its Email, not its BusinessEmail)',
      inv(2),
      ['inkoop@hoek.test'],
      'contactPerson',
      BUYER,
    ],
    ['with no contact person', inv(3), ['factuur@hoek.test'], 'account', null],
    ['whose contact person has only a BusinessEmail', inv(4), ['factuur@hoek.test'], 'account', null],
  ] as const)(
    'when an invoice %s is printed by e-mail, then it goes to %j and the print records why',
    async (_what, id, recipients, rule, contact) => {
      const res = await print(id);
      expect(res.status).toBe(201);
      expect(res.data.d).toMatchObject({
        EmailCreationError: null,
        EmailCreationSuccess: expect.any(String),
      });
      expect(sb.recipients()).toEqual([
        {
          division: DIV,
          invoiceId: id,
          channel: 'email',
          recipients,
          recipientRule: rule,
          recipientAccount: HOEK,
          recipientContact: contact,
          sent: true,
          error: null,
          at: expect.any(Number),
        },
      ]);
      expect(sb.prints()[0]).toMatchObject({ recipient: recipients[0], recipients });
    },
  );

  test('when an account without any address is printed by e-mail, then EmailCreationError, the invoice is still processed and no recipient is recorded', async () => {
    const res = await print(inv(5));
    expect(res.status).toBe(201);
    expect(res.data.d.EmailCreationError).toBe("No email address for account 'Geen Mail BV'.");
    expect(sb.invoice(DIV, inv(5))).toMatchObject({ Status: 50, InvoiceNumber: expect.any(Number) });
    expect(sb.recipients()[0]).toMatchObject({
      recipients: [],
      recipientRule: 'account',
      recipientAccount: GEEN_MAIL,
      sent: false,
    });
  });

  test('when the address is added to the account in Exact and a new invoice printed, then it goes there', async () => {
    sb.editAccount(DIV, GEEN_MAIL, { Email: 'factuur@geenmail.test' });
    const created = await createInvoice({ OrderedBy: GEEN_MAIL });
    await print(created.data.d.InvoiceID);
    expect(sb.recipients()[0]?.recipients).toEqual(['factuur@geenmail.test']);
  });

  test('when printed via Peppol, postbox or paper, then the Peppol id (scheme:value), nothing, or nothing is recorded', async () => {
    sb.editAccount(DIV, HOLDING, { PeppolIdentifier: '87654321', PeppolIdentifierType: 2, Postbox: false });
    const a = await createInvoice({ OrderedBy: HOLDING });
    const b = await createInvoice({ OrderedBy: HOLDING });
    const c = await createInvoice({ OrderedBy: HOLDING });
    await print(a.data.d.InvoiceID, { SendInvoiceViaPeppol: true });
    await print(b.data.d.InvoiceID, { SendInvoiceToCustomerPostbox: true });
    await print(c.data.d.InvoiceID, {});
    expect(sb.recipients().map((r) => [r.channel, r.recipients, r.recipientRule, r.sent])).toEqual([
      ['peppol', ['0106:87654321'], 'account', true],
      ['postbox', [], 'account', false],
      ['paper', [], null, true],
    ]);
  });

  test('when recipients are asked over the control API, then they equal the in-process ones', async () => {
    await print(inv(1));
    await print(inv(5));
    const res = await axios.get(`${sb.url}/_sandbox/recipients`);
    expect(res.data).toEqual(sb.recipients());
    expect(res.data).toHaveLength(2);
  });
});

describe('Exact sandbox InvoiceToContactPerson on a new invoice', () => {
  test('when none is given, then the InvoiceTo account’s main contact is filled in and read back', async () => {
    const res = await createInvoice({ OrderedBy: HOEK });
    expect(res.status).toBe(201);
    expect(res.data.d.InvoiceToContactPerson).toBe(MAIN);
    const read = await api.get(
      `/api/v1/${DIV}/salesinvoice/SalesInvoices?$select=InvoiceID,InvoiceTo,InvoiceToContactPerson&$filter=InvoiceID eq guid'${res.data.d.InvoiceID}'`,
    );
    expect(read.data.d.results[0]).toMatchObject({ InvoiceTo: HOEK, InvoiceToContactPerson: MAIN });
  });

  test('when one is given, then it is kept; null keeps none', async () => {
    expect(
      (await createInvoice({ OrderedBy: HOEK, InvoiceToContactPerson: BUYER })).data.d.InvoiceToContactPerson,
    ).toBe(BUYER);
    expect(
      (await createInvoice({ OrderedBy: HOEK, InvoiceToContactPerson: null })).data.d.InvoiceToContactPerson,
    ).toBeNull();
  });

  test('when the contact belongs to another account, then 500 "Invalid: Invoice to contact person"', async () => {
    const res = await createInvoice({ OrderedBy: HOEK, InvoiceToContactPerson: HOLDING_CONTACT });
    expect(res.status).toBe(500);
    expect(res.data.error.message.value).toBe('Invalid: Invoice to contact person');
  });

  test('when OrderedBy has an invoice account and no InvoiceTo is given, then the invoice account is invoiced with its main contact', async () => {
    const res = await createInvoice({ OrderedBy: BRANCH });
    expect(res.data.d).toMatchObject({
      OrderedBy: BRANCH,
      InvoiceTo: HOLDING,
      InvoiceToContactPerson: HOLDING_CONTACT,
    });
  });
});

describe('Exact sandbox account control API', () => {
  test('when an account is edited over the control API, then it reads back with the division’s next Timestamp as a decimal string', async () => {
    const before = sb.account(DIV, GEEN_MAIL)!.Timestamp; // the last seeded account holds the highest
    expect(
      (await axios.post(`${sb.url}/_sandbox/accounts/${DIV}/${HOEK}`, { Email: 'x@hoek.test' })).status,
    ).toBe(200);
    const res = await axios.get(`${sb.url}/_sandbox/accounts/${DIV}/${HOEK}`);
    expect(res.data).toMatchObject({ ID: HOEK, Email: 'x@hoek.test', Timestamp: String(before + 1n) });
  });
});
