import type { AxiosInstance } from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { ACC, DIV, EMAIL_LAYOUT, INV, LAYOUT, OTHER_DIV, client, invoiceId, seed } from './fixture';

let sb: ExactSandbox;
let api: AxiosInstance;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(3) });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  api = client(sb, (await sb.authorize()).accessToken);
});

const PRINT = `/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`;
const FLAG = {
  email: {
    SendEmailToCustomer: true,
    EmailLayout: EMAIL_LAYOUT,
    SenderEmailAddress: 'debiteuren@bakkerij.test',
  },
  peppol: { SendInvoiceViaPeppol: true },
  postbox: { SendInvoiceToCustomerPostbox: true },
  paper: {},
};
const print = (InvoiceID: string, flags: object, path = PRINT) =>
  api.post(path, { InvoiceID, DocumentLayout: LAYOUT, ExtraText: 'Bedankt', ...flags });

describe('Exact sandbox PrintedSalesInvoices', () => {
  test.each([
    ['email', invoiceId(1), 'EmailCreation', 'factuur@jansen.test'],
    ['peppol', INV.peppol, 'PeppolCreation', '0106:12345678'],
    ['postbox', INV.postbox, 'PostboxMessageCreation', 'Postbus NV'],
    ['paper', invoiceId(2), 'DocumentCreation', null],
  ] as const)(
    'when printing via %s, then 201 with success filled, invoice processed and one outbox entry',
    async (channel, id, field, recipient) => {
      const res = await print(id, FLAG[channel]);
      expect(res.status).toBe(201);
      expect(res.data.d).toMatchObject({
        InvoiceID: id,
        Division: DIV,
        Document: expect.stringMatching(/^[0-9a-f-]{36}$/),
        DocumentCreationSuccess: expect.any(String),
        DocumentCreationError: null,
        [`${field}Success`]: expect.any(String),
        [`${field}Error`]: null,
      });
      for (const f of ['EmailCreationError', 'PostboxMessageCreationError', 'PeppolCreationError'])
        expect(res.data.d[f]).toBeNull();
      expect(sb.invoice(DIV, id)).toMatchObject({ Status: 50, InvoiceNumber: expect.any(Number) });
      expect(sb.prints()).toEqual([
        expect.objectContaining({
          division: DIV,
          invoiceId: id,
          channel,
          recipient,
          sent: true,
          documentLayout: LAYOUT,
          extraText: 'Bedankt',
        }),
      ]);
    },
  );

  test('when printing several invoices, then numbers are sequential per division after the highest existing one', async () => {
    await print(invoiceId(1), FLAG.paper);
    await print(invoiceId(2), FLAG.paper);
    expect(sb.invoice(DIV, invoiceId(1))?.InvoiceNumber).toBe(25000008);
    expect(sb.invoice(DIV, invoiceId(2))?.InvoiceNumber).toBe(25000009);
  });

  test.each([
    ['email', INV.bare, 'EmailCreationError', /No email address/],
    ['peppol', INV.bare, 'PeppolCreationError', /No Peppol identifier/],
    ['postbox', INV.bare, 'PostboxMessageCreationError', /no digital postbox/],
  ] as const)(
    'when the account cannot receive %s, then the error is inside a 201 and the invoice is still processed',
    async (channel, id, field, text) => {
      const res = await print(id, FLAG[channel]);
      expect(res.status).toBe(201);
      expect(res.data.d[field]).toMatch(text);
      expect(res.data.d.DocumentCreationSuccess).toEqual(expect.any(String));
      expect(sb.invoice(DIV, id)?.Status).toBe(50);
      expect(sb.prints()).toEqual([
        expect.objectContaining({ invoiceId: id, channel, sent: false, error: expect.stringMatching(text) }),
      ]);
    },
  );

  test('when the division lacks the mailbox feature, then the postbox error names the licence', async () => {
    const other = {
      division: OTHER_DIV,
      name: 'Zuster BV',
      mailbox: false,
      peppol: false,
      accounts: [{ ID: ACC.postbox, Name: 'Postbus NV', Postbox: true }],
      layouts: [],
      invoices: [
        { InvoiceID: invoiceId(7), InvoiceTo: ACC.postbox, InvoiceDate: '2025-03-01', Status: 20 as const },
      ],
    };
    sb.seed({ divisions: [...seed(3).divisions.filter((d) => d.division === DIV), other] });
    const res = await api.post(`/api/v1/${OTHER_DIV}/salesinvoice/PrintedSalesInvoices`, {
      InvoiceID: invoiceId(7),
      ...FLAG.postbox,
    });
    expect(res.status).toBe(201);
    expect(res.data.d.PostboxMessageCreationError).toMatch(/Mailbox feature/);
  });

  test('when SendOutputBasedOnAccount is set, then the account InvoicingMethod picks the channel', async () => {
    const res = await print(INV.peppol, { SendOutputBasedOnAccount: true, SendEmailToCustomer: false });
    expect(res.data.d.PeppolCreationSuccess).toEqual(expect.any(String));
    expect(sb.prints()[0]?.channel).toBe('peppol');
  });

  test('when the invoice is already processed, then 400 with an Exact error body and nothing printed', async () => {
    const res = await print(INV.processed, FLAG.email);
    expect(res.status).toBe(400);
    expect(res.data.error.message.value).toMatch(/already been processed/);
    expect(sb.prints()).toHaveLength(0);
  });

  test('when the same invoice is printed twice, then the second is refused and the outbox holds one print', async () => {
    expect((await print(invoiceId(1), FLAG.email)).status).toBe(201);
    expect((await print(invoiceId(1), FLAG.email)).status).toBe(400);
    expect(sb.prints().filter((p) => p.invoiceId === invoiceId(1))).toHaveLength(1);
  });

  test('when the invoice is a draft (10), then the print is refused and it stays 10', async () => {
    expect((await print(INV.draft, FLAG.paper)).status).toBe(400);
    expect(sb.invoice(DIV, INV.draft)?.Status).toBe(10);
  });

  test('when the document layout is an e-mail layout, then 400 and the invoice stays open', async () => {
    const res = await api.post(PRINT, { InvoiceID: invoiceId(1), DocumentLayout: EMAIL_LAYOUT });
    expect(res.status).toBe(400);
    expect(sb.invoice(DIV, invoiceId(1))?.Status).toBe(20);
  });
});
