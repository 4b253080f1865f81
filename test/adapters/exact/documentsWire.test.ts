/** Wire edges of the documents adapter that the sandbox does not produce, with nock. */
import nock from 'nock';
import { createExactDocuments, ExactScopeMissingError } from '../../../src/adapters/exact/documents';
import { ExactAuthError, ExactServerError } from '../../../src/adapters/exact/errors';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';

const BASE = 'https://start.exactonline.nl';
const DIV = 101;
const INVOICE = '33333333-0000-0000-0000-000000000001';
const OLD_DOC = '44444444-0000-0000-0000-000000000001';
const NEW_DOC = '44444444-0000-0000-0000-000000000002';
const PDF = Buffer.from('%PDF-1.7\n%fake but PDF-headed\n');

const docs = () =>
  createExactDocuments({
    baseUrl: BASE,
    connectionId: 'c1',
    tokens: { getAccessToken: async () => 'tok' },
    governor: createRateGovernor({ sleep: async () => undefined }),
    sleep: async () => undefined,
    random: () => 0,
  });
const document = (ID: string, created: number, number: number) => ({
  ID,
  Created: `/Date(${created})/`,
  SalesInvoiceNumber: number,
  Subject: `Factuur ${number}`,
  Type: 10,
});
const attachment = (ID: string, bytes: Buffer, FileName: string, FileSize: number = bytes.length) => ({
  ID,
  Attachment: bytes.toString('base64'),
  FileName,
  FileSize,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

test('when Exact links several documents to the invoice, then the newest is read, with $select and the filters Exact documents, and its PDF chosen over another file', async () => {
  const scope = nock(BASE, { reqheaders: { accept: 'application/json', authorization: 'Bearer tok' } })
    .get(`/api/v1/${DIV}/documents/Documents`)
    .query({
      $select: 'ID,Created,SalesInvoiceNumber,Subject,Type',
      $filter: `FinancialTransactionEntryID eq guid'${INVOICE}'`,
    })
    .reply(200, {
      d: {
        results: [
          document(OLD_DOC, 1000, 25000001),
          document(NEW_DOC, 2000, 25000002),
          document('44444444-0000-0000-0000-000000000003', 1500, 25000003),
        ],
      },
    })
    .get(`/api/v1/${DIV}/documents/DocumentAttachments`)
    .query({ $select: 'ID,Attachment,FileName,FileSize', $filter: `Document eq guid'${NEW_DOC}'` })
    .reply(200, {
      d: {
        results: [
          attachment('55555555-0000-0000-0000-000000000001', Buffer.from('<xml/>'), 'ubl.xml'),
          attachment('55555555-0000-0000-0000-000000000002', PDF, 'Factuur 25000002.pdf'),
        ],
      },
    });
  const doc = await docs().invoiceDocument(DIV, INVOICE);
  scope.done();
  expect(doc).toEqual({
    documentId: NEW_DOC,
    invoiceNumber: 25000002,
    fileName: 'Factuur 25000002.pdf',
    mimeType: 'application/pdf',
    bytes: PDF,
  });
});

test('when the attachment arrives shorter than its FileSize, then a transient server error, not a cut PDF', async () => {
  nock(BASE)
    .get(`/api/v1/${DIV}/documents/Documents`)
    .query(true)
    .reply(200, { d: { results: [document(NEW_DOC, 1, 7)] } })
    .get(`/api/v1/${DIV}/documents/DocumentAttachments`)
    .query(true)
    .reply(200, { d: { results: [attachment('55555555-0000-0000-0000-000000000002', PDF, 'f.pdf', 9999)] } });
  const err = await docs()
    .invoiceDocument(DIV, INVOICE)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ExactServerError);
  expect(err).toMatchObject({ transient: true });
});

test('when the Attachment is not Base64, then the answer is refused as unreadable', async () => {
  nock(BASE)
    .get(`/api/v1/${DIV}/documents/Documents`)
    .query(true)
    .reply(200, { d: { results: [document(NEW_DOC, 1, 7)] } })
    .get(`/api/v1/${DIV}/documents/DocumentAttachments`)
    .query(true)
    .reply(200, { d: { results: [{ ID: NEW_DOC, Attachment: 'not base64!', FileName: 'f.pdf' }] } });
  await expect(docs().invoiceDocument(DIV, INVOICE)).rejects.toBeInstanceOf(ExactServerError);
});

test('when a 403 is about the user division rather than the app scope, then it stays an ExactAuthError without the scope advice', async () => {
  nock(BASE)
    .get(`/api/v1/${DIV}/documents/Documents`)
    .query(true)
    .reply(
      403,
      {
        error: {
          code: '',
          message: { lang: '', value: 'Forbidden - User division is not within division scope' },
        },
      },
      { Reason: 'NoDivisionAccess' },
    );
  const err = await docs()
    .invoiceDocument(DIV, INVOICE)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ExactAuthError);
  expect(err).not.toBeInstanceOf(ExactScopeMissingError);
  expect(err).toMatchObject({ transient: false });
});
