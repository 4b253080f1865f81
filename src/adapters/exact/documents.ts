/**
 * The production ExactDocuments (src/app/mail/ports.ts; decision 0110): the PDF Exact made when it printed an
 * invoice. ONE `documents/Documents` read by `FinancialTransactionEntryID` = the invoice id (so a lost print
 * answer does not lose the document; round2-facts §4.5), ONE `documents/DocumentAttachments` read of its
 * Base64 `Attachment`. Both go through exactRequest (governor, token, error mapping, GET retries), every
 * answer through a zod schema. Both need the app scope "Organization documents"; without it Exact answers
 * 403 "Application Scope Violated" and this adapter throws ExactScopeMissingError (permanent).
 *
 *   const docs = createExactDocuments({ baseUrl, connectionId: 'tenant-1', tokens, governor });
 *   const pdf = await docs.invoiceDocument(123456, invoiceId); // { documentId, invoiceNumber, bytes, … } | null
 */
import type { ExactDocuments, InvoiceDocument } from '../../app/mail/ports';
import { createRequestContext, type ExactConnectionOptions } from './context';
import { assertDivisionGranted } from './divisionGuard';
import { ExactAuthError, ExactNotFoundError, ExactServerError, ExactValidationError } from './errors';
import {
  ATTACHMENT_SELECT,
  AttachmentRowSchema,
  DOCUMENT_SELECT,
  DocumentRowSchema,
  type AttachmentRow,
  type DocumentRow,
} from './documentSchemas';
import type { ExactCallStats, RequestContext } from './request';
import { readRows } from './rows';

/** The app scope `documents/*` needs (PS env table; round2-facts §4.5). */
export const DOCUMENTS_SCOPE = 'Organization documents';

/**
 * Exact refused an endpoint the app registration holds no scope for (403 "Application Scope Violated";
 * picqer/exact-php-client#509, #659). Permanent: only the app's owner can add the scope in Exact's App Center.
 */
export class ExactScopeMissingError extends ExactAuthError {
  constructor(
    readonly scope: string,
    exactText: string,
  ) {
    super(
      `Exact Online refused to hand out the invoice's document: the app registration needs the "${scope}" scope (add it to the app in Exact's App Center; a new consent may be needed). ${exactText}`,
      403,
      false,
    );
  }
}

export interface ExactDocumentsClient extends ExactDocuments {
  stats(): ExactCallStats;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const q = encodeURIComponent;
const SCOPE_VIOLATED = /application scope violated/i;

export function createExactDocuments(opts: ExactConnectionOptions): ExactDocumentsClient {
  const ctx = createRequestContext(opts);
  return {
    async invoiceDocument(division, invoiceId) {
      const id = invoiceId.toLowerCase();
      if (!GUID.test(id)) throw new ExactValidationError(`not an Exact invoice id: ${id.slice(0, 40)}`, 400);
      await assertDivisionGranted(opts.tokens, opts.connectionId, division);
      const document = await scoped(() => newestDocument(ctx, division, id));
      if (!document) return null;
      const attachments = await scoped(() => attachmentsOf(ctx, division, document.ID));
      return toInvoiceDocument(id, document, attachments);
    },
    stats: () => ({ ...ctx.stats, byStatus: { ...ctx.stats.byStatus } }),
  };
}

/** Exact's scope refusal becomes the error that names the missing scope; anything else passes unchanged. */
async function scoped<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ExactAuthError && err.status === 403 && SCOPE_VIOLATED.test(err.message))
      throw new ExactScopeMissingError(DOCUMENTS_SCOPE, err.message);
    throw err;
  }
}

/** The invoice's document; the newest when Exact links several to the entry (a re-made document). */
async function newestDocument(
  ctx: RequestContext,
  division: number,
  invoiceId: string,
): Promise<DocumentRow | null> {
  const filter = `FinancialTransactionEntryID eq guid'${invoiceId}'`;
  const path = `documents/Documents?$select=${q(DOCUMENT_SELECT)}&$filter=${q(filter)}`;
  let newest: DocumentRow | null = null;
  for await (const row of readRows(ctx, division, path, DocumentRowSchema))
    if (!newest || (row.Created ?? 0) >= (newest.Created ?? 0)) newest = row;
  return newest;
}

async function attachmentsOf(ctx: RequestContext, division: number, documentId: string) {
  const filter = `Document eq guid'${documentId}'`;
  const path = `documents/DocumentAttachments?$select=${q(ATTACHMENT_SELECT)}&$filter=${q(filter)}`;
  const rows: AttachmentRow[] = [];
  for await (const row of readRows(ctx, division, path, AttachmentRowSchema)) rows.push(row);
  return rows;
}

const isPdf = (bytes: Buffer): boolean => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/** The PDF among the document's attachments: by its content, else by its name. */
function toInvoiceDocument(
  invoiceId: string,
  document: DocumentRow,
  attachments: AttachmentRow[],
): InvoiceDocument {
  const files = attachments
    .filter((a) => a.bytes.length > 0)
    .map((a) => ({ ...a, pdf: isPdf(a.bytes) || /\.pdf$/i.test(a.FileName ?? '') }));
  const file = files.find((f) => f.pdf) ?? files[0];
  if (!file)
    throw new ExactNotFoundError(
      `Exact's document ${document.ID} for invoice ${invoiceId} has no attachment (it may have been deleted in Exact)`,
    );
  if (typeof file.FileSize === 'number' && file.FileSize !== file.bytes.length)
    throw new ExactServerError(
      `Exact's attachment ${file.ID} arrived with ${file.bytes.length} of ${file.FileSize} bytes`,
      502,
    );
  return {
    documentId: document.ID,
    invoiceNumber: document.SalesInvoiceNumber ?? null,
    fileName: file.FileName?.trim() || `${document.SalesInvoiceNumber ?? document.ID}.pdf`,
    mimeType: file.pdf ? 'application/pdf' : 'application/octet-stream',
    bytes: file.bytes,
  };
}
