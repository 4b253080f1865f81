/**
 * In-app notifications (appnotification) to the users who hold the "AutoInvoice administrator" role, for
 * what only an administrator can fix: a licence that expires within 14 days (PRODUCT.md §9, the rule is
 * the domain's licenceExpiryNotice) and a lost Exact connection (re-consent needed). Once: the title
 * carries the occasion (the expiry date, the moment the connection was lost), and a user who already has
 * a notification with that title gets none; this instance also remembers what it sent. A notice never
 * fails the work that noticed it: its faults are dropped (docs/decisions/0088).
 */
import type { TenantDirectory } from '../../app/ports';
import { licenceExpiryNotice } from '../../domain';
import type { LicenceCheck } from '../../domain/types';
import type { DataverseClient } from './client';
import { DataverseNotFoundError } from './errors';
import { componentId } from './solution/labels';
import { z } from 'zod';

/** The administrator role's stable id (solution/roles.ts, provisioned by `npm run dataverse -- provision`). */
export const ADMINISTRATOR_ROLE_ID = componentId('role', 'administrator');
/** appnotification.icontype Warning, toasttype Timed. */
const ICON_WARNING = 100000003;
const TOAST_TIMED = 200000000;

const TEXT = {
  nl: {
    licenceTitle: (date: string) => `AutoInvoice-licentie verloopt op ${date}`,
    licenceBody: (days: number) =>
      `Nog ${days} dag(en): vraag uw partner om een nieuwe licentie, anders verstuurt AutoInvoice daarna geen facturen meer.`,
    lostTitle: (at: string) => `AutoInvoice: verbinding met Exact Online verbroken (${at} UTC)`,
    lostBody:
      'AutoInvoice verstuurt geen facturen tot een Exact-gebruiker de verbinding opnieuw maakt via de koppelpagina van AutoInvoice.',
  },
  en: {
    licenceTitle: (date: string) => `AutoInvoice licence expires on ${date}`,
    licenceBody: (days: number) =>
      `${days} day(s) left: ask your partner for a new licence, or AutoInvoice sends no invoices after that.`,
    lostTitle: (at: string) => `AutoInvoice: connection to Exact Online lost (${at} UTC)`,
    lostBody:
      'AutoInvoice sends no invoices until an Exact user connects again through the AutoInvoice connect page.',
  },
} as const;

const Users = z
  .object({ value: z.array(z.object({ systemuserid: z.string() }).passthrough()) })
  .passthrough();
const Ids = z
  .object({ value: z.array(z.object({ appnotificationid: z.string() }).passthrough()) })
  .passthrough();

/** What the Exact token store says of a connection (only `lost` matters here). */
export interface ConnectionState {
  state: string;
  lostAt?: Date;
}

export class AdminNotices {
  private readonly sent = new Set<string>();

  constructor(
    private readonly client: DataverseClient,
    private readonly directory: TenantDirectory,
    private readonly exactConnection: () => Promise<ConnectionState> = async () => ({ state: 'unknown' }),
  ) {}

  /** Called with each fresh licence verdict; notifies once per expiry date when 14 days or fewer are left. */
  async licenceChecked(check: LicenceCheck, now: Date): Promise<void> {
    const notice = licenceExpiryNotice(check, now);
    if (!notice) return;
    const t = TEXT[await this.safeLanguage()];
    await this.once(t.licenceTitle(String(notice.facts.date)), t.licenceBody(notice.daysLeft));
  }

  /** Called when an invoice failed for a lost connection; notifies once per loss. */
  async connectionLost(): Promise<void> {
    const s = await this.exactConnection().catch(() => null);
    const at = s?.state === 'lost' ? s.lostAt : undefined;
    if (!at) return;
    const t = TEXT[await this.safeLanguage()];
    await this.once(t.lostTitle(at.toISOString().slice(0, 16).replace('T', ' ')), t.lostBody);
  }

  private async safeLanguage() {
    return this.directory.organizationLanguage().catch(() => 'en' as const);
  }

  private async once(title: string, body: string): Promise<void> {
    if (this.sent.has(title)) return;
    try {
      for (const userId of await this.administrators()) {
        const filter = `title eq '${title.replace(/'/g, "''")}' and _ownerid_value eq ${userId}`;
        const have = await this.client.run(
          'read in-app notifications',
          (api) =>
            api.retrieveMultiple({ collection: 'appnotifications', filter, select: ['appnotificationid'] }),
          { idempotent: true },
        );
        if (this.client.parse('read in-app notifications', Ids, have).value.length > 0) continue;
        await this.client.run(
          'create in-app notification',
          (api) =>
            api.create({
              collection: 'appnotifications',
              data: {
                title,
                body,
                icontype: ICON_WARNING,
                toasttype: TOAST_TIMED,
                'ownerid@odata.bind': `/systemusers(${userId})`,
              },
            }),
          { idempotent: false },
        );
      }
      this.sent.add(title);
    } catch {
      // Dropped: the next occasion (a licence check, a failed invoice) tries again.
    }
  }

  private async administrators(): Promise<string[]> {
    try {
      const out = await this.client.run(
        'read AutoInvoice administrators',
        (api) =>
          api.retrieve({
            collection: 'roles',
            key: ADMINISTRATOR_ROLE_ID,
            navigationProperty: 'systemuserroles_association',
            select: ['systemuserid'],
          }),
        { idempotent: true },
      );
      return this.client
        .parse('read AutoInvoice administrators', Users, out)
        .value.map((u) => u.systemuserid);
    } catch (err) {
      // The role is not provisioned: no one to notify.
      if (err instanceof DataverseNotFoundError) return [];
      throw err;
    }
  }
}
