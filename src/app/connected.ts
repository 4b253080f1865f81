/**
 * What follows a consent that connected a tenant to Exact: the master data mirrored from Exact (PRODUCT.md §11:
 * administrations, layouts and relations; new administrations switched off), then the invoices that waited for
 * the connection resumed. A failing sync does not undo the connection: the daily sync tries again, and the
 * answer says why it failed.
 */
import { syncTenant, type MasterDataPorts, type SyncSummary } from './masterData';
import { resumeAfterReconnect } from './reconnect';

export type ConnectedSync =
  | { kind: 'synced'; summary: SyncSummary }
  | { kind: 'failed'; error: string }
  /** Not run on purpose (e.g. a sandbox Exact in front of a real Dataverse), and why. */
  | { kind: 'skipped'; why: string };

export interface Connected {
  sync: ConnectedSync;
  /** Invoices that had failed for the lost connection, dispatched again. */
  resumedInvoices: number;
}

export async function afterConnect(
  sync: MasterDataPorts | { skip: string },
  resume: Parameters<typeof resumeAfterReconnect>[0],
): Promise<Connected> {
  const result: ConnectedSync = 'skip' in sync ? { kind: 'skipped', why: sync.skip } : await runSync(sync);
  return { sync: result, resumedInvoices: await resumeAfterReconnect(resume) };
}

/** One tenant's sync as the daily timer and the connect callback run it: a failure is an answer, not a throw. */
export async function runSync(ports: MasterDataPorts): Promise<ConnectedSync> {
  try {
    return { kind: 'synced', summary: await syncTenant(ports) };
  } catch (err) {
    return { kind: 'failed', error: (err as Error).message };
  }
}
