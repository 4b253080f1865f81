import type { FailureNotice, Notifier, TenantDirectory } from '../../app/ports';
import type { AdministrationFacts } from '../../domain/types';
import type { DataverseClient } from './client';
import { DataverseNotFoundError } from './errors';
import { DataverseCreatedIdSchema, DataverseWhoAmISchema } from './schemas';
import { SALES_INVOICE } from './vocabulary';

/** appnotification.icontype Failure and toasttype Timed (Dataverse in-app notification choices). */
const ICON_FAILURE = 100000002;
const TOAST_TIMED = 200000000;
const PARTY_FROM = 1;
const PARTY_TO = 2;
const EMAIL_SHAPE = /^[^@\s;]+@[^@\s;]+\.[^@\s;]+$/;

const TEXT = {
  nl: {
    subject: (label: string) => `AutoInvoice: factuur ${label} niet verzonden`,
    digestSubject: (n: number, admin: string) => `AutoInvoice: ${n} facturen van ${admin} niet verzonden`,
    title: 'Factuur niet verzonden',
    digestTitle: (n: number) => `${n} facturen niet verzonden`,
    intro: (admin: string) => `In administratie ${admin} kon AutoInvoice het volgende niet verzenden:`,
  },
  en: {
    subject: (label: string) => `AutoInvoice: invoice ${label} not sent`,
    digestSubject: (n: number, admin: string) => `AutoInvoice: ${n} invoices of ${admin} not sent`,
    title: 'Invoice not sent',
    digestTitle: (n: number) => `${n} invoices not sent`,
    intro: (admin: string) => `In administration ${admin} AutoInvoice could not send the following:`,
  },
} as const;

/**
 * Failure notifications: an `email` activity from the application user to the administration's
 * eol_notifyemail addresses, sent with SendEmail, and an `appnotification` to the invoice's owner.
 * Deciding whether to notify at all (one per invoice per failure) is the caller's job.
 */
export class DataverseNotifier implements Notifier {
  private sender: Promise<string> | null = null;

  constructor(
    private readonly client: DataverseClient,
    private readonly directory: TenantDirectory,
    private readonly admins?: { connectionLost(): Promise<void> },
  ) {}

  async notifyFailure(notice: FailureNotice): Promise<void> {
    const lang = await this.directory.organizationLanguage();
    const t = TEXT[lang];
    const label = notice.invoice?.name ?? notice.exactInvoiceId;
    const html = `<p>${esc(t.intro(notice.administration.name))}</p>${item(notice)}`;
    await this.email(notice.administration, t.subject(label), html, notice.invoice?.rowId ?? null);
    if (notice.invoice?.ownerId)
      await this.appNotification(notice.invoice.ownerId, t.title, `${label}: ${notice.message}`);
    if (notice.reason === 'exact_connection_lost') await this.admins?.connectionLost();
  }

  async notifyDigest(administration: AdministrationFacts, notices: FailureNotice[]): Promise<void> {
    if (notices.length === 0) return;
    const t = TEXT[await this.directory.organizationLanguage()];
    const html = `<p>${esc(t.intro(administration.name))}</p><ul>${notices.map((n) => `<li>${item(n)}</li>`).join('')}</ul>`;
    await this.email(administration, t.digestSubject(notices.length, administration.name), html, null);
    const byOwner = new Map<string, FailureNotice[]>();
    for (const n of notices)
      if (n.invoice?.ownerId) byOwner.set(n.invoice.ownerId, [...(byOwner.get(n.invoice.ownerId) ?? []), n]);
    for (const [owner, list] of byOwner) {
      const body = list.map((n) => `${n.invoice?.name ?? n.exactInvoiceId}: ${n.message}`).join('\n');
      await this.appNotification(owner, t.digestTitle(list.length), body);
    }
    if (notices.some((n) => n.reason === 'exact_connection_lost')) await this.admins?.connectionLost();
  }

  /** No valid address in eol_notifyemail: nothing to send to (the row's message still explains). */
  private async email(
    admin: AdministrationFacts,
    subject: string,
    html: string,
    regardingRowId: string | null,
  ): Promise<void> {
    const to = recipients(admin.notifyEmail);
    if (to.length === 0) return;
    const from = await this.applicationUser();
    const data: Record<string, unknown> = {
      subject,
      description: html,
      email_activity_parties: [
        { participationtypemask: PARTY_FROM, 'partyid_systemuser@odata.bind': `/systemusers(${from})` },
        ...to.map((addressused) => ({ participationtypemask: PARTY_TO, addressused })),
      ],
    };
    // The polymorphic `regardingobjectid` is bound per target table: `regardingobjectid_<logical name>`.
    if (regardingRowId)
      data[`regardingobjectid_${SALES_INVOICE.name}@odata.bind`] =
        `/${SALES_INVOICE.entitySet}(${regardingRowId})`;
    const created = await this.client.run(
      'create notification email',
      (api) => api.create({ collection: 'emails', data }),
      { idempotent: false },
    );
    const emailId = this.client.parse('create notification email', DataverseCreatedIdSchema, created);
    await this.client.run(
      'send notification email',
      (api) =>
        api.callAction({
          collection: 'emails',
          key: emailId,
          actionName: 'Microsoft.Dynamics.CRM.SendEmail',
          action: { IssueSend: true },
        }),
      { idempotent: false },
    );
  }

  private async appNotification(ownerId: string, title: string, body: string): Promise<void> {
    try {
      await this.client.run(
        'create in-app notification',
        (api) =>
          api.create({
            collection: 'appnotifications',
            data: {
              title,
              body: body.slice(0, 4000),
              icontype: ICON_FAILURE,
              toasttype: TOAST_TIMED,
              'ownerid@odata.bind': `/systemusers(${ownerId})`,
            },
          }),
        { idempotent: false },
      );
    } catch (err) {
      // A team-owned invoice has no user to notify; the email already reached the administration.
      if (!(err instanceof DataverseNotFoundError)) throw err;
    }
  }

  private applicationUser(): Promise<string> {
    this.sender ??= this.client
      .run('who am I', (api) => api.callFunction('WhoAmI'), { idempotent: true })
      .then((r) => this.client.parse('who am I', DataverseWhoAmISchema, r).UserId);
    this.sender.catch(() => {
      this.sender = null;
    });
    return this.sender;
  }
}

export function recipients(list: string | null): string[] {
  return (list ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => EMAIL_SHAPE.test(s));
}

function item(n: FailureNotice): string {
  const label = n.invoice?.name ?? n.exactInvoiceId;
  return `<p><b>${esc(label)}</b>: ${esc(n.message)} <small>(${esc(n.reason)})</small></p>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
