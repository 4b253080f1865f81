/**
 * The master-data sync summary `npm start` prints before it dispatches (issue 14 item 7): what came from
 * Exact — administrations, layouts, relations linked (by which rule) and unlinked (and why).
 */
import type { Connected } from '../app/connected';
import { summaryLines } from '../app/masterData';

export function syncReport(tenant: string, connected: Connected): string[] {
  const sync = connected.sync;
  if (sync.kind === 'skipped') return [`Master data from Exact (${tenant}): not synced (${sync.why})`];
  if (sync.kind === 'failed') return [`Master data from Exact (${tenant}): sync failed (${sync.error})`];
  return [`Master data from Exact (${tenant}):`, ...summaryLines(sync.summary).map((l) => `  ${l}`)];
}
