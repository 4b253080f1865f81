/**
 * POST salesinvoice/PrintedSalesInvoices (reference §8). Only an open (20) invoice is printed; the print
 * creates the document, processes the invoice (→ 50, number assigned) and then tries the chosen channel.
 * A channel failure is reported in its …CreationError inside the 201 while the invoice stays processed:
 * Exact says the print creates "the financial transaction" and CE observed per-channel errors in a 2xx.
 * CHOICE (undocumented, decision 0070): an e-mail goes to the invoice's contact person's Email, else the
 * InvoiceTo account's (recipients.ts); every print records its recipients and the rule step that chose them.
 */
import { randomUUID } from 'node:crypto';
import { HttpError, type Reply, dateOnlyMs, json, parseJsonBody, wireDate } from './http';
import { guid } from './store';
import type { Division } from './store';
import type { PrintChannel, RecipientRule, SandboxInvoice } from './types';
import type { ApiContext } from './context';
import { peppolParticipant, resolveEmailRecipient } from './recipients';
import { recordDocument } from './documents';

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

type Account = Division['accounts'] extends Map<string, infer A> ? A : never;

/** `SendOutputBasedOnAccount` overrules the other flags; e-mail overrules postbox (Exact's field texts). */
function chooseChannel(body: Record<string, unknown>, account: Account): PrintChannel {
  if (body.SendOutputBasedOnAccount === true) {
    const byMethod: Record<number, PrintChannel> = {
      1: 'paper',
      2: 'email',
      4: 'postbox',
      8: 'email',
      32: 'peppol',
    };
    return byMethod[account.InvoicingMethod ?? 1] ?? 'paper';
  }
  if (body.SendEmailToCustomer === true) return 'email';
  if (body.SendInvoiceToCustomerPostbox === true) return 'postbox';
  if (body.SendInvoiceViaPeppol === true) return 'peppol';
  return 'paper';
}

interface Attempt {
  /** The legacy single value: the address tried, Peppol id or postbox name (null when none). */
  recipient: string | null;
  /** Where it went; empty when the channel failed. */
  recipients: string[];
  rule: RecipientRule | null;
  contact: string | null;
  error: string | null;
}

/** The channel's precondition and recipient, from the invoice's InvoiceTo account and the division's features. */
function attempt(channel: PrintChannel, invoice: SandboxInvoice, account: Account, div: Division): Attempt {
  const name = account.Name;
  const none = { recipients: [], rule: 'account' as const, contact: null };
  const to = (recipient: string) => ({ recipient, recipients: [recipient], rule: 'account' as const });
  if (channel === 'email') {
    const contactId = invoice.InvoiceToContactPerson;
    const contact = contactId ? (div.contacts.get(contactId) ?? null) : null;
    const r = resolveEmailRecipient({ account, contactPerson: contact });
    if (r.ok) return { recipient: r.recipients[0], ...r, error: null };
    return { recipient: r.value, recipients: [], rule: r.rule, contact: r.contact, error: r.error };
  }
  if (channel === 'postbox') {
    if (!div.mailbox)
      return { recipient: null, ...none, error: 'The Mailbox feature is not part of your licence.' };
    if (!account.Postbox)
      return { recipient: null, ...none, error: `Account '${name}' has no digital postbox.` };
    return { ...to(name), contact: null, error: null };
  }
  if (channel === 'peppol') {
    if (!div.peppol)
      return { recipient: null, ...none, error: 'Peppol is not activated for this administration.' };
    const id = peppolParticipant(account.PeppolIdentifier, account.PeppolIdentifierType);
    if (!id) return { recipient: null, ...none, error: `No Peppol identifier for account '${name}'.` };
    return { ...to(id), contact: null, error: null };
  }
  return { recipient: null, recipients: [], rule: null, contact: null, error: null };
}

function layout(div: Division, value: unknown, type: 1 | 2, label: string): string | null {
  const id = str(value);
  if (id === null) return null;
  if (div.layouts.get(guid(id))?.Type !== type) throw new HttpError(400, `Invalid: ${label}`);
  return guid(id);
}

const SUCCESS: Record<PrintChannel, string> = {
  email: 'Email created.',
  postbox: 'Postbox message created.',
  peppol: 'Peppol message created.',
  paper: '',
};

export function print(ctx: ApiContext, div: Division): Reply {
  const body = parseJsonBody(ctx.rawBody);
  const id = str(body.InvoiceID);
  if (!id) throw new HttpError(400, 'Mandatory: InvoiceID');
  const invoice = div.invoices.get(guid(id));
  if (!invoice) throw new HttpError(400, `Sales invoice not found: ${id}`);
  // Exact leaves the refusal of a processed invoice undocumented (reference §8); 400 is the sandbox's choice.
  if (invoice.Status === 50) throw new HttpError(400, 'The sales invoice has already been processed.');
  if (invoice.Status === 10) throw new HttpError(400, 'The sales invoice is a draft and cannot be printed.');
  const documentLayout = layout(div, body.DocumentLayout, 1, 'Document layout');
  const emailLayout = layout(div, body.EmailLayout, 2, 'Email layout');
  const account = div.accounts.get(invoice.InvoiceTo);
  if (!account) throw new HttpError(500, 'Invalid: Invoice to');

  const channel = chooseChannel(body, account);
  const { recipient, recipients, rule, contact, error } = attempt(channel, invoice, account, div);
  const now = ctx.now();
  const date = str(body.InvoiceDate)?.slice(0, 10);
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) invoice.InvoiceDate = date;
  invoice.Status = 50;
  invoice.InvoiceNumber ??= ctx.store.nextInvoiceNumber(div);
  invoice.Modified = now;
  ctx.store.onInvoiceChange(div.division, invoice.InvoiceID, 'Update');
  const document = randomUUID();
  const extraText = str(body.ExtraText);
  const senderEmail = str(body.SenderEmailAddress);
  recordDocument(ctx.store, div, invoice, { document, documentLayout, extraText, at: now });
  ctx.store.outbox.push({
    division: div.division,
    invoiceId: invoice.InvoiceID,
    invoiceNumber: invoice.InvoiceNumber,
    channel,
    recipient,
    sent: error === null,
    error,
    documentLayout,
    emailLayout,
    extraText,
    senderEmail,
    document,
    recipients,
    recipientRule: rule,
    recipientAccount: account.ID,
    recipientContact: contact,
    at: now,
  });

  const result = (c: PrintChannel): [string | null, string | null] =>
    c !== channel ? [null, null] : error ? [null, error] : [SUCCESS[c], null];
  const [emailOk, emailErr] = result('email');
  const [postboxOk, postboxErr] = result('postbox');
  const [peppolOk, peppolErr] = result('peppol');
  return json(201, {
    d: {
      __metadata: {
        uri: `${ctx.base}/api/v1/${div.division}/salesinvoice/PrintedSalesInvoices(guid'${invoice.InvoiceID}')`,
        type: 'Exact.Web.Api.Models.SalesInvoice.PrintedSalesInvoice',
      },
      InvoiceID: invoice.InvoiceID,
      Division: div.division,
      Document: document,
      DocumentCreationError: null,
      DocumentCreationSuccess: 'Document created.',
      DocumentLayout: documentLayout,
      EmailCreationError: emailErr,
      EmailCreationSuccess: emailOk,
      EmailLayout: emailLayout,
      ExtraText: extraText,
      InvoiceDate: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? wireDate(dateOnlyMs(date)) : null,
      PeppolCreationError: peppolErr,
      PeppolCreationSuccess: peppolOk,
      PostboxMessageCreationError: postboxErr,
      PostboxMessageCreationSuccess: postboxOk,
      PostboxSender: body.PostboxSender ?? null,
      ReportingPeriod: body.ReportingPeriod ?? null,
      ReportingYear: body.ReportingYear ?? null,
      SendEmailToCustomer: body.SendEmailToCustomer === true,
      SenderEmailAddress: senderEmail,
      SendInvoiceToCustomerPostbox: body.SendInvoiceToCustomerPostbox === true,
      SendInvoiceViaPeppol: body.SendInvoiceViaPeppol === true,
      SendOutputBasedOnAccount: body.SendOutputBasedOnAccount === true,
    },
  });
}
