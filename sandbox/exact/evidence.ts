/**
 * What a postbox print leaves behind that the REST API shows (round2-facts §4.4): the sent message
 * (`mailbox/MailMessagesSent`, `Type` 1100 sales invoice; PQ `MailMessagesSent.php`). Email and Peppol sends
 * leave no record here: Exact exposes none (§4.2). The printed document itself is in documents.ts.
 * Choice: one postbox message per successful postbox print.
 */
import type { EntitySet } from './odata';
import { nullable } from './filterTypes';
import type { Division } from './store';
import type { PrintRecord } from './types';

const SAMPLE: PrintRecord = {
  division: 0,
  invoiceId: '',
  invoiceNumber: 0,
  channel: 'paper',
  recipient: null,
  sent: true,
  error: null,
  documentLayout: null,
  emailLayout: null,
  extraText: null,
  senderEmail: null,
  document: '',
  recipients: [],
  recipientRule: null,
  recipientAccount: '',
  recipientContact: null,
  at: 0,
};

const accountOf = (div: Division, p: PrintRecord): string | null =>
  div.invoices.get(p.invoiceId)?.InvoiceTo ?? null;

/** One postbox message per print that went out by postbox. Its id is the document's: one per print. */
export function mailMessageSet(base: string, div: Division): EntitySet<PrintRecord> {
  return {
    type: 'Exact.Web.Api.Models.Mailbox.MailMessagesSent',
    key: 'ID',
    uri: (k) => `${base}/api/v1/${div.division}/mailbox/MailMessagesSent(guid'${k}')`,
    sample: SAMPLE,
    dateFields: ['Created', 'SenderDateSent'],
    types: { RecipientAccount: nullable('System.Guid') },
    keyOf: (p) => p.document,
    fields: (p) => ({
      ID: p.document,
      Created: p.at,
      RecipientAccount: accountOf(div, p),
      RecipientStatus: 20,
      SenderDateSent: p.at,
      Subject: `Factuur ${p.invoiceNumber}`,
      Type: 1100,
    }),
  };
}

export const postboxMessagesOf = (outbox: PrintRecord[], div: Division): PrintRecord[] =>
  outbox.filter((p) => p.division === div.division && p.channel === 'postbox' && p.sent);
