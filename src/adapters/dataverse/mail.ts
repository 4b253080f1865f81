import type {
  DynamicsMail,
  MailAttachment,
  MailParty,
  MailState,
  NewMail,
  RenderedTemplate,
} from '../../app/mail/ports';
import type { InvoiceContact } from '../../domain/types';
import type { DataverseClient } from './client';
import { DataverseValidationError } from './errors';
import {
  ConditionalCreateSchema,
  EMAIL_STATUS,
  EmailStatesSchema,
  InstantiatedTemplateSchema,
  InvoiceContactsSchema,
  type EmailStateRow,
} from './mailSchemas';
import { SALES_INVOICE } from './vocabulary';

/** activityparty.participationtypemask (PAD `reference/entities/activityparty.md`). */
const PARTY = { from: 1, to: 2, cc: 3, bcc: 4 } as const;
/**
 * `contact.eol_invoicerecipient` (PRODUCT.md §12). The vocabulary's `contact` extension will own this name;
 * until it does, the adapter names it here.
 */
const INVOICE_RECIPIENT = 'eol_invoicerecipient';
/** Ids per `$filter` (`activityid eq … or …`): ~1,300 characters, under dynamics-web-api's 2,000 batching. */
const IDS_PER_QUERY = 25;

/**
 * Dynamics 365 email over the Dataverse Web API (issue 15, PRODUCT.md §12): InstantiateTemplate, the
 * email activity created with a connector-chosen id (`PATCH emails(id)` with `If-None-Match: *`, so a
 * second create finds it), its PDF as an `activitymimeattachment`, SendEmail, and the email's status.
 */
export class DataverseMail implements DynamicsMail {
  constructor(private readonly client: DataverseClient) {}

  async render(templateId: string, invoiceRowId: string): Promise<RenderedTemplate> {
    const op = 'render email template';
    const data = await this.client.run(
      op,
      (api) =>
        api.callAction({
          actionName: 'InstantiateTemplate',
          action: { TemplateId: templateId, ObjectType: SALES_INVOICE.name, ObjectId: invoiceRowId },
        }),
      { idempotent: true },
    );
    const [email] = this.client.parse(op, InstantiatedTemplateSchema, data).value;
    return { subject: email?.subject ?? '', bodyHtml: email?.description ?? '' };
  }

  async createDraft(mail: NewMail): Promise<'created' | 'exists'> {
    const data: Record<string, unknown> = {
      subject: mail.subject,
      description: mail.bodyHtml,
      directioncode: true,
      [`regardingobjectid_${SALES_INVOICE.name}@odata.bind`]: `/${SALES_INVOICE.entitySet}(${mail.regardingInvoiceRowId})`,
      email_activity_parties: [
        { participationtypemask: PARTY.from, 'partyid_queue@odata.bind': `/queues(${mail.mailboxId})` },
        ...mail.to.map((p) => party(PARTY.to, p)),
        ...mail.cc.map((p) => party(PARTY.cc, p)),
        ...mail.bcc.map((p) => party(PARTY.bcc, p)),
      ],
    };
    return this.createOnce('create invoice email', 'emails', mail.id, data);
  }

  attach(emailId: string, attachment: MailAttachment): Promise<'created' | 'exists'> {
    return this.createOnce('attach invoice PDF', 'activitymimeattachments', attachment.id, {
      filename: attachment.fileName,
      mimetype: attachment.mimeType,
      body: attachment.bytes.toString('base64'),
      objecttypecode: 'email',
      'objectid_activitypointer@odata.bind': `/activitypointers(${emailId})`,
    });
  }

  /**
   * SendEmail is not repeatable (a second one is refused: the email is no draft any more). When it is
   * refused, the email's state decides: handed over already (pending or sent) is what was asked for.
   */
  async send(emailId: string): Promise<void> {
    try {
      await this.client.run(
        'send invoice email',
        (api) =>
          api.callAction({
            collection: 'emails',
            key: emailId,
            actionName: 'Microsoft.Dynamics.CRM.SendEmail',
            action: { IssueSend: true },
          }),
        { idempotent: false },
      );
    } catch (err) {
      if (!(err instanceof DataverseValidationError)) throw err;
      const state = (await this.states([emailId])).get(emailId);
      if (state?.kind !== 'pending' && state?.kind !== 'sent') throw err;
    }
  }

  async states(emailIds: string[]): Promise<Map<string, MailState>> {
    const out = new Map<string, MailState>();
    const ids = [...new Set(emailIds)];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const op = 'read invoice email states';
      const data = await this.client.run(
        op,
        (api) =>
          api.retrieveMultiple({
            collection: 'emails',
            select: ['statecode', 'statuscode', 'senton'],
            filter: chunk.map((id) => `activityid eq ${id}`).join(' or '),
          }),
        { idempotent: true },
      );
      const rows = this.client.parse(op, EmailStatesSchema, data).value;
      const byId = new Map(rows.map((r) => [r.activityid.toLowerCase(), r]));
      for (const id of chunk) {
        const row = byId.get(id.toLowerCase());
        out.set(id, row ? mailState(row) : { kind: 'missing' });
      }
    }
    return out;
  }

  async invoiceContacts(accountIds: string[]): Promise<Map<string, InvoiceContact[]>> {
    // Keyed by the ids as given; Dataverse answers GUIDs in lower case.
    const byLower = new Map<string, InvoiceContact[]>();
    const out = new Map<string, InvoiceContact[]>();
    for (const id of accountIds) {
      const list = byLower.get(id.toLowerCase()) ?? [];
      byLower.set(id.toLowerCase(), list);
      out.set(id, list);
    }
    const ids = [...byLower.keys()];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const op = 'read invoice contacts';
      const accounts = chunk.map((id) => `_parentcustomerid_value eq ${id}`).join(' or ');
      const data = await this.client.run(
        op,
        (api) =>
          api.retrieveAll({
            collection: 'contacts',
            select: ['contactid', 'fullname', 'emailaddress1', '_parentcustomerid_value'],
            filter: `(${accounts}) and ${INVOICE_RECIPIENT} eq true and statecode eq 0`,
          }),
        { idempotent: true },
      );
      for (const c of this.client.parse(op, InvoiceContactsSchema, data).value)
        byLower
          .get(c._parentcustomerid_value?.toLowerCase() ?? '')
          ?.push({ contactId: c.contactid, name: c.fullname ?? null, email: c.emailaddress1 ?? null });
    }
    return out;
  }

  /** `PATCH <set>(id)` with `If-None-Match: *`: creates, or finds the row there (412) and leaves it. */
  private async createOnce(
    op: string,
    collection: string,
    id: string,
    data: Record<string, unknown>,
  ): Promise<'created' | 'exists'> {
    const result = await this.client.run(
      op,
      (api) => api.upsert({ collection, key: id, data, ifnonematch: '*' }),
      // Repeatable: after a lost answer the repeat finds the row (412) instead of adding a second one.
      { idempotent: true },
    );
    return this.client.parse(op, ConditionalCreateSchema, result) === null ? 'exists' : 'created';
  }
}

function party(mask: number, p: MailParty): Record<string, unknown> {
  const out: Record<string, unknown> = { participationtypemask: mask, addressused: p.address };
  if (p.contactId) out['partyid_contact@odata.bind'] = `/contacts(${p.contactId})`;
  else if (p.accountId) out['partyid_account@odata.bind'] = `/accounts(${p.accountId})`;
  return out;
}

/** Email status reason → MailState (ports.ts); statecode alone cannot tell Pending Send from Sent. */
export function mailState(row: EmailStateRow): MailState {
  switch (row.statuscode) {
    case EMAIL_STATUS.draft:
      return { kind: 'draft' };
    case EMAIL_STATUS.pendingSend:
    case EMAIL_STATUS.sending:
      return { kind: 'pending' };
    case EMAIL_STATUS.sent:
      return { kind: 'sent', at: row.senton ? new Date(row.senton) : null };
    case EMAIL_STATUS.failed:
      return { kind: 'failed', detail: null };
    default:
      // 2 Completed, 4 Received, 5 Canceled: closed without server-side synchronization sending it.
      return { kind: 'canceled' };
  }
}
