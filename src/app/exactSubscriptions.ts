/**
 * After a consent connected a tenant (decision 0127): every administration the tenant mirrors is subscribed to
 * Exact's SalesInvoices webhook at the connector's callback, once. Listing first keeps a second connect from
 * adding a second subscription (Exact has no update, and nothing says it refuses a duplicate). A division that
 * fails is reported and the others go on: the sweep stays the backstop, so a failed subscription never fails
 * the connect.
 */
import type { TenantDirectory } from './ports';

export const INVOICE_TOPIC = 'SalesInvoices';

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
      if (existing.some((s) => s.topic === INVOICE_TOPIC && sameCallback(s.callbackUrl, deps.callbackUrl))) {
        out.already.push(division);
        continue;
      }
      await deps.webhooks.subscribe(division, deps.callbackUrl, INVOICE_TOPIC);
      out.subscribed.push(division);
    } catch (err) {
      out.failed.push({ division, error: (err as Error).message });
      deps.warn(
        `exact webhook: division ${division} not subscribed (${(err as Error).message}); the sweep finds its invoices`,
      );
    }
  }
  return out;
}

/** Exact may hand a URL back normalised (host case, a trailing slash): compared as URLs. */
function sameCallback(a: string, b: string): boolean {
  const norm = (u: string) => (URL.canParse(u) ? new URL(u).href.replace(/\/(?=\?|$)/, '') : u);
  return norm(a) === norm(b);
}
