/**
 * `npm run bench [-- --json]`: the whole pipeline in one process against the sandboxes, with a latency
 * model for Exact and Dataverse. Phases: (1) single-event path at real speed, webhooks through the real
 * HTTP host; (2) sweep path on a compressed clock, at Exact's minutely limit; (3) webhook acknowledgement
 * under an open-loop load; (4) cold start of the functions bundle in fresh processes; (5) memory growth
 * under a 1 GiB POST without a key (bench/bodyCap.ts).
 * Figures are reported against the targets of issue 7, never asserted. See docs/PERFORMANCE.md.
 */
import '../src/local/quietTestMode';
import os from 'node:os';
import { requestSweeps } from '../functions/sweep';
import { randomUUID } from 'node:crypto';
import { setRuntime } from '../src/composition/runtime';
import { createLogger } from '../src/composition/log';
import type { DispatchLine } from '../src/app/dispatch';
import { startLocalStack } from '../src/local/stack';
import { startHttpHost } from '../src/local/httpHost';
import { loadFunctionRoutes } from '../src/local/routes';
import { buildRemoteExecutionContext, invoiceCreatedEvent, serialiseLikeDataverse } from '../sandbox/seed/remoteExecutionContext';
import { CompressedClock } from './support/clock';
import { delayDataverseWebApi } from './support/latency';
import { buildLoadSeed, type LoadSeed } from './support/seed';
import { measureColdStart } from './support/coldStart';
import { measureBodyCap } from './bodyCap';
import { openLoop } from './support/webhookLoad';
import { parseFlags, peakRssMb, percentile, round } from './support/stats';
import { callsOf, rateUtilization, waitFor, type Window } from './support/measure';

const DEFAULTS = {
  json: false,
  events: 30,
  eventDivisions: 3,
  eventIntervalMs: 1000,
  divisions: 2,
  invoices: 300,
  factor: 5,
  exactLatency: 120,
  dataverseLatency: 40,
  webhookRate: 200,
  webhookSeconds: 10,
  coldStartRuns: 5,
};

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2), DEFAULTS);
  const say = (line: string) => (f.json ? undefined : console.log(line));
  const clock = new CompressedClock(1);
  const today = new Date();
  const eventSeed = buildLoadSeed({ divisions: f.eventDivisions, invoicesPerDivision: Math.ceil(f.events / f.eventDivisions), rowShare: 1, today, firstDivision: 300001 });
  const sweepSeed = buildLoadSeed({ divisions: f.divisions, invoicesPerDivision: f.invoices, rowShare: 0.5, today, firstDivision: 400001 });
  const seed = merge(eventSeed, sweepSeed);

  const restoreHttp = delayDataverseWebApi(() => clock.real(f.dataverseLatency));
  const sent = new Map<string, number>();
  const onDispatch = (line: DispatchLine) => {
    // Processed through AutoInvoice's print: sent, or (paper) on the print list.
    if ((line.outcome === 'sent' || line.outcome === 'printList') && !sent.has(line.invoiceId)) sent.set(line.invoiceId, performance.now());
  };
  say('bench: starting Azurite and the sandboxes …');
  const stack = await startLocalStack({
    customSeed: seed,
    exactClock: clock,
    exactSleep: clock.sleep,
    log: createLogger((_l, line) => process.stderr.write(`${line}\n`), 'error'),
    onDispatch,
  });
  restoreHttp();
  const host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
  const dv = stack.dataverse.get('demo')!;
  const tenant = stack.tenants[0]!;
  const webhookUrl = `${host.url}/api/dataverse/webhook`;
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-autoinvoice-key': tenant.webhookSecret };
  const window = (): Window => ({ exact: stack.exact.requests().length, prints: stack.exact.prints().length, dataverse: dv.requests().length });

  // 1. Single-event path: one webhook per invoice, spread so the Exact budget is never the bottleneck.
  stack.exact.setLatency(f.exactLatency);
  say(`bench: event path — ${eventSeed.invoices.length} webhooks, one every ${f.eventIntervalMs / f.eventDivisions} ms …`);
  const w1 = window();
  const posted = new Map<string, number>();
  const events = interleave(eventSeed);
  for (const inv of events) {
    const row = dv.row('eol_salesinvoices', inv.rowId!)!;
    posted.set(inv.exactInvoiceId, performance.now());
    const res = await fetch(webhookUrl, { method: 'POST', headers, body: serialiseLikeDataverse(invoiceCreatedEvent(tenant.organizationId, row)) });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
    await new Promise((r) => setTimeout(r, f.eventIntervalMs / f.eventDivisions));
  }
  await waitFor(() => events.every((i) => sent.has(i.exactInvoiceId)), 120_000, 'event-path invoices sent');
  await stack.queue.idle();
  const event = callsOf(stack, dv, w1, window(), eventSeed.divisions.map((d) => d.division));
  const eventLatency = events.map((i) => sent.get(i.exactInvoiceId)! - posted.get(i.exactInvoiceId)!);

  // 2. Sweep path on a compressed clock: the sweep finds every open invoice and dispatches in batches.
  clock.setFactor(f.factor);
  stack.exact.setLatency(clock.real(f.exactLatency));
  say(`bench: sweep path — ${sweepSeed.invoices.length} invoices in ${f.divisions} administrations, clock ×${f.factor} …`);
  const w2 = window();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rt = stack.runtime;
  // As the timer asks: one sweep request per administration, swept by the worker on its session.
  await requestSweeps(rt, () => ({ run: true, full: false }));
  await waitFor(() => sweepSeed.invoices.every((i) => sent.has(i.exactInvoiceId)), 30 * 60_000, 'sweep-path invoices sent');
  await stack.queue.idle();
  const cpu = process.cpuUsage(cpu0);
  const sweepRealSeconds = (performance.now() - t0) / 1000;
  const sweepDivisions = sweepSeed.divisions.map((d) => d.division);
  const sweep = callsOf(stack, dv, w2, window(), sweepDivisions);
  const rate = rateUtilization(stack.exact.requests().slice(w2.exact), sweepDivisions, 60);

  // 3. Webhook acknowledgement: Update events at a fixed rate against the real HTTP host, workers running.
  clock.setFactor(1);
  stack.exact.setLatency(f.exactLatency);
  const n = Math.round(f.webhookRate * f.webhookSeconds);
  say(`bench: webhook acknowledgement — ${n} requests at ${f.webhookRate}/s …`);
  const bodies = Array.from({ length: n }, (_, i) => {
    const inv = events[i % events.length]!;
    return serialiseLikeDataverse(
      buildRemoteExecutionContext({ organizationId: tenant.organizationId, entityId: inv.rowId!, messageName: 'Update', attributes: { eol_invoicedate: new Date(Date.UTC(2030, 0, 1 + (i % 300))) } }),
    );
  });
  // 3a. The webhook alone: its enqueue lands in a counting queue, as a Service Bus send leaves the
  // dispatch to whichever instance takes the session. 3b. Local mode as is: the same event loop also runs
  // the dispatch of every accepted event.
  let enqueued = 0;
  setRuntime({ ...stack.runtime, queue: { enqueue: async () => void enqueued++ } });
  const alone = await openLoop(webhookUrl, bodies, headers, f.webhookRate);
  setRuntime(stack.runtime);
  const load = await openLoop(webhookUrl, bodies.map((b) => b.replace(/"OperationId":"[^"]+"/, `"OperationId":"${randomUUID()}"`)), headers, f.webhookRate);

  // 4. Cold start of the functions bundle.
  say(`bench: cold start — ${f.coldStartRuns} fresh node processes …`);
  const cold = measureColdStart(f.coldStartRuns);
  say('bench: 1 GiB POST without a key …');
  const bodyCap = await measureBodyCap(host.url);
  const http429 = stack.exact.requests().filter((r) => r.status === 429).length;
  const totalInvoices = event.sent + sweep.sent;

  const result = {
    exactCallsPerInvoiceSweep: round(sweep.exactCalls / sweep.sent, 3),
    exactCallsPerInvoiceEvent: round(event.exactCalls / event.sent, 3),
    dataverseCallsPerInvoice: round((event.dataverseCalls + sweep.dataverseCalls) / totalInvoices, 2),
    dataverseCallsPerInvoiceEvent: round(event.dataverseCalls / event.sent, 2),
    dataverseCallsPerInvoiceSweep: round(sweep.dataverseCalls / sweep.sent, 2),
    rateUtilization: round(rate.fullWindows, 3),
    rateUtilizationOverall: round(rate.overall, 3),
    minuteWindowsMeasured: rate.windows,
    http429,
    eventToSentP50Ms: round(percentile(eventLatency, 50), 0),
    eventToSentP95Ms: round(percentile(eventLatency, 95), 0),
    webhookAckP50Ms: round(percentile(alone.latenciesMs, 50), 1),
    webhookAckP99Ms: round(percentile(alone.latenciesMs, 99), 1),
    webhookAckMaxMs: round(Math.max(...alone.latenciesMs), 1),
    webhookRequests: n,
    webhookStatuses: alone.statuses,
    webhookEnqueued: enqueued,
    webhookAchievedRate: round(alone.achievedRate, 1),
    webhookWithWorkersAckP50Ms: round(percentile(load.latenciesMs, 50), 1),
    webhookWithWorkersAckP99Ms: round(percentile(load.latenciesMs, 99), 1),
    webhookWithWorkersStatuses: load.statuses,
    cpuMsPerInvoice: round((cpu.user + cpu.system) / 1000 / sweep.sent, 2),
    peakRssMb: peakRssMb(),
    coldStartMs: round(cold.requireMs, 0),
    coldStartProcessMs: round(cold.processMs, 0),
    bodyCap,
    invoicesSent: { event: event.sent, sweep: sweep.sent },
    sweepRealSeconds: round(sweepRealSeconds, 1),
    model: { exactLatencyMs: f.exactLatency, dataverseLatencyMs: f.dataverseLatency, clockFactorSweep: f.factor, minutelyLimit: 60 },
    machine: { nproc: os.availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}` },
  };
  await host.close();
  await stack.stop();
  if (f.json) console.log(JSON.stringify(result));
  else printReport(result);
  process.exit(0);
}

function merge(a: LoadSeed, b: LoadSeed): { exact: LoadSeed['exact']; dataverse: LoadSeed['dataverse'] } {
  const dataverse: LoadSeed['dataverse'] = {};
  for (const s of [a.dataverse, b.dataverse]) for (const [set, rows] of Object.entries(s)) dataverse[set] = [...(dataverse[set] ?? []), ...rows];
  return { exact: { divisions: [...a.exact.divisions, ...b.exact.divisions] }, dataverse };
}

/** Round-robin over the administrations, so consecutive events hit different Exact budgets. */
function interleave(seed: LoadSeed): LoadSeed['invoices'] {
  const byDivision = seed.divisions.map((d) => seed.invoices.filter((i) => i.division === d.division));
  const out: LoadSeed['invoices'] = [];
  for (let i = 0; out.length < seed.invoices.length; i++) for (const list of byDivision) if (list[i]) out.push(list[i]!);
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report object printed field by field
function printReport(r: Record<string, unknown> & { [k: string]: any }): void {
  const target = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');
  console.log(`
AutoInvoice benchmark (${r.machine.nproc} cores, node ${r.machine.node}; Exact ${r.model.exactLatencyMs} ms, Dataverse ${r.model.dataverseLatencyMs} ms)
  Exact calls per sent invoice, sweep path   ${r.exactCallsPerInvoiceSweep}   (≤ 1.05: ${target(r.exactCallsPerInvoiceSweep <= 1.05)})
  Exact calls per sent invoice, event path   ${r.exactCallsPerInvoiceEvent}   (≤ 2: ${target(r.exactCallsPerInvoiceEvent <= 2)})
  Dataverse calls per invoice                ${r.dataverseCallsPerInvoice}   (event ${r.dataverseCallsPerInvoiceEvent}, sweep ${r.dataverseCallsPerInvoiceSweep})
  Achieved rate ÷ minutely limit             ${r.rateUtilization}   (full windows: ${r.minuteWindowsMeasured}; overall ${r.rateUtilizationOverall}; ≥ 0.95: ${target(r.rateUtilization >= 0.95)})
  HTTP 429 from Exact                        ${r.http429}   (0: ${target(r.http429 === 0)})
  Event → sent latency p50 / p95             ${r.eventToSentP50Ms} / ${r.eventToSentP95Ms} ms
  Webhook ack p50 / p99 (max)                ${r.webhookAckP50Ms} / ${r.webhookAckP99Ms} (${r.webhookAckMaxMs}) ms at ${r.webhookAchievedRate}/s, ${JSON.stringify(r.webhookStatuses)}   (p99 < 50: ${target(r.webhookAckP99Ms < 50)})
  CPU per invoice (sweep path, whole process) ${r.cpuMsPerInvoice} ms
  Peak RSS (connector + sandboxes)           ${r.peakRssMb} MB
  Webhook ack, dispatch in the same process  ${r.webhookWithWorkersAckP50Ms} / ${r.webhookWithWorkersAckP99Ms} ms, ${JSON.stringify(r.webhookWithWorkersStatuses)}
  1 GiB POST without a key: RSS growth      ${r.bodyCap.rssGrowthMb} MB (answer ${r.bodyCap.status} after ${r.bodyCap.sentBeforeAnswerMb} MB sent, ${r.bodyCap.sentTotalMb} MB sent in all)   (< 50: ${target(r.bodyCap.rssGrowthMb < 50)})
  Cold start: require functions bundle       ${r.coldStartMs} ms (whole node process ${r.coldStartProcessMs} ms)
  Invoices sent                              ${r.invoicesSent.event} event path, ${r.invoicesSent.sweep} sweep path (${r.sweepRealSeconds} s real at clock ×${r.model.clockFactorSweep})
`);
}

main().catch((err: Error) => {
  console.error(`bench failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
