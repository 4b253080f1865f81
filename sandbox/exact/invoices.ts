/**
 * POST salesinvoice/SalesInvoices: creates an open (20) concept invoice without a number.
 * Exact answers validation failures with 500 and texts like "Ongeldig: Factuur voor (Type)" (PQ#172);
 * the sandbox uses the English form of those texts.
 * CHOICE (undocumented, decision 0070): InvoiceTo defaults to OrderedBy's InvoiceAccount, else OrderedBy;
 * InvoiceToContactPerson to the InvoiceTo account's MainContact.
 */
import { randomUUID } from 'node:crypto';
import { HttpError, type Reply, json, parseJsonBody } from './http';
import { invoiceSet } from './entities';
import { toWire } from './odata';
import { guid } from './store';
import type { Division } from './store';
import type { SandboxInvoice } from './types';
import type { ApiContext } from './context';

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function accountRef(div: Division, value: unknown, label: string): string {
  const id = str(value);
  if (!id) throw new HttpError(500, `Mandatory: ${label}`);
  const account = div.accounts.get(guid(id));
  if (!account) throw new HttpError(500, `Invalid: ${label}`);
  if (account.Status !== 'C') throw new HttpError(500, `Invalid: ${label} (Type)`);
  return account.ID;
}

/**
 * [choice, decision 0070] Omitted: the InvoiceTo account's MainContact (which may be none); null: none; a
 * GUID must be a contact of the InvoiceTo account (Exact's own check is undocumented; 500 like its others).
 */
function contactRef(div: Division, value: unknown, invoiceTo: string): string | null {
  if (value === undefined) return div.accounts.get(invoiceTo)?.MainContact ?? null;
  if (value === null) return null;
  const id = str(value);
  const contact = id ? div.contacts.get(guid(id)) : undefined;
  if (!contact || contact.Account !== invoiceTo)
    throw new HttpError(500, 'Invalid: Invoice to contact person');
  return contact.ID;
}

function lineAmount(line: unknown): number {
  if (!line || typeof line !== 'object') throw new HttpError(500, 'Invalid: Sales invoice lines');
  const l = line as Record<string, unknown>;
  if (typeof l.AmountFC === 'number') return l.AmountFC;
  const qty = typeof l.Quantity === 'number' ? l.Quantity : 1;
  return typeof l.UnitPrice === 'number' ? qty * l.UnitPrice : 0;
}

export function createInvoice(ctx: ApiContext, div: Division): Reply {
  const body = parseJsonBody(ctx.rawBody);
  const orderedBy = accountRef(div, body.OrderedBy, 'Ordered by');
  // [choice, decision 0070] No InvoiceTo: the OrderedBy account's InvoiceAccount ("ID of account to be
  // invoiced instead of this account"), else OrderedBy itself.
  const invoiceTo =
    body.InvoiceTo === undefined
      ? accountRef(div, div.accounts.get(orderedBy)?.InvoiceAccount ?? orderedBy, 'Invoice to')
      : accountRef(div, body.InvoiceTo, 'Invoice to');
  const contactPerson = contactRef(div, body.InvoiceToContactPerson, invoiceTo);
  const journal = str(body.Journal);
  if (!journal) throw new HttpError(500, 'Mandatory: Journal');
  const lines = body.SalesInvoiceLines;
  if (!Array.isArray(lines) || lines.length === 0) throw new HttpError(500, 'Mandatory: Sales invoice lines');
  const now = ctx.now();
  const date = str(body.InvoiceDate)?.slice(0, 10) ?? new Date(now).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new HttpError(500, 'Invalid: Invoice date');
  const invoice: SandboxInvoice = {
    InvoiceID: randomUUID(),
    Division: div.division,
    InvoiceTo: invoiceTo,
    OrderedBy: orderedBy,
    InvoiceToContactPerson: contactPerson,
    InvoiceDate: date,
    Status: 20,
    InvoiceNumber: null,
    Type: typeof body.Type === 'number' ? body.Type : 8020,
    Description: str(body.Description),
    OrderNumber: typeof body.OrderNumber === 'number' ? body.OrderNumber : null,
    AmountDC: lines.reduce((sum: number, l: unknown) => sum + lineAmount(l), 0),
    Journal: journal,
    Lines: lines,
    Created: now,
    Modified: now,
  };
  div.invoices.set(invoice.InvoiceID, invoice);
  ctx.store.onInvoiceChange(div.division, invoice.InvoiceID, 'Create');
  return json(201, { d: toWire(invoiceSet(ctx.base, div, false), invoice, null) });
}
