/**
 * After a consent connected a tenant (decision 0127): every administration the tenant mirrors is subscribed to
 * Exact's SalesInvoices webhook at the connector's callback, once, and to Accounts (decision 0155: with both,
 * a recent read of an invoice or an account may stand in for another before printing). Each subscription that
 * exists is noted in the change log, which is what lets an instance reuse a read. Listing first keeps a second connect from
 * adding a second subscription (Exact has no update, and nothing says it refuses a duplicate). A division that
 * fails is reported and the others go on: the sweep stays the backstop, so a failed subscription never fails
 * the connect.
 */
import type { Clock, TenantDirectory } from './ports';
import { ACCOUNT_TOPIC, INVOICE_TOPIC, type ExactChangeLog } from './recentReads';

/** Exact's `webhooks/WebhookSubscriptions` of one connection. */
export interface ExactWebhookSubscriptions {
  list(division: number): Promise<Array<{ callbackUrl: string; topic: string }>>;
  subscribe(division: number, callbackUrl: string, topic: string): Promise<void>;
}

export interface SubscribeDeps {
  webhooks: ExactWebhookSubscriptions;
  directory: TenantDirectory;
  /** The tenant's callback, e.g. `https://<app>/api/exact/webhook?tenant=<name>`. */
  callbackUrl: string;
  /** Where each subscription that exists is noted (absent: nothing is reused). */
  changes?: { log: ExactChangeLog; tenantId: string; clock: Clock };
  /** Where a division that could not be subscribed is reported. */
  warn(line: string): void;
}

export interface Subscribed {
  subscribed: number[];
  already: number[];
  failed: Array<{ division: number; error: string }>;
}

export async function subscribeInvoiceWebhooks(deps: SubscribeDeps): Promise<Subscribed> {
  const out: Subscribed = { subscribed: [], already: [], failed: [] };
  const divisions = [...new Set((await deps.directory.administrations()).map((a) => a.division))];
  for (const division of divisions) {
    try {
      const existing = await deps.webhooks.list(division);
      const has = (topic: string) =>
        existing.some((s) => s.topic === topic && sameCallback(s.callbackUrl, deps.callbackUrl));
      if (has(INVOICE_TOPIC)) out.already.push(division);
      else {
        await deps.webhooks.subscribe(division, deps.callbackUrl, INVOICE_TOPIC);
        out.subscribed.push(division);
      }
      await noted(deps, division, INVOICE_TOPIC);
      await alsoAccounts(deps, division, has(ACCOUNT_TOPIC));
    } catch (err) {
      out.failed.push({ division, error: (err as Error).message });
      deps.warn(
        `exact webhook: division ${division} not subscribed (${(err as Error).message}); the sweep finds its invoices`,
      );
    }
  }
  return out;
}

/** Accounts as well; a refusal there only means accounts are read before every print, as without webhooks. */
async function alsoAccounts(deps: SubscribeDeps, division: number, exists: boolean): Promise<void> {
  try {
    if (!exists) await deps.webhooks.subscribe(division, deps.callbackUrl, ACCOUNT_TOPIC);
    await noted(deps, division, ACCOUNT_TOPIC);
  } catch (err) {
    deps.warn(
      `exact webhook: division ${division} not subscribed to Accounts (${(err as Error).message}); accounts are read before every print`,
    );
  }
}

async function noted(deps: SubscribeDeps, division: number, topic: string): Promise<void> {
  const c = deps.changes;
  if (c) await c.log.subscribed(c.tenantId, division, topic, c.clock.now());
}

/** Exact may hand a URL back normalised (host case, a trailing slash): compared as URLs. */
function sameCallback(a: string, b: string): boolean {
  const norm = (u: string) => (URL.canParse(u) ? new URL(u).href.replace(/\/(?=\?|$)/, '') : u);
  return norm(a) === norm(b);
}
