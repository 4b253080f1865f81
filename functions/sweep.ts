import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { AdministrationFacts } from '../src/domain/types';
import { sweepSlot } from '../src/app/sweep';
import { enqueueSweeps } from '../src/app/sweepRequests';
import { getRuntime, sweepDeps, type Runtime } from '../src/composition/runtime';
import { licenceStatus } from './operator';

/**
 * Sweep timer: ticks every 5 minutes; each administration is swept on its quarter hours and, fully,
 * at 00:05 in its own time zone (PRODUCT.md §3). The timer only asks: one sweep request per
 * administration goes onto that administration's session, and the dispatch worker sweeps it
 * (see src/app/sweepRequests.ts). One failing tenant does not stop the others.
 */
export async function sweep(_timer: Timer | null, context: InvocationContext): Promise<void> {
  const rt = await getRuntime();
  const now = rt.clock.now();
  await requestSweeps(
    rt,
    (a) => sweepSlot(now, a.timeZone),
    (line) => context.error(line),
  );
}

/** The timer's work for a slot rule; the local host asks the same way with "every administration, now". */
export async function requestSweeps(
  rt: Runtime,
  slot: (a: AdministrationFacts) => { run: boolean; full: boolean },
  reportError: (line: string) => void = () => undefined,
): Promise<void> {
  const now = rt.clock.now();
  for (const tenant of rt.tenants) {
    const licence = await licenceStatus(tenant, now).catch(() => ({}) as Record<string, unknown>);
    if (licence.notice) rt.log.warn(`licence ${tenant.name}: ${String(licence.notice)}`);
    try {
      const asked = await enqueueSweeps(sweepDeps(rt, tenant), slot);
      for (const a of asked) {
        const what = a.skipped ?? `${a.full ? 'full sweep' : 'sweep'} requested`;
        rt.log.info(`sweep ${tenant.name}/${a.administration.division} ${a.administration.name}: ${what}`);
      }
    } catch (err) {
      reportError(`sweep ${tenant.name} failed: ${(err as Error).message}`);
      rt.log.error(`sweep ${tenant.name} failed`, { error: err });
    }
  }
}

app.timer('sweep', { schedule: '%SweepSchedule%', handler: sweep });
