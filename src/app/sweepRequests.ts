import type { AdministrationFacts } from '../domain/types';
import type { Clock, DispatchQueue, TenantDirectory } from './ports';
import type { TenantContext } from './dispatch';
import { enqueueSweep as enqueueSweepRequest, sweepRequest } from './requests';

/** The sweep timer ticks every 5 minutes: requests of one tick share an id, so overlapping timers collapse. */
const TICK_MS = 5 * 60_000;

export interface SweepRequestDeps {
  tenant: TenantContext;
  directory: TenantDirectory;
  queue: DispatchQueue;
  clock: Clock;
}

/**
 * The timer's share of the sweep: one request per administration whose slot it is, on that
 * administration's session. The worker that takes it sweeps the administration (`sweepOneAdministration`)
 * and enqueues its batches behind it on the same session. So a sweep spends an administration's Exact
 * budget with the one consumer that owns it, a crash mid-sweep is redelivered like any message, and
 * administrations are swept in parallel across instances.
 */
export async function enqueueSweeps(
  deps: SweepRequestDeps,
  slot: (a: AdministrationFacts) => { run: boolean; full: boolean },
): Promise<Array<{ administration: AdministrationFacts; full: boolean; skipped?: string }>> {
  const now = deps.clock.now();
  const tick = new Date(Math.floor(now.getTime() / TICK_MS) * TICK_MS).toISOString();
  const out: Array<{ administration: AdministrationFacts; full: boolean; skipped?: string }> = [];
  for (const admin of await deps.directory.administrations()) {
    const { run, full } = slot(admin);
    if (!run) continue;
    if (!admin.printInvoices) {
      out.push({
        administration: admin,
        full,
        skipped: 'auto-invoice switched off (eol_printinvoices = no)',
      });
      continue;
    }
    // One administration's failed send must not cost the others their sweep this tick.
    try {
      await enqueueSweep(deps, admin, full, now, tick);
      out.push({ administration: admin, full });
    } catch (err) {
      out.push({ administration: admin, full, skipped: `sweep request not sent: ${(err as Error).message}` });
    }
  }
  return out;
}

async function enqueueSweep(
  deps: SweepRequestDeps,
  admin: AdministrationFacts,
  full: boolean,
  now: Date,
  tick: string,
): Promise<void> {
  await enqueueSweepRequest(deps.queue, sweepRequest(deps.tenant.tenantId, admin, full, now), tick);
}
