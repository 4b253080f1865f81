/**
 * `SalesInvoiceLines`: the navigation of a SalesInvoice (OData v2: `{"__deferred":{"uri":…}}` unless
 * `$expand=SalesInvoiceLines`, then `{"results":[…]}`), `SalesInvoices(guid'…')/SalesInvoiceLines`, and
 * the `salesinvoice/SalesInvoiceLines` collection (PS `SalesInvoice/SalesInvoiceLines.php`).
 */
import { createHash } from 'node:crypto';
import { HttpError } from './http';
import { toWire, type EntitySet } from './odata';
import { nullable } from './filterTypes';
import { SAMPLE_INVOICE } from './entities';
import type { Division } from './store';
import type { SandboxInvoice } from './types';

export interface WireLine {
  invoice: SandboxInvoice;
  index: number;
}

/** A line's id is derived from its invoice and position, so it is stable without being stored. */
const lineId = (invoiceId: string, index: number): string => {
  const h = createHash('sha1').update(`${invoiceId}:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const SAMPLE: WireLine = { invoice: { ...SAMPLE_INVOICE, Lines: [{}] }, index: 0 };

export function lineSet(base: string, div: Division): EntitySet<WireLine> {
  return {
    type: 'Exact.Web.Api.Models.SalesInvoiceLine',
    key: 'ID',
    uri: (k) => `${base}/api/v1/${div.division}/salesinvoice/SalesInvoiceLines(guid'${k}')`,
    sample: SAMPLE,
    types: {
      InvoiceID: nullable('System.Guid'),
      Item: nullable('System.Guid'),
      Quantity: nullable('System.Double'),
      UnitPrice: nullable('System.Double'),
      AmountFC: nullable('System.Double'),
    },
    fields: ({ invoice, index }) => {
      const l = (invoice.Lines[index] ?? {}) as Record<string, unknown>;
      const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
      const quantity = num(l.Quantity) ?? 1;
      return {
        ID: lineId(invoice.InvoiceID, index),
        AmountFC: num(l.AmountFC) ?? quantity * (num(l.UnitPrice) ?? 0),
        Description: typeof l.Description === 'string' ? l.Description : null,
        Division: div.division,
        InvoiceID: invoice.InvoiceID,
        Item: typeof l.Item === 'string' ? l.Item.toLowerCase() : null,
        LineNumber: index + 1,
        Quantity: quantity,
        UnitPrice: num(l.UnitPrice),
        VATCode: typeof l.VATCode === 'string' ? l.VATCode : null,
      };
    },
  };
}

export const linesOf = (invoice: SandboxInvoice): WireLine[] =>
  invoice.Lines.map((_, index) => ({ invoice, index }));

/** Adds the navigation to an invoice's wire form: deferred, or expanded with `$expand=SalesInvoiceLines`. */
export function withLines(base: string, div: Division, expand: string | undefined, typeName: string) {
  const items = (expand ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of items)
    if (i !== 'SalesInvoiceLines')
      throw new HttpError(400, `No property '${i}' exists in type '${typeName}'`);
  const set = lineSet(base, div);
  return (invoice: SandboxInvoice, wire: Record<string, unknown>): void => {
    const uri = `${base}/api/v1/${div.division}/salesinvoice/SalesInvoices(guid'${invoice.InvoiceID}')/SalesInvoiceLines`;
    wire.SalesInvoiceLines = items.length
      ? { results: linesOf(invoice).map((l) => toWire(set, l, null)) }
      : { __deferred: { uri } };
  };
}
