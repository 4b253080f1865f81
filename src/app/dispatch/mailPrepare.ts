/**
 * Making the invoice email (Dynamics route): Exact's PDF, the administration's template (or the built-in
 * text, decision 0102) with `%n`, the recipients as parties (shown on the account's timeline), regarding the
 * invoice row. A second create under the same id finds the first; an email already handed over is not touched.
 */
import { withInvoiceNumber } from '../../domain';
import { defaultMailText } from '../../domain/messages/mailTemplate';
import type { InvoiceContact } from '../../domain/types';
import type { LedgerMail } from '../ports';
import type { MailParty } from '../mail/ports';
import { MailStepError } from './mailErrors';
import { mailDeps, stableId } from './mailIds';
import type { Item, Run } from './types';

export async function prepareMail(
  run: Run,
  it: Item,
  mail: LedgerMail,
): Promise<{ mail: LedgerMail; invoiceNumber: number | null }> {
  const { documents, dynamics } = mailDeps(run);
  const doc = await documents.invoiceDocument(it.division, it.exactInvoiceId);
  if (!doc)
    throw new MailStepError('Exact Online holds no document for the invoice, so there is nothing to attach');
  const number = doc.invoiceNumber ?? it.entry.invoiceNumber ?? it.ctx.invoice.invoiceNumber;
  const text = mail.plan.templateId
    ? await dynamics.render(mail.plan.templateId, it.ctx.invoice.rowId)
    : defaultMailText(run.lang, it.ctx.administration?.name ?? null);
  const parties = partiesOf(it);
  const created = await dynamics.createDraft({
    id: mail.emailId,
    subject: withInvoiceNumber(text.subject, number),
    bodyHtml: withInvoiceNumber(text.bodyHtml, number),
    mailboxId: mail.plan.mailboxId,
    to: mail.plan.to.map(parties),
    cc: mail.plan.cc.map(parties),
    bcc: mail.plan.bcc.map(parties),
    regardingInvoiceRowId: it.ctx.invoice.rowId,
  });
  if (created === 'exists') {
    // A crash after the create: a draft still gets its attachment; one already sent is left as it is.
    const state = (await dynamics.states([mail.emailId])).get(mail.emailId);
    if (state && state.kind !== 'draft' && state.kind !== 'missing')
      return { mail: { ...mail, prepared: true, handedOver: true }, invoiceNumber: number };
  }
  await dynamics.attach(mail.emailId, {
    id: stableId(`${mail.emailId}:pdf`),
    fileName: doc.fileName,
    mimeType: doc.mimeType,
    bytes: doc.bytes,
  });
  return { mail: { ...mail, prepared: true }, invoiceNumber: number };
}

/** An address as a party: the flagged contact it belongs to, else the relation's account (its timeline). */
function partiesOf(it: Item): (address: string) => MailParty {
  const relation = it.ctx.relation;
  const contacts = new Map<string, InvoiceContact>();
  for (const c of relation?.invoiceContacts ?? []) if (c.email) contacts.set(c.email.trim().toLowerCase(), c);
  return (address) => {
    const contact = contacts.get(address.toLowerCase());
    if (contact) return { address, contactId: contact.contactId };
    return { address, accountId: relation?.accountId ?? null };
  };
}
