/**
 * `webhooks/WebhookSubscriptions` and the webhooks themselves (reference §10; round2-facts §4.3).
 *
 * - GET lists the division's subscriptions, POST subscribes, DELETE removes one; there is no update (DN PR #63).
 *   All need the app scope "Organization administration" (reference §10).
 * - A POST is answered after Exact's validation handshake: an empty POST to the callback (about 1 s after
 *   subscribing, hookdeck PR #152) that must get a 2xx, else the subscription is refused with
 *   "Error 500: Invalid: Post to callback URL endpoint returns 500" (PQ#438).
 * - The callback must be HTTPS (pionect) on the domain of the app's redirect URL (Invantive forum).
 *   [choice] http is accepted on loopback, where the local stack listens.
 * - [choice] A second subscription for the same callback and topic is accepted, as nothing says Exact refuses
 *   it: the connector must not make one.
 * - A sales invoice, account or contact created or changed calls every subscription of its division and topic
 *   (SalesInvoices, Accounts, Contacts: round2-facts §4.3), asynchronously: `{"Content":{…},"HashCode":"…"}`,
 *   HashCode = uppercase-hex HMAC-SHA256 of the Content text with the app's webhook secret (reference §10);
 *   `ExactOnlineEndpoint` is the entity's key URL (`salesinvoice/SalesInvoices`, `crm/Accounts`,
 *   `crm/Contacts`). Sales invoices are created (POST, `createInvoiceInExact`) and printed; accounts change by
 *   `PUT crm/Accounts` and `editAccount` (Create for a new one); contacts cannot change in the sandbox yet
 *   (no write, no control helper), so no Contacts webhook is raised today. [choice] `deliveryDelayMs` after
 *   the change (default 200 ms; Exact's is not documented), one attempt, no retry.
 * - [choice] An accepted account PUT raises Accounts Update even when it changed no value (Exact's behaviour is
 *   undocumented; the sandbox also moves Modified/Timestamp then, README choice 15). The seed raises nothing.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { HttpError, json, parseJsonBody, type Reply } from './http';
import { requireScope } from './documents';
import type { ApiContext } from './context';
import type { WebhookAction, WebhookDelivery, WebhookSubscription, WebhookTopic } from './types';

export const WEBHOOK_SCOPE = 'Organization administration';
/** Topics Exact lists (reference §10, round2-facts §4.3); the sandbox raises SalesInvoices, Accounts, Contacts. */
const TOPICS = new Set([
  'Accounts',
  'BankAccounts',
  'Contacts',
  'Items',
  'SalesInvoices',
  'SalesInvoiceLines',
  'SalesOrders',
  'SalesEntries',
  'PurchaseEntries',
  'PurchaseOrders',
  'GoodsDeliveries',
  'Quotations',
  'Subscriptions',
  'BankEntries',
  'CashEntries',
  'GeneralJournalEntries',
  'Documents',
  'MailMessagesSent',
]);
/** The entity set each raised topic's `ExactOnlineEndpoint` names. */
const ENDPOINTS: Record<WebhookTopic, string> = {
  SalesInvoices: 'salesinvoice/SalesInvoices',
  Accounts: 'crm/Accounts',
  Contacts: 'crm/Contacts',
};
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface WebhookConfig {
  clientId: string;
  /** The app's webhook secret (App Center). */
  secret: string;
  redirectUris: string[];
  /** Before the validation POST; default 1000 (reference §10: "about 1 s after subscribing"). */
  validationDelayMs?: number;
  /** Before a webhook is posted [choice]; default 200. */
  deliveryDelayMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Webhooks {
  private subs: WebhookSubscription[] = [];
  private log: WebhookDelivery[] = [];
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private cfg: WebhookConfig,
    private now: () => number,
    private base: () => string,
  ) {}

  subscriptions(): WebhookSubscription[] {
    return this.subs.map((s) => ({ ...s }));
  }

  deliveries(): WebhookDelivery[] {
    return this.log.map((d) => ({ ...d }));
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.subs = [];
    this.log = [];
  }

  /** `webhooks/WebhookSubscriptions[(guid'…')]` of one division. */
  async resource(ctx: ApiContext, division: number, key: string | undefined): Promise<Reply> {
    requireScope(ctx.scopes, WEBHOOK_SCOPE, ctx.method);
    if (ctx.method === 'GET' && key === undefined)
      return json(200, { d: { results: this.subs.filter((s) => s.Division === division).map(this.wire) } });
    if (ctx.method === 'POST' && key === undefined) return this.subscribe(ctx, division);
    if (ctx.method === 'DELETE' && key !== undefined) {
      const at = this.subs.findIndex((s) => s.Division === division && s.ID === key);
      if (at < 0) throw new HttpError(404, 'Not found');
      this.subs.splice(at, 1);
      return { status: 204, headers: {}, body: undefined };
    }
    if (ctx.method === 'PUT') throw new HttpError(400, "You're not allowed to Update() a webhook");
    throw new HttpError(405, 'Method not allowed');
  }

  private async subscribe(ctx: ApiContext, division: number): Promise<Reply> {
    const body = parseJsonBody(ctx.rawBody);
    const callback = typeof body.CallbackURL === 'string' ? body.CallbackURL : '';
    const topic = typeof body.Topic === 'string' ? body.Topic : '';
    if (!callback) throw new HttpError(500, 'Mandatory: CallbackURL');
    if (!topic) throw new HttpError(500, 'Mandatory: Topic');
    if (!TOPICS.has(topic)) throw new HttpError(500, `Invalid: Topic ${topic.slice(0, 40)}`); // [choice] text
    this.checkCallback(callback);
    await sleep(this.cfg.validationDelayMs ?? 1000);
    const status = await post(callback, '');
    if (status < 200 || status > 299)
      throw new HttpError(500, `Error 500: Invalid: Post to callback URL endpoint returns ${status || 500}`);
    const sub: WebhookSubscription = {
      ID: randomUUID(),
      CallbackURL: callback,
      ClientID: this.cfg.clientId,
      Created: this.now(),
      Creator: ctx.user.UserID,
      Description: typeof body.Description === 'string' ? body.Description : null,
      Division: division,
      IsInstant: false,
      Topic: topic,
      UserID: ctx.user.UserID,
    };
    this.subs.push(sub);
    return json(201, { d: this.wire(sub) });
  }

  /** [choice] texts: Exact's own for these refusals are not documented. */
  private checkCallback(callback: string): void {
    if (!URL.canParse(callback)) throw new HttpError(500, 'Invalid: CallbackURL');
    const url = new URL(callback);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
      throw new HttpError(500, 'Invalid: CallbackURL must use https');
    const hosts = this.cfg.redirectUris.map((u) => new URL(u).hostname);
    if (!hosts.includes(url.hostname))
      throw new HttpError(500, 'Invalid: CallbackURL must be on the domain of the app’s redirect URL');
  }

  private wire = (s: WebhookSubscription) => ({
    __metadata: {
      uri: `${this.base()}/api/v1/${s.Division}/webhooks/WebhookSubscriptions(guid'${s.ID}')`,
      type: 'Exact.Web.Api.Models.Webhooks.WebhookSubscription',
    },
    ...s,
    Created: `/Date(${s.Created})/`,
  });

  /** An entity of `division` was created or changed: each subscription of that division and topic is called. */
  changed(division: number, topic: WebhookTopic, key: string, action: WebhookAction): void {
    for (const sub of this.subs.filter((s) => s.Division === division && s.Topic === topic)) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.deliver(sub, topic, key, action);
      }, this.cfg.deliveryDelayMs ?? 200);
      this.timers.add(t);
    }
  }

  /** A sales invoice of `division` was created or changed. */
  invoiceChanged(division: number, invoiceId: string, action: WebhookAction): void {
    this.changed(division, 'SalesInvoices', invoiceId, action);
  }

  private async deliver(
    sub: WebhookSubscription,
    topic: WebhookTopic,
    key: string,
    action: WebhookAction,
  ): Promise<void> {
    const content = JSON.stringify({
      Topic: topic,
      ClientId: sub.ClientID,
      Division: sub.Division,
      Action: action,
      Key: key,
      ExactOnlineEndpoint: `${this.base()}/api/v1/${sub.Division}/${ENDPOINTS[topic]}(guid'${key}')`,
      EventCreatedOn: new Date(this.now()).toISOString().replace('Z', ''),
    });
    const hash = createHmac('sha256', this.cfg.secret).update(content, 'utf8').digest('hex').toUpperCase();
    const record: WebhookDelivery = {
      at: this.now(),
      division: sub.Division,
      topic,
      action,
      key,
      callbackUrl: sub.CallbackURL,
      status: 0,
    };
    this.log.push(record);
    record.status = await post(sub.CallbackURL, `{"Content":${content},"HashCode":"${hash}"}`);
  }
}

/** The HTTP status of a POST, 0 when none came back. */
async function post(url: string, body: string): Promise<number> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: body ? { 'content-type': 'application/json' } : {},
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  } catch {
    return 0;
  }
}
