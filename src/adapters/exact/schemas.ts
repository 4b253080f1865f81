/**
 * Wire schemas of the Exact Online answers this adapter reads. Every byte from Exact passes one of these.
 * Unknown fields are ignored (Exact adds fields over time); missing required ones fail loudly.
 */
import { z } from 'zod';
import type { ExactInvoiceState } from '../../app/ports';

/** `expires_in` comes as a string ("600"); numbers are accepted too. */
export const ExactTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z
    .union([z.string(), z.number()])
    .transform((v) => Number(v))
    .pipe(z.number().int().positive()),
});
export type ExactTokenResponse = z.infer<typeof ExactTokenResponseSchema>;

/** `/Date(1700000000000)/` → epoch ms. Also accepts ISO strings (bulk endpoints have been seen returning them). */
export const ExactDateSchema = z.string().transform((v, ctx) => {
  const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(v);
  const ms = m ? Number(m[1]) : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `not an Exact date: ${v}` });
    return z.NEVER;
  }
  return ms;
});

export function dateOnlyUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `{d:{results:[…], __next?}}`; with `$top` `d` can be a bare array. */
export function envelopeSchema<T extends z.ZodType>(row: T) {
  return z.object({
    d: z.union([
      z.object({ results: z.array(row), __next: z.string().optional() }),
      z.array(row).transform((results) => ({ results, __next: undefined as string | undefined })),
    ]),
  });
}

export const ExactMeSchema = z.object({
  CurrentDivision: z.number().int(),
  UserID: z.string().optional(),
  UserName: z.string().nullish(),
  FullName: z.string().nullish(),
  Email: z.string().nullish(),
});
export type ExactMe = z.infer<typeof ExactMeSchema>;

export const ExactDivisionSchema = z.object({
  Code: z.number().int(),
  Description: z.string().nullish(),
  HID: z.union([z.string(), z.number()]).nullish(),
});
export type ExactDivision = z.infer<typeof ExactDivisionSchema>;

export const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

export const SALES_INVOICE_SELECT = [
  'InvoiceID',
  'Status',
  'InvoiceNumber',
  'InvoiceDate',
  'InvoiceTo',
  'InvoiceToContactPerson',
  'InvoiceToName',
  'Type',
  'Description',
  'OrderNumber',
] as const;

export const ExactSalesInvoiceSchema = z
  .object({
    InvoiceID: guid,
    Status: z.union([z.literal(10), z.literal(20), z.literal(50)]),
    InvoiceNumber: z.number().int().nullish(),
    InvoiceDate: ExactDateSchema,
    InvoiceTo: guid,
    /** The contact Exact mails the invoice to (decision 0070); read in the same call, no extra one. */
    InvoiceToContactPerson: guid.nullish(),
    InvoiceToName: z.string().nullish(),
    Type: z.number().int(),
    Description: z.string().nullish(),
    OrderNumber: z.number().int().nullish(),
  })
  .transform((r): ExactInvoiceState => ({
    invoiceId: r.InvoiceID.toLowerCase(),
    status: r.Status,
    invoiceNumber: r.InvoiceNumber ?? null,
    invoiceDate: dateOnlyUtc(r.InvoiceDate),
    invoiceTo: r.InvoiceTo.toLowerCase(),
    invoiceToName: r.InvoiceToName ?? null,
    invoiceToContactPerson: r.InvoiceToContactPerson?.toLowerCase() ?? null,
    type: r.Type,
    description: r.Description ?? null,
    orderNumber: r.OrderNumber ?? null,
    origin: originOf(r.Description),
    creditNote: CREDIT_NOTE_TYPES.has(r.Type),
  }));

/**
 * Exact's SalesInvoices carry no field naming their origin: an invoice whose description is Exact's
 * subscription text ("Abonnement…", "Subscription…") was made by a subscription, anything else by hand.
 * See docs/decisions/0010-source-of-swept-invoices.md.
 */
/** `SalesInvoices.Type`: 8021 sales credit note, 8024 direct credit note (round2-facts §4.6). */
const CREDIT_NOTE_TYPES: ReadonlySet<number> = new Set([8021, 8024]);

function originOf(description: string | null | undefined): 'recurring' | 'manual' {
  const d = (description ?? '').trim().toLowerCase();
  return d.startsWith('abonnement') || d.startsWith('subscription') ? 'recurring' : 'manual';
}

const creationError = z.string().nullish();

/** The answer to `POST salesinvoice/PrintedSalesInvoices` (`Prefer: return=representation`). */
export const ExactPrintedSalesInvoiceSchema = z.object({
  InvoiceID: z.string().optional(),
  /** "id of the document that was created" (round2-facts §4.1); not checked here, a bad one is ignored. */
  Document: z.string().nullish(),
  DocumentCreationError: creationError,
  EmailCreationError: creationError,
  PostboxMessageCreationError: creationError,
  PeppolCreationError: creationError,
  DocumentCreationSuccess: z.unknown().optional(),
  EmailCreationSuccess: z.unknown().optional(),
  PostboxMessageCreationSuccess: z.unknown().optional(),
  PeppolCreationSuccess: z.unknown().optional(),
});
export type ExactPrintedSalesInvoice = z.infer<typeof ExactPrintedSalesInvoiceSchema>;

/** A single-entity answer is `{d:{…}}`; some stacks wrap it as `{d:{results:[…]}}`. */
export const ExactPrintedSalesInvoiceEnvelopeSchema = z
  .object({
    d: z.union([
      z.object({ results: z.array(ExactPrintedSalesInvoiceSchema).min(1) }),
      ExactPrintedSalesInvoiceSchema,
    ]),
  })
  .transform((e) => ('results' in e.d ? e.d.results[0]! : e.d));
