/** The document-only print of the Dynamics 365 email route (PRODUCT.md §12): its body and its answer, with nock. */
import nock from 'nock';
import { createExactGateway, printBody } from '../../../src/adapters/exact/exactClient';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';
import type { PrintRequest } from '../../../src/app/ports';

const BASE = 'https://start.exactonline.nl';
const DIV = 101;
const INVOICE = '33333333-0000-0000-0000-000000000001';
const DOCUMENT = '44444444-0000-0000-0000-0000000000AA';
const PRINT = `/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`;

const request: PrintRequest = {
  invoiceId: INVOICE,
  channel: 'email',
  documentLayout: '22222222-0000-0000-0000-000000000001',
  emailLayout: '22222222-0000-0000-0000-000000000002',
  extraText: 'Bedankt',
  senderEmail: 'facturen@bakkerij.test',
  documentOnly: true,
};

const gateway = () =>
  createExactGateway({
    baseUrl: BASE,
    connectionId: 'c1',
    tokens: { getAccessToken: async () => 'tok' },
    governor: createRateGovernor({ sleep: async () => undefined }),
    sleep: async () => undefined,
    random: () => 0,
  });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

test.each(['email', 'postbox', 'peppol', 'paper'] as const)(
  'when a %s invoice is printed document-only, then every Send flag is false and no e-mail layout or sender is posted',
  (channel) => {
    expect(printBody({ ...request, channel })).toEqual({
      InvoiceID: INVOICE,
      DocumentLayout: request.documentLayout,
      ExtraText: 'Bedankt',
      SendEmailToCustomer: false,
      SendInvoiceToCustomerPostbox: false,
      SendInvoiceViaPeppol: false,
      SendOutputBasedOnAccount: false,
    });
  },
);

test('when the document-only print is answered with its Document, then the outcome carries its id in lower case', async () => {
  const scope = nock(BASE)
    .post(PRINT, (b) => b.SendEmailToCustomer === false && b.SendOutputBasedOnAccount === false)
    .reply(201, {
      d: { InvoiceID: INVOICE, Document: DOCUMENT, DocumentCreationError: null, EmailCreationError: null },
    });
  await expect(gateway().print(DIV, request)).resolves.toEqual({
    ok: true,
    documentId: DOCUMENT.toLowerCase(),
  });
  scope.done();
});

test('when Exact could not create the document, then DocumentCreationError is the failure, not the e-mail field', async () => {
  nock(BASE)
    .post(PRINT)
    .reply(201, {
      d: {
        InvoiceID: INVOICE,
        Document: null,
        DocumentCreationError: 'Layout not found',
        EmailCreationError: null,
      },
    });
  await expect(gateway().print(DIV, request)).resolves.toEqual({
    ok: false,
    channelError: 'Layout not found',
  });
});

test('when the answer names no usable Document, then the print is ok without an id', async () => {
  nock(BASE)
    .post(PRINT)
    .reply(201, { d: { InvoiceID: INVOICE, Document: 'not-a-guid', DocumentCreationError: null } });
  await expect(gateway().print(DIV, request)).resolves.toEqual({ ok: true });
});
