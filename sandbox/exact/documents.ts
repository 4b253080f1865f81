/**
 * The document a print makes (round2-facts §4.5; PQ `Document.php`, `DocumentAttachment.php`; PS
 * `Entity/Documents/*.php`): `documents/Documents`, its `FinancialTransactionEntryID` the invoice's id, and
 * `documents/DocumentAttachments` with the PDF as Base64 `Attachment` ("Contains the attachment (Format:
 * Base64 encoded)"). Both need the app scope "Organization documents" (PS env table); without it Exact answers
 * 403 "Forbidden - Application Scope Violated" (picqer/exact-php-client#509, #453, #659).
 * Choices: `Type` 10 (the value picqer#178 writes for a document linked to a sales entry), the `Subject` and
 * file name ("Factuur 25000001"), the language (the layout's, else the account's, else Dutch), and the
 * attachment's `Url`, which the sandbox does not serve.
 */
import { createHash } from 'node:crypto';
import { HttpError } from './http';
import { nullable } from './filterTypes';
import { dateOnlyMs, page, type EntitySet, type Query } from './odata';
import { renderInvoicePdf, documentTitle, type PdfLanguage, type PdfLine } from './pdf';
import type { Division, Store } from './store';
import type { SandboxDocument, SandboxInvoice } from './types';

export const DOCUMENTS_SCOPE = 'Organization documents';
const CREDIT_NOTE_TYPES = new Set([8021, 8024]);

/** Exact's refusal of an endpoint outside the app's scopes [choice: "Cannot write" for writes]. */
export function requireScope(scopes: ReadonlySet<string>, scope: string, method: string): void {
  if (!scopes.has(scope))
    throw new HttpError(
      403,
      `Forbidden - Application Scope Violated. ${method === 'GET' ? 'Cannot read' : 'Cannot write'}`,
    );
}

const stableId = (seed: string): string => {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function languageOf(...codes: (string | null | undefined)[]): PdfLanguage {
  const code = codes.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return code === undefined || /^nl/i.test(code.trim()) ? 'NL' : 'EN';
}

function linesOf(invoice: SandboxInvoice, language: PdfLanguage): PdfLine[] {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const lines = invoice.Lines.map((raw) => {
    const l = (raw ?? {}) as Record<string, unknown>;
    const quantity = num(l.Quantity) ?? 1;
    const unitPrice = num(l.UnitPrice);
    return {
      description: typeof l.Description === 'string' ? l.Description : '',
      quantity,
      unitPrice,
      amount: num(l.AmountFC) ?? quantity * (unitPrice ?? 0),
    };
  });
  if (lines.length) return lines;
  const description = invoice.Description ?? (language === 'NL' ? 'Factuur' : 'Invoice');
  return [{ description, quantity: 1, unitPrice: invoice.AmountDC, amount: invoice.AmountDC }];
}

/** Called by the print (after the invoice got its number): one document per print, its PDF drawn on demand. */
export function recordDocument(
  store: Store,
  div: Division,
  invoice: SandboxInvoice,
  print: { document: string; documentLayout: string | null; extraText: string | null; at: number },
): void {
  const layouts = [...div.layouts.values()];
  const layout = print.documentLayout
    ? div.layouts.get(print.documentLayout)
    : layouts.find((l) => l.Type === 1);
  const account = div.accounts.get(invoice.InvoiceTo);
  const language = languageOf(layout?.Language, account?.Language);
  const creditNote = CREDIT_NOTE_TYPES.has(invoice.Type);
  const number = invoice.InvoiceNumber ?? 0;
  const subject = documentTitle(language, creditNote, number);
  store.documents.set(print.document, {
    ID: print.document,
    Division: div.division,
    InvoiceID: invoice.InvoiceID,
    Account: invoice.InvoiceTo,
    AccountName: account?.Name ?? null,
    InvoiceNumber: number,
    InvoiceDate: invoice.InvoiceDate,
    Subject: subject,
    Language: language,
    Created: print.at,
    attachment: { ID: stableId(`attachment:${print.document}`), FileName: `${subject}.pdf` },
    pdf: {
      invoiceNumber: number,
      invoiceDate: invoice.InvoiceDate,
      customer: account?.Name ?? '',
      creditNote,
      lines: linesOf(invoice, language),
      total: invoice.AmountDC,
      currency: 'EUR',
      layoutName: layout?.Subject ?? 'Standard',
      language,
      extraText: print.extraText,
    },
  });
}

/** The PDF of a document, drawn once and kept. */
export function pdfOf(doc: SandboxDocument): Promise<Buffer> {
  doc.rendered ??= renderInvoicePdf(doc.pdf);
  return doc.rendered;
}

const docsOf = (store: Store, div: Division): SandboxDocument[] =>
  [...store.documents.values()].filter((d) => d.Division === div.division);

export function documentSet(base: string, div: Division): EntitySet<SandboxDocument> {
  const sample = { ID: '', InvoiceNumber: 0, InvoiceDate: '2000-01-01', Created: 0 } as SandboxDocument;
  return {
    type: 'Exact.Web.Api.Models.Documents.Document',
    key: 'ID',
    uri: (k) => `${base}/api/v1/${div.division}/documents/Documents(guid'${k}')`,
    sample,
    dateFields: ['Created', 'DocumentDate', 'Modified'],
    types: {
      Account: nullable('System.Guid'),
      FinancialTransactionEntryID: nullable('System.Guid'),
      SalesInvoiceNumber: nullable('System.Int32'),
    },
    keyOf: (d) => d.ID,
    fields: (d) => ({
      ID: d.ID,
      Account: d.Account,
      AccountName: d.AccountName,
      Created: d.Created,
      Division: d.Division,
      DocumentDate: dateOnlyMs(d.InvoiceDate),
      DocumentViewUrl: `${base}/docs/DocView.aspx?DocumentID=${d.ID}&_Division_=${d.Division}`,
      FinancialTransactionEntryID: d.InvoiceID,
      Language: d.Language,
      Modified: d.Created,
      SalesInvoiceNumber: d.InvoiceNumber,
      Subject: d.Subject,
      Type: 10,
      TypeDescription: 'Sales invoice',
    }),
  };
}

interface AttachmentRow {
  doc: SandboxDocument;
  bytes: Buffer | null;
}

export function attachmentSet(base: string, div: Division): EntitySet<AttachmentRow> {
  const sample = { doc: { attachment: { ID: '', FileName: '' } }, bytes: null } as unknown as AttachmentRow;
  return {
    type: 'Exact.Web.Api.Models.Documents.DocumentAttachment',
    key: 'ID',
    uri: (k) => `${base}/api/v1/${div.division}/documents/DocumentAttachments(guid'${k}')`,
    sample,
    types: { Document: nullable('System.Guid'), FileSize: nullable('System.Double') },
    keyOf: (r) => r.doc.attachment?.ID ?? '',
    fields: ({ doc, bytes }) => ({
      ID: doc.attachment?.ID ?? '',
      Attachment: bytes ? bytes.toString('base64') : '',
      Document: doc.ID ?? null,
      FileName: doc.attachment?.FileName ?? '',
      FileSize: bytes ? bytes.length : 0,
      Url: `${base}/docs/SysAttachment.aspx?ID=${doc.attachment?.ID ?? ''}&_Division_=${div.division}`,
    }),
  };
}

/** `documents/Documents` and `documents/DocumentAttachments` (GET only here), after the scope check. */
export async function documentsResource(
  store: Store,
  scopes: ReadonlySet<string>,
  req: { base: string; method: string; key: string | undefined; q: Query; next: Parameters<typeof page>[4] },
  div: Division,
  collection: 'documents/documents' | 'documents/documentattachments',
  pageSize: number,
): Promise<unknown> {
  requireScope(scopes, DOCUMENTS_SCOPE, req.method);
  if (req.method !== 'GET') throw new HttpError(405, 'Method not allowed');
  // A key (`Documents(guid'…')`) is read as the filter on it; the answer is the entity itself (OData v2).
  const q = req.key === undefined ? req.q : { select: req.q.select, filter: `ID eq guid'${req.key}'` };
  const one = (answer: unknown): unknown => {
    if (req.key === undefined) return answer;
    const found = (answer as { d: { results: unknown[] } }).d.results[0];
    if (found === undefined) throw new HttpError(404, 'Not found');
    return { d: found };
  };
  if (collection === 'documents/documents')
    return one(page(documentSet(req.base, div), docsOf(store, div), q, pageSize, req.next));
  const set = attachmentSet(req.base, div);
  const rows = docsOf(store, div)
    .filter((d) => d.attachment !== null)
    .map((doc) => ({ doc, bytes: null as Buffer | null }));
  // The filter is evaluated without the PDF first, so only the documents asked for are drawn.
  const wanted = page(set, rows, { filter: q.filter, select: 'ID' }, Infinity, req.next) as {
    d: { results: { ID: string }[] };
  };
  const ids = new Set(wanted.d.results.map((r) => r.ID));
  for (const r of rows) if (ids.has(r.doc.attachment!.ID)) r.bytes = await pdfOf(r.doc);
  return one(page(set, rows, q, pageSize, req.next));
}

/** The PDF bytes of the document a print made for the invoice (null: not printed, or its PDF removed). */
export async function documentPdf(store: Store, division: number, invoiceId: string): Promise<Buffer | null> {
  const id = invoiceId.trim().toLowerCase();
  const doc = [...store.documents.values()].find((d) => d.Division === division && d.InvoiceID === id);
  return doc?.attachment ? pdfOf(doc) : null;
}

/** A document whose attachment was deleted in Exact (`DELETE DocumentAttachments`): the document stays. */
export function removeAttachment(store: Store, division: number, invoiceId: string): void {
  const id = invoiceId.trim().toLowerCase();
  for (const d of store.documents.values())
    if (d.Division === division && d.InvoiceID === id) d.attachment = null;
}
