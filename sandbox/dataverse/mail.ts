import { checkParties, partyViews, prepareAttachment, type PartyView } from './mailRows';
import { entityBySet, ERR, type EntityDef, type Row } from './model';
import type { Store } from './store';
import { instantiateTemplate } from './templates';

export type { PartyView } from './mailRows';

/**
 * What server-side synchronization does with an email handed to it (a CHOICE: the sandbox has no mail
 * server). `send`: statuscode 3 Sent with `senton`; `fail`: statecode 0 / statuscode 8 Failed (email.md:
 * Failed belongs to state 0 Open); `hold`: it stays 6 Pending Send.
 */
export type ServerSideSyncMode = 'send' | 'fail' | 'hold';

export interface ServerSideSyncOptions {
  /** For every mailbox without its own mode (default `send`). */
  mode?: ServerSideSyncMode;
  /** Run the synchronization by itself this many ms after each SendEmail (the demo); unset: only `run()`. */
  delayMs?: number;
}

export interface SandboxAttachment {
  id: string;
  fileName: string | null;
  mimeType: string | null;
  fileSize: number | null;
  bytes: Buffer;
}

const PENDING_SEND = 6;
const SENDING = 7;
const FROM = 1;
const RECIPIENT_MASKS = [2, 3, 4];
const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Dynamics 365 email in the sandbox (issue 15): InstantiateTemplate, activity-party and attachment checks,
 * SendEmail handing an email to server-side synchronization, and the synchronization itself (per mailbox
 * or global mode, run on demand or after a delay). Test helpers read emails, parties and attachment bytes.
 */
export class MailSandbox {
  private mode: ServerSideSyncMode;
  private readonly byMailbox = new Map<string, ServerSideSyncMode>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    private readonly options: ServerSideSyncOptions = {},
  ) {
    this.mode = options.mode ?? 'send';
  }

  /** The mode for one mailbox (the sender's address, case-insensitive), or for all without their own. */
  setServerSideSync(mode: ServerSideSyncMode, mailboxAddress?: string): void {
    if (mailboxAddress) this.byMailbox.set(mailboxAddress.toLowerCase(), mode);
    else this.mode = mode;
  }

  /** Server-side synchronization "now": every email pending send is sent, failed or held. */
  runServerSideSync(): { sent: number; failed: number; held: number } {
    const out = { sent: 0, failed: 0, held: 0 };
    for (const email of [...this.emails().values()]) {
      if (email.statuscode !== PENDING_SEND && email.statuscode !== SENDING) continue;
      const result = this.syncOne(email);
      out[result] += 1;
    }
    return out;
  }

  /** A person in Dynamics deletes the email (a review draft): it and its attachments are gone. */
  deleteEmail(emailId: string): boolean {
    const email = this.store.get(EMAILS(), emailId);
    if (!email) return false;
    this.store.remove(EMAILS(), email);
    this.afterDelete(EMAILS(), email);
    return true;
  }

  /** A person sends the draft from Dynamics (SendEmail, IssueSend true). */
  sendAsPerson(emailId: string): void {
    const email = this.store.get(EMAILS(), emailId);
    if (!email) throw new Error(`sandbox: no email ${emailId}`);
    this.sendEmail(email, { IssueSend: true }, '');
  }

  emailsRegarding(rowId: string): Row[] {
    const id = rowId.toLowerCase();
    return [...this.emails().values()]
      .filter((e) => e._regardingobjectid_value === id)
      .map((e) => structuredClone(e));
  }

  parties(emailId: string): PartyView[] {
    const email = this.store.get(EMAILS(), emailId);
    return email ? partyViews(this.store, email) : [];
  }

  attachments(emailId: string): SandboxAttachment[] {
    const id = emailId.toLowerCase();
    return [...this.store.table('activitymimeattachments').values()]
      .filter((a) => a._objectid_value === id)
      .map((a) => ({
        id: String(a.activitymimeattachmentid),
        fileName: typeof a.filename === 'string' ? a.filename : null,
        mimeType: typeof a.mimetype === 'string' ? a.mimetype : null,
        fileSize: typeof a.filesize === 'number' ? a.filesize : null,
        bytes: Buffer.from(typeof a.body === 'string' ? a.body : '', 'base64'),
      }));
  }

  /** Forgets per-mailbox modes and pending timers (sandbox reset), back to the configured mode. */
  reset(): void {
    this.close();
    this.byMailbox.clear();
    this.mode = this.options.mode ?? 'send';
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // ---- Web API hooks (webapi.ts) ----

  instantiateTemplate(body: Row, setOf: (logical: string) => string | undefined, base: string) {
    return instantiateTemplate(this.store, body, setOf, base);
  }

  /** A create body for `emails` or `activitymimeattachments`, checked (and completed) as Dataverse would. */
  beforeCreate(def: EntityDef, body: Row): Row {
    if (def.set === 'emails' && body.email_activity_parties !== undefined)
      checkParties(this.store, body.email_activity_parties);
    if (def.set === 'activitymimeattachments') return prepareAttachment(this.store, body);
    return body;
  }

  /**
   * An update: new parties are checked as on create; an attachment stays on its email, and neither a
   * closed email's attachment nor one of a sent email changes (email.md: completed email is read-only).
   */
  beforeUpdate(def: EntityDef, existing: Row, body: Row): void {
    if (def.set === 'emails' && body.email_activity_parties !== undefined)
      checkParties(this.store, body.email_activity_parties);
    if (def.set !== 'activitymimeattachments') return;
    if (Object.keys(body).some((k) => k.startsWith('objectid')))
      throw ERR.badRequest("An attachment's objectid cannot be changed.");
    const email = this.store.get(EMAILS(), String(existing._objectid_value));
    if (email && email.statecode !== 0)
      throw ERR.badRequest('An attachment of an email that is not open cannot be changed.');
  }

  /** Deleting an email deletes its attachments (email_activity_mime_attachment cascades Delete). */
  afterDelete(def: EntityDef, row: Row): void {
    if (def.set !== 'emails') return;
    const attachments = entityBySet('activitymimeattachments')!;
    for (const a of [...this.store.table(attachments.set).values()])
      if (a._objectid_value === row.activityid) this.store.remove(attachments, a);
  }

  /**
   * `emails(id)/Microsoft.Dynamics.CRM.SendEmail` (PAD `webapi/reference/sendemail`): only a draft with a
   * recipient. IssueSend true hands it to server-side synchronization: statecode 1 / statuscode 6 Pending
   * Send (email.md); false "just record[s] it as sent" (SendEmailRequest.IssueSend): 3 Sent at once.
   */
  sendEmail(
    email: Row,
    body: Row,
    base: string,
  ): { status: number; headers: Record<string, string>; body: unknown } {
    if (email.statecode !== undefined && email.statecode !== 0)
      throw ERR.badRequest('The email is not in the Draft state and cannot be sent.');
    const parties = partyViews(this.store, email);
    if (!parties.some((p) => RECIPIENT_MASKS.includes(p.mask)))
      throw ERR.badRequest('The email must have at least one recipient before it can be sent.');
    const issueSend = body.IssueSend === true;
    const sent = this.store.update(
      EMAILS(),
      email,
      issueSend ? { statecode: 1, statuscode: PENDING_SEND } : { statecode: 1, statuscode: 3, senton: now() },
    );
    if (issueSend && this.options.delayMs !== undefined) this.later(String(sent.activityid));
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
      body: {
        '@odata.context': `${base}$metadata#Microsoft.Dynamics.CRM.SendEmailResponse`,
        Subject: email.subject ?? null,
      },
    };
  }

  private later(emailId: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const email = this.store.get(EMAILS(), emailId);
      if (email && (email.statuscode === PENDING_SEND || email.statuscode === SENDING)) this.syncOne(email);
    }, this.options.delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private syncOne(email: Row): 'sent' | 'failed' | 'held' {
    const sender = partyViews(this.store, email)
      .find((p) => p.mask === FROM)
      ?.address?.toLowerCase();
    const mode = (sender && this.byMailbox.get(sender)) || this.mode;
    if (mode === 'hold') return 'held';
    if (mode === 'send') this.store.update(EMAILS(), email, { statecode: 1, statuscode: 3, senton: now() });
    else this.store.update(EMAILS(), email, { statecode: 0, statuscode: 8 });
    return mode === 'send' ? 'sent' : 'failed';
  }

  private emails(): Map<string, Row> {
    return this.store.table('emails');
  }
}

const EMAILS = (): EntityDef => entityBySet('emails')!;
