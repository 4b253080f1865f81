/**
 * What follows a consent that connected a tenant to Exact: the master data mirrored from Exact (PRODUCT.md §11:
 * administrations, layouts and relations; new administrations switched off), then the invoices that waited for
 * the connection resumed. A failing sync does not undo the connection: the daily sync tries again, and the
 * answer says why it failed. Then the administrations are subscribed to Exact's sales-invoice webhooks
 * (exactSubscriptions.ts); a failure there is logged and answered, never thrown: the sweep stays.
 */
import { syncTenant, type MasterDataPorts, type SyncSummary } from './masterData';
import { resumeAfterReconnect } from './reconnect';
import { subscribeInvoiceWebhooks, type SubscribeDeps, type Subscribed } from './exactSubscriptions';

export type ConnectedSync =
  | { kind: 'synced'; summary: SyncSummary }
  | { kind: 'failed'; error: string }
  /** Not run on purpose (e.g. a sandbox Exact in front of a real Dataverse), and why. */
  | { kind: 'skipped'; why: string };

export interface Connected {
  sync: ConnectedSync;
  /** Invoices that had failed for the lost connection, dispatched again. */
  resumedInvoices: number;
  /** Exact's webhooks for sales invoices: null when the tenant has no webhook secret (the sweep only). */
  webhooks: Subscribed | { failed: string } | null;
}

export async function afterConnect(
  sync: MasterDataPorts | { skip: string },
  resume: Parameters<typeof resumeAfterReconnect>[0],
  subscribe: SubscribeDeps | null = null,
): Promise<Connected> {
  const result: ConnectedSync = 'skip' in sync ? { kind: 'skipped', why: sync.skip } : await runSync(sync);
  const resumedInvoices = await resumeAfterReconnect(resume);
  return { sync: result, resumedInvoices, webhooks: subscribe && (await subscribeSafely(subscribe)) };
}

async function subscribeSafely(deps: SubscribeDeps): Promise<Subscribed | { failed: string }> {
  try {
    return await subscribeInvoiceWebhooks(deps);
  } catch (err) {
    deps.warn(`exact webhook: not subscribed (${(err as Error).message}); the sweep finds new invoices`);
    return { failed: (err as Error).message };
  }
}

/** One tenant's sync as the daily timer and the connect callback run it: a failure is an answer, not a throw. */
export async function runSync(ports: MasterDataPorts): Promise<ConnectedSync> {
  try {
    return { kind: 'synced', summary: await syncTenant(ports) };
  } catch (err) {
    return { kind: 'failed', error: (err as Error).message };
  }
}
