/**
 * The Exact documents adapter against the sandbox (tokens on Azurite): the PDF of a document-only print,
 * byte for byte; the scope refusal; an unprinted invoice; a document without its attachment.
 */
import { PDFDocument } from 'pdf-lib';
import { startExactSandbox, type ExactSandbox, type ExactSeed } from '../../../sandbox/exact';
import { createExactDocuments, ExactScopeMissingError } from '../../../src/adapters/exact/documents';
import { ExactAuthError, ExactNotFoundError } from '../../../src/adapters/exact/errors';
import { createExactGateway } from '../../../src/adapters/exact/exactClient';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';
import type { TokenStore } from '../../../src/adapters/exact/tokenStore';
import type { PrintRequest } from '../../../src/app/ports';
import { useAzurite } from '../../support/azurite';
import { pdfText } from '../../support/pdfText';
import { DIV, EMAIL_LAYOUT, LAYOUT, connect, invoiceId, sandboxClock, seed, tokenStoreFor } from './support';

const EN_LAYOUT = '22222222-0000-0000-0000-0000000000e1';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function documentSeed(): ExactSeed {
  const s = seed(4, [DIV, 202]);
  for (const d of s.divisions)
    d.layouts.push({ ID: EN_LAYOUT, Subject: 'Invoice EN', Type: 1, Language: 'EN' });
  return s;
}

const azurite = useAzurite();
let sb: ExactSandbox;
let tokens: TokenStore;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: documentSeed() });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  tokens = tokenStoreFor(sb, azurite.connectionString).store;
  await connect(sb, tokens, 'tenant-1');
});

function clients() {
  const governor = createRateGovernor({ clock: sandboxClock(sb), sleep: async (ms) => sb.clock.advance(ms) });
  const options = {
    baseUrl: sb.url,
    connectionId: 'tenant-1',
    tokens,
    governor,
    clock: sandboxClock(sb),
    sleep: async (ms: number) => sb.clock.advance(ms),
    timeoutMs: 2000,
  };
  return { exact: createExactGateway(options), documents: createExactDocuments(options) };
}

const documentOnly = (id: string, layout = LAYOUT): PrintRequest => ({
  invoiceId: id,
  channel: 'email',
  documentLayout: layout,
  emailLayout: EMAIL_LAYOUT,
  extraText: null,
  senderEmail: 'facturen@bakkerij.test',
  documentOnly: true,
});

describe('Exact documents: the PDF of a printed invoice', () => {
  test('when an invoice was printed document-only, then invoiceDocument returns the sandbox PDF byte for byte, its number and id, in two calls', async () => {
    const { exact, documents } = clients();
    const outcome = await exact.print(DIV, documentOnly(invoiceId(1)));
    expect(outcome).toEqual({ ok: true, documentId: expect.stringMatching(GUID) });
    const before = documents.stats().calls;

    const doc = await documents.invoiceDocument(DIV, invoiceId(1).toUpperCase());

    const number = sb.invoice(DIV, invoiceId(1))!.InvoiceNumber;
    const made = await sb.documentPdf(DIV, invoiceId(1));
    expect(made).not.toBeNull();
    expect(doc).toEqual({
      documentId: outcome.ok ? outcome.documentId : 'none',
      invoiceNumber: number,
      fileName: `Factuur ${number}.pdf`,
      mimeType: 'application/pdf',
      bytes: expect.any(Buffer),
    });
    expect(doc!.bytes.equals(made!)).toBe(true);
    expect(documents.stats().calls - before).toBe(2);
  });

  test('when a document-only print is made, then Exact gets every Send flag false, sends nothing and processes the invoice', async () => {
    const { exact } = clients();
    await exact.print(DIV, documentOnly(invoiceId(2)));
    const body = sb.requests().find((r) => r.path.endsWith('/PrintedSalesInvoices'))?.body;
    expect(body).toEqual({
      InvoiceID: invoiceId(2),
      DocumentLayout: LAYOUT,
      SendEmailToCustomer: false,
      SendInvoiceToCustomerPostbox: false,
      SendInvoiceViaPeppol: false,
      SendOutputBasedOnAccount: false,
    });
    expect(sb.prints()).toEqual([
      expect.objectContaining({ invoiceId: invoiceId(2), channel: 'paper', recipient: null, recipients: [] }),
    ]);
    expect(sb.invoice(DIV, invoiceId(2))).toMatchObject({ Status: 50, InvoiceNumber: expect.any(Number) });
  });

  test.each([
    ['Dutch', LAYOUT, 'Factuur', 'Factuurnummer:'],
    ['English', EN_LAYOUT, 'Invoice', 'Invoice number:'],
  ])(
    'when the layout is %s, then the fetched PDF parses and shows the invoice number as "%s <number>"',
    async (_language, layout, word, label) => {
      const { exact, documents } = clients();
      await exact.print(DIV, documentOnly(invoiceId(3), layout));
      const doc = await documents.invoiceDocument(DIV, invoiceId(3));
      const number = sb.invoice(DIV, invoiceId(3))!.InvoiceNumber;
      const pdf = await PDFDocument.load(doc!.bytes);
      expect(pdf.getPageCount()).toBe(1);
      expect(await pdfText(doc!.bytes)).toEqual(expect.arrayContaining([`${word} ${number}`, label]));
    },
  );

  test('when the print answer was lost after Exact did the work, then the document is still found by the invoice id', async () => {
    const { exact, documents } = clients();
    sb.injectFault({ method: 'POST', path: 'PrintedSalesInvoices', kind: 'lostAfterWork' });
    await expect(exact.print(DIV, documentOnly(invoiceId(2)))).rejects.toMatchObject({ answerLost: true });
    const doc = await documents.invoiceDocument(DIV, invoiceId(2));
    expect(doc?.documentId).toBe(sb.prints()[0]!.document);
    expect(doc!.bytes.equals((await sb.documentPdf(DIV, invoiceId(2)))!)).toBe(true);
  });

  test('when the invoice has not been printed, then invoiceDocument is null after one call', async () => {
    const { documents } = clients();
    await expect(documents.invoiceDocument(DIV, invoiceId(4))).resolves.toBeNull();
    expect(documents.stats().calls).toBe(1);
  });

  test('when the app registration lacks "Organization documents", then a permanent error names the scope', async () => {
    const { exact, documents } = clients();
    await exact.print(DIV, documentOnly(invoiceId(1)));
    sb.setScopes(sb.scopes().filter((s) => s !== 'Organization documents'));

    const err = await documents.invoiceDocument(DIV, invoiceId(1)).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ExactScopeMissingError);
    expect(err).toMatchObject({ transient: false, status: 403, scope: 'Organization documents' });
    expect((err as Error).message).toMatch(/app registration needs the "Organization documents" scope/);
    expect((err as Error).message).toMatch(/Application Scope Violated/);
    // A permanent 403 is not retried: one request reached Exact.
    expect(sb.requests().filter((r) => r.path.includes('/documents/'))).toHaveLength(1);
  });

  test('when the document lost its attachment in Exact, then a permanent not-found error says so', async () => {
    const { exact, documents } = clients();
    await exact.print(DIV, documentOnly(invoiceId(1)));
    sb.removeAttachment(DIV, invoiceId(1));
    const err = await documents.invoiceDocument(DIV, invoiceId(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactNotFoundError);
    expect(err).toMatchObject({
      transient: false,
      message: expect.stringContaining('has no attachment'),
    });
  });

  test('when the consent did not grant the division, then the read is refused before any request', async () => {
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    const t = await sb.authorize();
    const saved = { baseUrl: sb.url, accessToken: t.accessToken, refreshToken: t.refreshToken };
    await store.save('tenant-1', { ...saved, expiresInSec: 600, divisions: [DIV] });
    tokens = store;
    const { documents } = clients();
    const before = sb.requests().length;
    await expect(documents.invoiceDocument(202, invoiceId(1))).rejects.toBeInstanceOf(ExactAuthError);
    expect(sb.requests().length).toBe(before);
  });
});
