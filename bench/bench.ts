/**
 * `npm run bench [-- --json]`: the connector against the sandboxes, with a latency model for Exact and
 * Dataverse. The sandboxes run in a child process (`--in-process`: in this one, as before), so the CPU and
 * memory figures are the connector's own, next to the sandboxes' and their sum (decision 0101). Phases:
 * (1) event path at real speed, webhooks through the real HTTP host, events coalescing in their window
 * (decision 0100), then a burst; (2) sweep path on a compressed clock, at Exact's minutely limit; (3) webhook
 * acknowledgement under an open-loop load; (4) cold start of the functions bundle; (5) memory growth under a
 * 1 GiB POST without a key. `--scale`: bench/scale.ts. Figures are reported, never asserted.
 * See docs/PERFORMANCE.md.
 */
import '../src/local/quietTestMode';
import { requestSweeps } from '../functions/sweep';
import { runSync } from '../src/app/connected';
import { randomUUID } from 'node:crypto';
import { masterDataPorts, setRuntime, sweepDeps } from '../src/composition/runtime';
import { sweepOneAdministration } from '../src/app/sweep';
import { createLogger } from '../src/composition/log';
import type { DispatchLine } from '../src/app/dispatch';
import { startHttpHost } from '../src/local/httpHost';
import { loadFunctionRoutes } from '../src/local/routes';
import { DEMO_ORGANIZATION_ID } from '../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  invoiceCreatedEvent,
  serialiseLikeDataverse,
} from '../sandbox/seed/remoteExecutionContext';
import { CompressedClock } from './support/clock';
import { buildLoadSeed, type LoadSeed } from './support/seed';
import { measureColdStart } from './support/coldStart';
import { measureBodyCap } from './bodyCap';
import { openLoop } from './support/webhookLoad';
import { parseFlags, percentile, round } from './support/stats';
import { waitFor } from './support/measure';
import { startSandboxes } from './support/sandboxes';
import { peppolIdsOf, REDIRECT_URI, startBenchStack } from './support/benchStack';
import { printReport } from './support/report';
import { cpuAndMemory, machine, meter, perInvoice } from './support/usage';
import { runScale } from './scale';
import { BENCH_DEFAULTS as DEFAULTS } from './support/flags';

/** The bench app's Exact webhook secret (the sandbox signs with it, the connector verifies). */
const EXACT_WEBHOOK_SECRET = 'bench-exact-webhook-secret';

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2), DEFAULTS);
  if (f.scale) return runScale(f);
  const say = (line: string) => (f.json ? undefined : console.log(line));
  const clock = new CompressedClock(1);
  const today = new Date();
  const perEventDivision = Math.ceil(f.events / f.eventDivisions) + f.burst;
  const eventOpts = {
    divisions: f.eventDivisions,
    invoicesPerDivision: perEventDivision,
    rowShare: 1,
    firstDivision: 300001,
  };
  const sweepOpts = {
    divisions: f.divisions,
    invoicesPerDivision: f.invoices,
    rowShare: 0.5,
    firstDivision: 400001,
  };
  // Administrations on the Dynamics route: only their email invoices are posted (the route's own figures).
  const mailOpts = {
    divisions: f.mailDivisions,
    invoicesPerDivision: Math.ceil((3 * f.mailInvoices) / f.mailDivisions),
    rowShare: 1,
    firstDivision: 500001,
    dynamicsDivisions: f.mailDivisions,
  };
  const mailSeed = buildLoadSeed({ ...mailOpts, today });
  const eventSeed = buildLoadSeed({ ...eventOpts, today });
  const sweepSeed = buildLoadSeed({ ...sweepOpts, today });

  say(`bench: starting Azurite and the sandboxes (${f.inProcess ? 'in this process' : 'child process'}) …`);
  // The host first: with Exact's webhooks on, the callback is on the redirect URI's origin (decision 0155).
  const host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
  const redirectUri = f.noExactWebhooks ? REDIRECT_URI : `${host.url}/api/exact/callback`;
  const exactWebhookSecret = f.noExactWebhooks ? undefined : EXACT_WEBHOOK_SECRET;
  const sb = await startSandboxes(
    {
      seeds: [eventOpts, sweepOpts, mailOpts],
      today: today.toISOString(),
      organizationId: DEMO_ORGANIZATION_ID,
      redirectUri,
      ...(exactWebhookSecret ? { exactWebhookSecret } : {}),
      clock: clock.state(),
      dataverseLatencyMs: f.dataverseLatency,
    },
    f.inProcess,
  );
  const speed = async (factor: number) => {
    clock.setFactor(factor);
    await sb.setClock(clock.state());
  };
  const sent = new Map<string, number>();
  const mailed = new Set<string>();
  const onDispatch = (line: DispatchLine) => {
    if (line.outcome === 'sent' && line.channel === 'email') mailed.add(line.invoiceId);
    // Processed through AutoInvoice's print: sent, or (paper) on the print list.
    if ((line.outcome === 'sent' || line.outcome === 'printList') && !sent.has(line.invoiceId))
      sent.set(line.invoiceId, performance.now());
  };
  const stack = await startBenchStack(sb, {
    organizationId: DEMO_ORGANIZATION_ID,
    redirectUri,
    ...(exactWebhookSecret ? { exactWebhookSecret } : {}),
    today,
    exactClock: clock,
    exactSleep: clock.sleep,
    eventWindowMs: f.eventWindowMs,
    log: createLogger((_l, line) => process.stderr.write(`${line}\n`), 'error'),
    onDispatch,
    peppolIds: peppolIdsOf(eventSeed, sweepSeed, mailSeed),
  });
  const webhookUrl = `${host.url}/api/dataverse/webhook`;
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'x-autoinvoice-key': stack.tenant.webhookSecret,
  };
  const post = async (inv: LoadSeed['invoices'][number]) => {
    const row = (await sb.row('eol_salesinvoices', inv.rowId!))!;
    const body = serialiseLikeDataverse(invoiceCreatedEvent(stack.tenant.organizationId, row));
    const res = await fetch(webhookUrl, { method: 'POST', headers, body });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
  };
  const eventDivisions = eventSeed.divisions.map((d) => d.division);

  // 1a. Event path: one webhook per invoice, each administration at one event per eventIntervalMs.
  await sb.setLatency(f.exactLatency);
  const paced = interleave(eventSeed).slice(0, f.events);
  say(
    `bench: event path — ${paced.length} webhooks, one every ${f.eventIntervalMs / f.eventDivisions} ms, window ${f.eventWindowMs} ms …`,
  );
  const w1 = await sb.window();
  const posted = new Map<string, number>();
  for (const inv of paced) {
    posted.set(inv.exactInvoiceId, performance.now());
    await post(inv);
    await new Promise((r) => setTimeout(r, f.eventIntervalMs / f.eventDivisions));
  }
  await waitFor(() => paced.every((i) => sent.has(i.exactInvoiceId)), 120_000, 'event-path invoices sent');
  await stack.queue.idle();
  const event = await sb.callsOf(w1, await sb.window(), eventDivisions);
  const eventLatency = paced.map((i) => sent.get(i.exactInvoiceId)! - posted.get(i.exactInvoiceId)!);

  // 1b. A burst: `burst` events per administration at once (one window).
  const burst = eventSeed.invoices.filter((i) => !posted.has(i.exactInvoiceId));
  say(`bench: event burst — ${burst.length} webhooks at once over ${f.eventDivisions} administrations …`);
  const w1b = await sb.window();
  await Promise.all(burst.map(post));
  await waitFor(() => burst.every((i) => sent.has(i.exactInvoiceId)), 120_000, 'burst invoices sent');
  await stack.queue.idle();
  const bursted = await sb.callsOf(w1b, await sb.window(), eventDivisions);

  // 1c. The Dynamics route (issue 15): print without sending, Exact's PDF, the email made, attached and
  // handed to server-side sync, then settled on its status (the connector looks again a minute later).
  // (The seed's mailbox modes are the chaos run's: here server-side sync sends every email.)
  const mailPath = interleave(mailSeed)
    .filter((i) => i.mailbox !== null)
    .slice(0, f.mailInvoices);
  say(`bench: Dynamics route — ${mailPath.length} webhooks, emails sent by Dynamics 365 (≈ 1 min) …`);
  const w1c = await sb.window();
  for (const inv of mailPath) await post(inv);
  await waitFor(
    () => mailPath.every((i) => mailed.has(i.exactInvoiceId)),
    180_000,
    'Dynamics-route invoices sent',
  );
  await stack.queue.idle();
  const mailCalls = await sb.callsOf(
    w1c,
    await sb.window(),
    mailSeed.divisions.map((d) => d.division),
  );

  // A day's master-data sync with nothing changed since the connect (issue 14: the sweep path's figure is "sync
  // and account checks included"): its Exact calls in the sweep administrations go into
  // `exactCallsPerInvoiceSweepWithSync`, beside the sweep's own figure (decision 0132).
  const sweepDivisions = sweepSeed.divisions.map((d) => d.division);
  const wSync = await sb.window();
  const daily = await runSync(masterDataPorts(stack.runtime.tenants.find((t) => t.name === 'bench')!));
  const syncCalls = await sb.callsOf(wSync, await sb.window(), sweepDivisions);

  // 2. Sweep path on a compressed clock: the sweep finds every open invoice and dispatches in batches.
  await speed(f.factor);
  await sb.setLatency(clock.real(f.exactLatency));
  say(
    `bench: sweep path — ${sweepSeed.invoices.length} invoices in ${f.divisions} administrations, clock ×${f.factor} …`,
  );
  const w2 = await sb.window();
  const m2 = await meter(stack, sb);
  const peppol0 = stack.peppolLookups();
  const t0 = performance.now();
  // As the timer asks: one sweep request per administration, swept by the worker on its session.
  await requestSweeps(stack.runtime, () => ({ run: true, full: false }));
  await waitFor(
    () => sweepSeed.invoices.every((i) => sent.has(i.exactInvoiceId)),
    30 * 60_000,
    'sweep-path invoices sent',
  );
  await stack.queue.idle();
  const sweepUsage = await cpuAndMemory(m2, stack, sb);
  const peppolLookups = stack.peppolLookups() - peppol0;
  // Distinct participant identifiers asked for: a Peppol id, or an automatic relation's KvK, OIN or VAT.
  const peppolReceivers = new Set(stack.peppolNames().slice(peppol0)).size;
  const sweepRealSeconds = (performance.now() - t0) / 1000;
  const sweep = await sb.callsOf(w2, await sb.window(), sweepDivisions);
  const rate = await sb.rate(w2.exact, sweepDivisions, 60);
  // The next quarter-hour sweep: its listing, and the invoice numbers of the prints no status call carried.
  // (Run directly: a request in the same 5-minute tick would collapse into the first one.)
  const w2b = await sb.window();
  const benchTenant = stack.runtime.tenants.find((t) => t.name === 'bench')!;
  const next = sweepDeps(stack.runtime, benchTenant);
  for (const a of await next.directory.administrations())
    if (sweepDivisions.includes(a.division)) await sweepOneAdministration(next, a.id, false);
  await stack.queue.idle();
  const readBack = await sb.callsOf(w2b, await sb.window(), sweepDivisions);

  // 3. Webhook acknowledgement: Update events at a fixed rate against the real HTTP host, workers running.
  await speed(1);
  await sb.setLatency(f.exactLatency);
  const n = Math.round(f.webhookRate * f.webhookSeconds);
  say(`bench: webhook acknowledgement — ${n} requests at ${f.webhookRate}/s …`);
  const bodies = Array.from({ length: n }, (_, i) => {
    const inv = paced[i % paced.length]!;
    return serialiseLikeDataverse(
      buildRemoteExecutionContext({
        organizationId: stack.tenant.organizationId,
        entityId: inv.rowId!,
        messageName: 'Update',
        attributes: { eol_invoicedate: new Date(Date.UTC(2030, 0, 1 + (i % 300))) },
      }),
    );
  });
  // 3a. The webhook alone: its enqueue lands in a counting queue, as a Service Bus send leaves the
  // dispatch to whichever instance takes the session. 3b. Local mode as is: the same event loop also runs
  // the dispatch of every accepted event.
  let enqueued = 0;
  setRuntime({ ...stack.runtime, queue: { enqueue: async () => void enqueued++ } });
  const alone = await openLoop(webhookUrl, bodies, headers, f.webhookRate);
  setRuntime(stack.runtime);
  const load = await openLoop(
    webhookUrl,
    bodies.map((b) => b.replace(/"OperationId":"[^"]+"/, `"OperationId":"${randomUUID()}"`)),
    headers,
    f.webhookRate,
  );

  // 4. Cold start of the functions bundle.
  say(`bench: cold start — ${f.coldStartRuns} fresh node processes …`);
  const cold = measureColdStart(f.coldStartRuns);
  say('bench: 1 GiB POST without a key …');
  const bodyCap = await measureBodyCap(host.url);
  const http429 = await sb.http429();
  const eventSent = event.sent + bursted.sent;
  const totalInvoices = eventSent + sweep.sent;

  const result = {
    exactCallsPerInvoiceSweep: round(sweep.exactCalls / sweep.sent, 3),
    // The sweep path with a day's master-data sync of its administrations (issue 14's ≤ 1.05 figure).
    exactCallsPerInvoiceSweepWithSync: round((sweep.exactCalls + syncCalls.exactCalls) / sweep.sent, 3),
    dailySync: { kind: daily.kind, exactCallsSweepAdministrations: syncCalls.exactCalls },
    // Everything the sweep path costs for these invoices: the sweep, the next sweep (numbers read back)
    // and a day's master-data sync (decision 0152).
    exactCallsPerInvoiceSweepAll: round(
      (sweep.exactCalls + readBack.exactCalls + syncCalls.exactCalls) / sweep.sent,
      3,
    ),
    nextSweep: {
      exactCalls: readBack.exactCalls,
      byKind: readBack.exactCallsByKind,
      dataverseCalls: readBack.dataverseCalls,
    },
    // Peppol lookups that reached the network on the sweep path (the cache answers the rest): issue 16.
    peppolLookupsPerInvoiceSweep: round(peppolLookups / sweep.sent, 3),
    peppolLookupsPerReceiverSweep: round(peppolLookups / Math.max(1, peppolReceivers), 3),
    exactCallsPerInvoiceEvent: round(event.exactCalls / event.sent, 3),
    exactCallsPerInvoiceEventBurst: round(bursted.exactCalls / bursted.sent, 3),
    exactCallsEvent: event.exactCallsByKind,
    dataverseCallsEvent: event.dataverseCallsByKind,
    // The Dynamics route: print (without sending), the document and its PDF, and the shared reads.
    exactCallsPerInvoiceDynamicsRoute: round(mailCalls.exactCalls / mailPath.length, 3),
    dataverseCallsPerInvoiceDynamicsRoute: round(mailCalls.dataverseCalls / mailPath.length, 2),
    exactCallsDynamicsRoute: mailCalls.exactCallsByKind,
    dataverseCallsDynamicsRoute: mailCalls.dataverseCallsByKind,
    dataverseCallsPerInvoice: round(
      (event.dataverseCalls + bursted.dataverseCalls + sweep.dataverseCalls) / totalInvoices,
      2,
    ),
    dataverseCallsPerInvoiceEvent: round(event.dataverseCalls / event.sent, 2),
    dataverseCallsPerInvoiceEventBurst: round(bursted.dataverseCalls / bursted.sent, 2),
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
    ...perInvoice(sweepUsage, sweep.sent, f.inProcess),
    coldStartMs: round(cold.requireMs, 0),
    coldStartProcessMs: round(cold.processMs, 0),
    bodyCap,
    invoicesSent: {
      event: event.sent,
      eventBurst: bursted.sent,
      sweep: sweep.sent,
      dynamicsRoute: mailPath.filter((i) => mailed.has(i.exactInvoiceId)).length,
    },
    sweepRealSeconds: round(sweepRealSeconds, 1),
    model: {
      exactLatencyMs: f.exactLatency,
      dataverseLatencyMs: f.dataverseLatency,
      clockFactorSweep: f.factor,
      minutelyLimit: 60,
      eventWindowMs: f.eventWindowMs,
      sandboxes: f.inProcess ? 'in process' : 'child process',
    },
    machine: machine(),
  };
  await host.close();
  await stack.stop();
  await sb.close();
  if (f.json) console.log(JSON.stringify(result));
  else printReport(result);
  process.exit(0);
}

/** Round-robin over the administrations, so consecutive events hit different Exact budgets. */
function interleave(seed: LoadSeed): LoadSeed['invoices'] {
  const byDivision = seed.divisions.map((d) => seed.invoices.filter((i) => i.division === d.division));
  const out: LoadSeed['invoices'] = [];
  for (let i = 0; out.length < seed.invoices.length; i++)
    for (const list of byDivision) if (list[i]) out.push(list[i]!);
  return out;
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
  });
}
