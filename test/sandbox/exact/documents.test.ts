/** The documents a print makes: `documents/Documents`, `documents/DocumentAttachments`, the PDF, the scope. */
import axios, { type AxiosInstance } from 'axios';
import { PDFDocument } from 'pdf-lib';
import { startExactSandbox, type ExactSandbox, type ExactSeed } from '../../../sandbox/exact';
import { pdfText } from '../../support/pdfText';
import { ACC, DIV, INV, LAYOUT, client, invoiceId, seed } from './fixture';

const EN_LAYOUT = '22222222-0000-0000-0000-0000000000e1';
const DOCS = `/api/v1/${DIV}/documents/Documents`;
const ATTACHMENTS = `/api/v1/${DIV}/documents/DocumentAttachments`;

function documentSeed(): ExactSeed {
  const s = seed(3);
  const div = s.divisions[0]!;
  div.layouts.push({ ID: EN_LAYOUT, Subject: 'Invoice EN', Type: 1, Language: 'EN' });
  div.invoices[0] = { ...div.invoices[0]!, AmountDC: 121.5, Description: 'Broodlevering maart' };
  return s;
}

let sb: ExactSandbox;
let api: AxiosInstance;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: documentSeed() });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  api = client(sb, (await sb.authorize()).accessToken);
});

const print = (InvoiceID: string, extra: object = {}) =>
  api.post(`/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`, {
    InvoiceID,
    DocumentLayout: LAYOUT,
    ...extra,
  });
const byInvoice = (id: string) =>
  api.get(DOCS, { params: { $filter: `FinancialTransactionEntryID eq guid'${id}'` } });
const attachmentsOf = (document: string) =>
  api.get(ATTACHMENTS, { params: { $filter: `Document eq guid'${document}'` } });

describe('Exact sandbox documents', () => {
  test('when an invoice is printed, then one document carries its id, number, type, subject and language', async () => {
    const printed = await print(invoiceId(1));
    const number = sb.invoice(DIV, invoiceId(1))!.InvoiceNumber;
    const res = await byInvoice(invoiceId(1));
    expect(res.status).toBe(200);
    expect(res.data.d.results).toEqual([
      expect.objectContaining({
        ID: printed.data.d.Document,
        FinancialTransactionEntryID: invoiceId(1),
        SalesInvoiceNumber: number,
        Account: ACC.email,
        Type: 10,
        Subject: `Factuur ${number}`,
        Language: 'NL',
        DocumentDate: '/Date(1740787200000)/',
      }),
    ]);
  });

  test('when its attachment is read, then the Base64 PDF is the document the print made, byte for byte', async () => {
    const document = (await print(invoiceId(1))).data.d.Document as string;
    const res = await attachmentsOf(document);
    expect(res.status).toBe(200);
    const [row] = res.data.d.results;
    const bytes = Buffer.from(row.Attachment, 'base64');
    const made = await sb.documentPdf(DIV, invoiceId(1));
    expect(made).not.toBeNull();
    expect(bytes.equals(made!)).toBe(true);
    expect(row).toMatchObject({ Document: document, FileName: expect.stringMatching(/\.pdf$/) });
    expect(row.FileSize).toBe(bytes.length);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  test('when the PDF is opened, then it shows number, date, customer, amount, layout and Dutch labels', async () => {
    await print(invoiceId(1));
    const number = sb.invoice(DIV, invoiceId(1))!.InvoiceNumber;
    const bytes = (await sb.documentPdf(DIV, invoiceId(1)))!;
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe(`Factuur ${number}`);
    expect(pdf.getCreationDate()?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    const text = await pdfText(bytes);
    expect(text).toEqual(
      expect.arrayContaining([
        `Factuur ${number}`,
        'Factuurnummer:',
        String(number),
        '2025-03-01',
        'Jansen',
        'Broodlevering maart',
        '121,50',
        'Factuur NL',
        'Nederlands',
      ]),
    );
    expect(text).not.toContain('Invoice number:');
  });

  test('when the layout is English, then the PDF, subject and language are English', async () => {
    await print(invoiceId(2), { DocumentLayout: EN_LAYOUT });
    const number = sb.invoice(DIV, invoiceId(2))!.InvoiceNumber;
    const text = await pdfText((await sb.documentPdf(DIV, invoiceId(2)))!);
    expect(text).toEqual(
      expect.arrayContaining([`Invoice ${number}`, 'Invoice number:', 'Invoice EN', 'English']),
    );
    expect(text).not.toContain('Factuurnummer:');
    const doc = (await byInvoice(invoiceId(2))).data.d.results[0];
    expect(doc).toMatchObject({ Subject: `Invoice ${number}`, Language: 'EN' });
  });

  test('when an invoice made through the API with lines is printed, then the PDF lists its lines and total', async () => {
    const made = await api.post(`/api/v1/${DIV}/salesinvoice/SalesInvoices`, {
      OrderedBy: ACC.email,
      Journal: '70',
      InvoiceDate: '2025-04-02',
      SalesInvoiceLines: [
        { Description: 'Croissants', Quantity: 12, UnitPrice: 1.25 },
        { Description: 'Bezorging', Quantity: 1, UnitPrice: 7.5 },
      ],
    });
    const id = made.data.d.InvoiceID as string;
    await print(id);
    const text = await pdfText((await sb.documentPdf(DIV, id))!);
    expect(text).toEqual(
      expect.arrayContaining([
        'Croissants',
        '12',
        '1,25',
        '15,00',
        'Bezorging',
        '7,50',
        '22,50',
        '2025-04-02',
      ]),
    );
  });

  test('when a credit note is printed, then its title says so in the layout language', async () => {
    sb.seed({
      divisions: documentSeed().divisions.map((d) => ({
        ...d,
        invoices: [
          {
            InvoiceID: invoiceId(50),
            InvoiceTo: ACC.email,
            InvoiceDate: '2025-03-05',
            Status: 20,
            Type: 8021,
          },
        ],
      })),
    });
    try {
      await print(invoiceId(50), { DocumentLayout: EN_LAYOUT });
      const number = sb.invoice(DIV, invoiceId(50))!.InvoiceNumber;
      expect(await pdfText((await sb.documentPdf(DIV, invoiceId(50)))!)).toContain(`Credit note ${number}`);
    } finally {
      sb.seed(documentSeed());
    }
  });

  test('when the same invoice is printed again after a reset at another time, then the PDF bytes are the same', async () => {
    await print(invoiceId(1));
    const first = (await sb.documentPdf(DIV, invoiceId(1)))!;
    sb.reset();
    sb.clock.advance(3 * 86_400_000);
    api = client(sb, (await sb.authorize()).accessToken);
    await print(invoiceId(1));
    const second = (await sb.documentPdf(DIV, invoiceId(1)))!;
    expect(second.equals(first)).toBe(true);
  });

  test('when an invoice has not been printed, then it has no document and no PDF', async () => {
    const res = await byInvoice(invoiceId(3));
    expect(res.status).toBe(200);
    expect(res.data.d.results).toEqual([]);
    expect(await sb.documentPdf(DIV, invoiceId(3))).toBeNull();
  });

  test('when a print sends nothing (every Send flag false), then the document and its PDF still exist', async () => {
    const flags = {
      SendEmailToCustomer: false,
      SendInvoiceToCustomerPostbox: false,
      SendInvoiceViaPeppol: false,
      SendOutputBasedOnAccount: false,
    };
    const res = await print(INV.bare, flags);
    expect(res.status).toBe(201);
    expect(sb.prints()).toEqual([expect.objectContaining({ channel: 'paper', recipients: [] })]);
    expect((await attachmentsOf(res.data.d.Document)).data.d.results).toHaveLength(1);
  });

  test('when the attachment was removed in Exact, then the document stays and no attachment is listed', async () => {
    const document = (await print(invoiceId(1))).data.d.Document as string;
    sb.removeAttachment(DIV, invoiceId(1));
    expect((await byInvoice(invoiceId(1))).data.d.results).toHaveLength(1);
    expect((await attachmentsOf(document)).data.d.results).toEqual([]);
    expect(await sb.documentPdf(DIV, invoiceId(1))).toBeNull();
  });

  test('when a document is read by key, then the entity comes bare; an unknown key is 404', async () => {
    const document = (await print(invoiceId(1))).data.d.Document as string;
    const res = await api.get(`${DOCS}(guid'${document}')`);
    expect(res.status).toBe(200);
    expect(res.data.d).toMatchObject({ ID: document, FinancialTransactionEntryID: invoiceId(1) });
    expect((await api.get(`${DOCS}(guid'${invoiceId(77)}')`)).status).toBe(404);
  });

  test.each([DOCS, ATTACHMENTS])(
    'when the app lacks the "Organization documents" scope, then %s answers 403 Application Scope Violated',
    async (path) => {
      await print(invoiceId(1));
      sb.setScopes(sb.scopes().filter((s) => s !== 'Organization documents'));
      const res = await api.get(path, { params: { $select: 'ID' } });
      expect(res.status).toBe(403);
      expect(res.data.error.message.value).toBe('Forbidden - Application Scope Violated. Cannot read');
      // The rest of the API is unaffected.
      expect((await api.get(`/api/v1/${DIV}/salesinvoice/SalesInvoices`)).status).toBe(200);
    },
  );

  test('when the scopes are set over HTTP without the documents scope, then documents/Documents is refused', async () => {
    const set = await axios.post(`${sb.url}/_sandbox/scopes`, { scopes: ['Sales invoices'] });
    expect(set.data).toEqual({ scopes: ['Sales invoices'] });
    expect((await axios.get(`${sb.url}/_sandbox/scopes`)).data).toEqual({ scopes: ['Sales invoices'] });
    expect((await api.get(DOCS)).status).toBe(403);
  });

  test('when the sandbox starts, then the app holds the documents scope, and a reset restores it', async () => {
    expect(sb.scopes()).toContain('Organization documents');
    sb.setScopes([]);
    sb.reset();
    expect(sb.scopes()).toContain('Organization documents');
  });
});
