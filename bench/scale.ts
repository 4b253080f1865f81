/**
 * `npm run bench -- --scale [--scale-divisions 200] [--scale-invoices 500] [--scale-factor 5]`: many
 * administrations with many open invoices, swept on a compressed clock, against the physical floor (each
 * administration prints at most 60 a minute; administrations in parallel). Then the idle sweep: the same
 * sweep when nothing changed, twice (the first after the drain still reads back invoice numbers).
 * Sessions run `--scale-sessions` at once (default: one per administration, as a scaled-out app would).
 * The sandboxes run in a child process: CPU and memory are the connector's own (decision 0101).
 */
import { requestSweeps } from '../functions/sweep';
import type { Runtime } from '../src/composition/runtime';
import { createLogger } from '../src/composition/log';
import type { DispatchLine } from '../src/app/dispatch';
import { DEMO_ORGANIZATION_ID } from '../sandbox/seed/demo';
import { CompressedClock } from './support/clock';
import { buildLoadSeed } from './support/seed';
import { waitFor } from './support/measure';
import { round } from './support/stats';
import { startSandboxes, type Sandboxes } from './support/sandboxes';
import { peppolIdsOf, REDIRECT_URI, startBenchStack, type BenchStack } from './support/benchStack';
import { cpuAndMemory, machine, meter, perInvoice } from './support/usage';
import type { BenchFlags } from './support/flags';

const MINUTELY = 60;

export async function runScale(f: BenchFlags): Promise<void> {
  const say = (line: string) => (f.json ? undefined : console.log(line));
  const clock = new CompressedClock(f.scaleFactor);
  const today = new Date();
  const opts = {
    divisions: f.scaleDivisions,
    invoicesPerDivision: f.scaleInvoices,
    rowShare: 0.5,
    firstDivision: 600001,
  };
  const seed = buildLoadSeed({ ...opts, today });
  const total = seed.invoices.length;
  say(
    `bench --scale: ${f.scaleDivisions} × ${f.scaleInvoices} = ${total} invoices, clock ×${f.scaleFactor} …`,
  );
  const sb = await startSandboxes(
    {
      seeds: [opts],
      today: today.toISOString(),
      organizationId: DEMO_ORGANIZATION_ID,
      redirectUri: REDIRECT_URI,
      clock: clock.state(),
      dataverseLatencyMs: f.dataverseLatency,
    },
    f.inProcess,
  );
  await sb.setLatency(clock.real(f.exactLatency));
  const sent = new Set<string>();
  const onDispatch = (line: DispatchLine) => {
    if (line.outcome === 'sent' || line.outcome === 'printList') sent.add(line.invoiceId);
  };
  const stack = await startBenchStack(sb, {
    organizationId: DEMO_ORGANIZATION_ID,
    redirectUri: REDIRECT_URI,
    today,
    exactClock: clock,
    exactSleep: clock.sleep,
    eventWindowMs: f.eventWindowMs,
    maxConcurrentSessions: f.scaleSessions || f.scaleDivisions,
    log: createLogger((_l, line) => process.stderr.write(`${line}\n`), 'error'),
    onDispatch,
    peppolIds: peppolIdsOf(seed),
  });
  const divisions = seed.divisions.map((d) => d.division);

  // The drain: one sweep request per administration, as the timer asks.
  const w = await sb.window();
  const m = await meter(stack, sb);
  const t0 = clock.nowMs();
  await requestSweeps(stack.runtime, () => ({ run: true, full: false }));
  await waitFor(() => sent.size >= total, 6 * 3600_000, 'every invoice sent');
  const drainMs = clock.nowMs() - t0;
  await stack.queue.idle();
  const usage = await cpuAndMemory(m, stack, sb);
  const calls = await sb.callsOf(w, await sb.window(), divisions);
  const rate = await sb.rate(w.exact, divisions, MINUTELY);
  const floorMs = (f.scaleInvoices / MINUTELY) * 60_000;

  // The idle sweep: nothing changed. Each one is a later timer tick (the sweep runs once per quarter hour).
  say('bench --scale: idle sweeps …');
  const idleAfterDrain = await idleSweep(stack, sb, divisions, 15 * 60_000);
  const idle = await idleSweep(stack, sb, divisions, 30 * 60_000);

  const result = {
    scale: {
      administrations: f.scaleDivisions,
      invoicesPerAdministration: f.scaleInvoices,
      invoices: total,
      invoicesSent: calls.sent,
      drainSeconds: round(drainMs / 1000, 1),
      floorSeconds: round(floorMs / 1000, 1),
      drainOverFloor: round(drainMs / floorMs, 3),
      drainRealSeconds: round(drainMs / f.scaleFactor / 1000, 1),
      http429: await sb.http429(),
      exactCallsPerInvoice: round(calls.exactCalls / calls.sent, 3),
      dataverseCallsPerInvoice: round(calls.dataverseCalls / calls.sent, 3),
      rateUtilization: round(rate.fullWindows, 3),
      ...perInvoice(usage, calls.sent, f.inProcess),
      queueScheduledPerInvoice: round(usage.queueScheduled / calls.sent, 3),
      sessionsAtOnce: f.scaleSessions || f.scaleDivisions,
      clockFactor: f.scaleFactor,
    },
    idleSweepAfterDrain: idleAfterDrain,
    idleSweep: idle,
    model: {
      exactLatencyMs: f.exactLatency,
      dataverseLatencyMs: f.dataverseLatency,
      minutelyLimit: MINUTELY,
    },
    machine: machine(),
  };
  await stack.stop();
  await sb.close();
  if (f.json) console.log(JSON.stringify(result));
  else printScale(result);
  process.exit(0);
}

/** One sweep of every administration at a later tick, per administration: Exact, Dataverse and storage calls. */
async function idleSweep(stack: BenchStack, sb: Sandboxes, divisions: number[], laterMs: number) {
  const later: Runtime = { ...stack.runtime, clock: { now: () => new Date(Date.now() + laterMs) } };
  const w = await sb.window();
  const before = stack.counters();
  await requestSweeps(later, () => ({ run: true, full: false }));
  await waitFor(
    () => stack.counters().queueCompleted - before.queueCompleted >= divisions.length,
    600_000,
    'idle sweeps done',
  );
  await stack.queue.idle();
  const after = stack.counters();
  const calls = await sb.callsOf(w, await sb.window(), divisions);
  const n = divisions.length;
  return {
    exactCallsPerAdministration: round(calls.exactCalls / n, 3),
    dataverseCallsPerAdministration: round(calls.dataverseCalls / n, 3),
    storageOpsPerAdministration: round((after.storage - before.storage) / n, 2),
    queueMessagesPerAdministration: round((after.queueSends - before.queueSends) / n, 2),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report object printed field by field
function printScale(r: Record<string, any>): void {
  const s = r.scale;
  const split = (whole: unknown, connector: unknown, sandboxes: unknown, unit: string) =>
    connector === null
      ? `${whole} ${unit} (whole process)`
      : `${connector} ${unit} connector alone (sandboxes ${sandboxes}, sum ${whole})`;
  console.log(`
AutoInvoice scale run (${r.machine.nproc} cores, load ${r.machine.loadAverage.join(' ')}; ${s.administrations} administrations × ${s.invoicesPerAdministration} = ${s.invoices} invoices, clock ×${s.clockFactor}, ${s.sessionsAtOnce} sessions at once)
  Drain (sandbox time) vs physical floor     ${s.drainSeconds} s vs ${s.floorSeconds} s = ${s.drainOverFloor} × floor (≤ 1.2: ${s.drainOverFloor <= 1.2 ? 'meets target' : 'MISSES target'}); ${s.drainRealSeconds} s real
  HTTP 429 from Exact                        ${s.http429}
  Exact / Dataverse calls per invoice        ${s.exactCallsPerInvoice} / ${s.dataverseCallsPerInvoice}   (rate ÷ limit, full minutes: ${s.rateUtilization})
  CPU per invoice                            ${split(s.cpuMsPerInvoice, s.cpuMsPerInvoiceConnector, s.cpuMsPerInvoiceSandboxes, 'ms')}
  Peak RSS                                   ${split(s.peakRssMb, s.peakRssMbConnector, s.peakRssMbSandboxes, 'MB')}
  Table Storage requests per invoice         ${s.storageOpsPerInvoice}
  Queue messages / deliveries per invoice    ${s.queueMessagesPerInvoice} / ${s.queueDeliveriesPerInvoice}
  Idle sweep right after the drain           ${JSON.stringify(r.idleSweepAfterDrain)}
  Idle sweep (nothing changed)               ${JSON.stringify(r.idleSweep)}   (Exact ≤ 1 per administration: ${r.idleSweep.exactCallsPerAdministration <= 1 ? 'meets target' : 'MISSES target'})
`);
}
