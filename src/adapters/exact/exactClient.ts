/**
 * The production ExactGateway: batch status confirmation, print-and-send with exactly one channel, and
 * the open-invoice listing through the bulk endpoint.
 *
 *   const exact = createExactGateway({ baseUrl, connectionId: 'tenant-1', tokens, governor });
 *   const states = await exact.confirmStatuses(123456, ['0b6c…', '9f1e…']); // ONE GET
 *   await exact.print(123456, { invoiceId, channel: 'email', documentLayout, emailLayout, … }); // { ok: true }
 */
import type { ExactGateway, ExactInvoiceState, PrintOutcome, PrintRequest } from '../../app/ports';
import type { Channel } from '../../domain/types';
import { ExactServerError, ExactTimeoutError, ExactValidationError } from './errors';
import { sameOrigin } from './oauth';
import { deliveryEvidence } from './evidence';
import { createRequestContext, type ExactConnectionOptions } from './context';
import { exactRequest, type ExactCallStats } from './request';
import {
  ExactPrintedSalesInvoiceEnvelopeSchema,
  ExactSalesInvoiceSchema,
  SALES_INVOICE_SELECT,
  envelopeSchema,
  type ExactPrintedSalesInvoice,
} from './schemas';
import { assertDivisionGranted } from './divisionGuard';

export interface ExactGatewayOptions extends ExactConnectionOptions {
  /** Ids per confirmation call; default 60 (Exact's page size, so one page answers it). */
  maxIdsPerConfirm?: number;
  /**
   * Longest URL sent; default 7500 characters: 60 ids need ~4,300. Exact's real limit is not documented;
   * lower it if a long filter is refused (IIS answers 404.15/414).
   */
  maxUrlLength?: number;
}

export interface ExactClient extends ExactGateway {
  stats(): ExactCallStats;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SELECT = SALES_INVOICE_SELECT.join(',');
const q = (v: string): string => encodeURIComponent(v);

/** The chosen channel's error field; paper has no channel, so the document itself is what can fail. */
export const CHANNEL_ERROR_FIELD: Record<Channel, keyof ExactPrintedSalesInvoice> = {
  email: 'EmailCreationError',
  postbox: 'PostboxMessageCreationError',
  peppol: 'PeppolCreationError',
  paper: 'DocumentCreationError',
};

/** Every send flag false: Exact makes the document and processes ("books") the invoice, sends nothing (decision 0111). */
const NO_SEND = {
  SendEmailToCustomer: false,
  SendInvoiceToCustomerPostbox: false,
  SendInvoiceViaPeppol: false,
  SendOutputBasedOnAccount: false,
} as const;

/**
 * Exactly one send flag (none for paper); never SendOutputBasedOnAccount (the connector decides). A
 * document-only print (the Dynamics 365 email route) says false to every flag.
 */
export function printBody(req: PrintRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { InvoiceID: req.invoiceId, DocumentLayout: req.documentLayout };
  if (req.extraText) body.ExtraText = req.extraText;
  if (req.documentOnly) return { ...body, ...NO_SEND };
  switch (req.channel) {
    case 'email':
      body.SendEmailToCustomer = true;
      if (req.emailLayout) body.EmailLayout = req.emailLayout;
      if (req.senderEmail) body.SenderEmailAddress = req.senderEmail;
      break;
    case 'postbox':
      body.SendInvoiceToCustomerPostbox = true;
      break;
    case 'peppol':
      body.SendInvoiceViaPeppol = true;
      break;
    case 'paper':
      break;
  }
  return body;
}

export function invoiceFilter(ids: string[]): string {
  return ids.map((id) => `InvoiceID eq guid'${id}'`).join(' or ');
}

/** Splits ids so each filtered URL (default: a confirmation's) stays under the length limit and within one page. */
export function chunkIds(
  ids: string[],
  maxIds: number,
  maxUrlLength: number,
  base: string,
  filter: (ids: string[]) => string = invoiceFilter,
): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const id of ids) {
    const next = [...current, id];
    if (current.length > 0 && (next.length > maxIds || (base + q(filter(next))).length > maxUrlLength)) {
      chunks.push(current);
      current = [id];
    } else current = next;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

export function createExactGateway(opts: ExactGatewayOptions): ExactClient {
  const ctx = createRequestContext(opts);
  const baseUrl = ctx.baseUrl;
  const maxIds = opts.maxIdsPerConfirm ?? 60;
  const maxUrl = opts.maxUrlLength ?? 7500;
  // 500-with-message answers per printed invoice: Exact reports validation as 500, but a 500 can also be
  // a real outage, so the first ones stay transient (bounded, in memory: a restart starts counting again).
  const print500s = new Map<string, number>();
  const pageSchema = envelopeSchema(ExactSalesInvoiceSchema);

  async function* pages(
    division: number,
    path: string,
    stopAfter?: number,
  ): AsyncGenerator<ExactInvoiceState> {
    let next: string | undefined = path;
    let seen = 0;
    while (next) {
      const answer = await exactRequest(ctx, { method: 'GET', division, path: next });
      const parsed = pageSchema.safeParse(answer.data);
      if (!parsed.success)
        throw new ExactServerError(`Exact answer on ${path.split('?')[0]} has an unexpected shape`, 502);
      for (const row of parsed.data.d.results) yield row;
      seen += parsed.data.d.results.length;
      const link = parsed.data.d.__next;
      // Every id already found: the next page can only be empty, and would cost a call.
      next =
        link && (stopAfter === undefined || seen < stopAfter) && sameOrigin(link, baseUrl) ? link : undefined;
    }
  }

  return {
    statusesPerCall: maxIds,
    async confirmStatuses(division, invoiceIds) {
      const ids = [...new Set(invoiceIds.map((id) => id.toLowerCase()))];
      const bad = ids.find((id) => !GUID.test(id));
      if (bad !== undefined)
        throw new ExactValidationError(`not an Exact invoice id: ${bad.slice(0, 40)}`, 400);
      const out = new Map<string, ExactInvoiceState>();
      const base = `${baseUrl}/api/v1/${division}/salesinvoice/SalesInvoices?$select=${q(SELECT)}&$filter=`;
      for (const chunk of chunkIds(ids, maxIds, maxUrl, base)) {
        const path = `salesinvoice/SalesInvoices?$select=${q(SELECT)}&$filter=${q(invoiceFilter(chunk))}`;
        for await (const row of pages(division, path, chunk.length)) out.set(row.invoiceId, row);
      }
      return out;
    },

    async print(division, req, guard): Promise<PrintOutcome> {
      await assertDivisionGranted(opts.tokens, opts.connectionId, division);
      const key = `${division}:${req.invoiceId.toLowerCase()}`;
      const prior500s = print500s.get(key) ?? 0;
      let answer;
      try {
        answer = await exactRequest(ctx, {
          method: 'POST',
          division,
          path: 'salesinvoice/PrintedSalesInvoices',
          body: printBody(req),
          prior500s,
          beforeSend: guard?.beforeSend,
        });
      } catch (err) {
        if (err instanceof ExactServerError && err.suspectedValidation) {
          print500s.delete(key);
          print500s.set(key, prior500s + 1);
          if (print500s.size > 1000) print500s.delete(print500s.keys().next().value!);
        } else print500s.delete(key);
        throw err;
      }
      print500s.delete(key);
      const parsed = ExactPrintedSalesInvoiceEnvelopeSchema.safeParse(answer.data);
      if (!parsed.success) {
        // Printed (2xx) but unreadable: whether the channel failed is unknown, so let the caller confirm.
        throw new ExactTimeoutError(
          `Exact printed invoice ${req.invoiceId} but its answer was unreadable`,
          true,
        );
      }
      const field = req.documentOnly ? 'DocumentCreationError' : CHANNEL_ERROR_FIELD[req.channel];
      const channelError = parsed.data[field];
      if (typeof channelError === 'string' && channelError.trim() !== '') {
        const documentOnly = req.documentOnly === true;
        ctx.log('info', 'exact channel error', {
          division,
          invoiceId: req.invoiceId,
          channel: req.channel,
          documentOnly,
        });
        return { ok: false, channelError };
      }
      const documentId = parsed.data.Document;
      return documentId && GUID.test(documentId)
        ? { ok: true, documentId: documentId.toLowerCase() }
        : { ok: true };
    },

    deliveryEvidence: (division, query) => deliveryEvidence(ctx, division, query),

    listOpenInvoices(division, processedSince) {
      // Exact's DateTime literal, without zone or fraction.
      const filter = processedSince
        ? `Status eq 20 or (Status eq 50 and Modified ge datetime'${processedSince.toISOString().slice(0, 19)}')`
        : 'Status eq 20';
      return pages(division, `bulk/SalesInvoice/SalesInvoices?$select=${q(SELECT)}&$filter=${q(filter)}`);
    },

    stats: () => ({ ...ctx.stats, byStatus: { ...ctx.stats.byStatus } }),
  };
}
