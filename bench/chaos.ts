/**
 * `npm run chaos [-- --json] [--invoices 2000] …`: many invoices across many administrations and worker
 * instances, while everything goes wrong: duplicate and repeated deliveries, process crashes between any
 * two port calls, Exact 429s / 5xx / timeouts / answers lost after the print, token expiry with concurrent
 * refreshes (every worker has its own runtime on one shared token table), Dataverse 429s, concurrent sweeps.
 * Then the faults stop, the sweep runs, and the outcome is checked from Exact's outbox, the ledger and the
 * Dataverse rows. Exits 1 when any invoice was printed twice, lost, or the connection was lost.
 * See docs/RELIABILITY.md.
 */
import '../src/local/quietTestMode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { DispatchQueue } from '../src/app/ports';
import type { DispatchLine } from '../src/app/dispatch';
import { enqueueSweeps } from '../src/app/sweepRequests';
import { InProcessQueue } from '../src/adapters/queue/inProcessQueue';
import { createTableLedger } from '../src/adapters/store/tableLedger';
import { createRuntime } from '../src/composition/createRuntime';
import { createLogger } from '../src/composition/log';
import { setRuntime, sweepDeps } from '../src/composition/runtime';
import { startLocalStack } from '../src/local/stack';
import { startHttpHost } from '../src/local/httpHost';
import { loadFunctionRoutes } from '../src/local/routes';
import { dispatchWorker } from '../functions/dispatchWorker';
import { dataverseWebhook } from '../functions/dataverseWebhook';
import {
  buildRemoteExecutionContext,
  invoiceCreatedEvent,
  serialiseLikeDataverse,
} from '../sandbox/seed/remoteExecutionContext';
import { CompressedClock } from './support/clock';
import type { DataverseSandbox } from '../sandbox/dataverse';
import { buildLoadSeed, type LoadSeed } from './support/seed';
import { countBy, parseFlags, round } from './support/stats';
import { createCrasher, runInLife, type CrashPlan, type Worker } from './chaos/crash';
import { createInjector } from './chaos/inject';
import { verify } from './chaos/verify';

const DEFAULTS = {
  json: false,
  invoices: 10_000,
  divisions: 20,
  workers: 8,
  factor: 20,
  crashRate: 0.1,
  /** Share of the deliveries of Dynamics-route administrations that crash on one email step. */
  mailCrashRate: 0.3,
  duplicateRate: 0.1,
  faultRate: 0.15,
  sweepEveryMinutes: 3,
  maxSeconds: 900,
  seed: 7,
  skewSeconds: 20,
  /** Share of the administrations on the Dynamics route (issue 15), each with its own mailbox. */
  dynamicsShare: 0.2,
  /** How often (sandbox minutes) server-side synchronization runs while chaos lasts. */
  syncEveryMinutes: 1,
  /** Exact's webhooks off: no subscription, so no instance reuses a read (decision 0155). */
  noExactWebhooks: false,
};
/** The port calls of the Dynamics route's email (crash.ts names them `port.method`). */
const MAIL_STEPS = [
  'documents.invoiceDocument',
  'mail.createDraft',
  'mail.attach',
  'mail.send',
  'mail.states',
];
const FINAL = new Set(['sent', 'printList', 'ignored', 'failed', 'optedOut']);

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2), DEFAULTS);
  const say = (line: string) => (f.json ? undefined : console.log(line));
  const rand = mulberry32(f.seed);
  const clock = new CompressedClock(f.factor);
  const load = buildLoadSeed({
    divisions: f.divisions,
    invoicesPerDivision: Math.ceil(f.invoices / f.divisions),
    rowShare: 0.5,
    today: new Date(),
    policyMix: true,
    dynamicsDivisions: Math.round(f.divisions * f.dynamicsShare),
  });
  // Administrations on the Dynamics route, by id (an event's request does not always know its division).
  const routeDivisions = new Set(load.mailboxes.map((m) => m.division));
  const onRoute = new Set(
    load.divisions.filter((d) => routeDivisions.has(d.division)).map((d) => d.administrationId.toLowerCase()),
  );
  const latest = new Map<string, string>();
  const expected = new Set(load.invoices.map((i) => i.exactInvoiceId));
  let finals = 0;
  let inject = (_division: number | null): void => undefined;
  const lines: Record<string, number> = {};
  const onDispatch = (line: DispatchLine) => {
    // 'busy' and 'skipped' lines (a lost race, a duplicate) say nothing about the invoice's state.
    const again = FINAL.has(line.outcome) && latest.has(line.invoiceId) ? ':again' : '';
    lines[line.outcome + again] = (lines[line.outcome + again] ?? 0) + 1;
    if (FINAL.has(line.outcome)) {
      if (!latest.has(line.invoiceId) && expected.has(line.invoiceId)) finals++;
      latest.set(line.invoiceId, line.outcome);
    }
    inject(line.division);
  };
  const errors: string[] = [];
  const log = createLogger((_l, line) => void (errors.length < 2000 && errors.push(line)), 'error');

  say(
    `chaos: ${load.invoices.length} invoices, ${f.divisions} administrations, ${f.workers} workers, clock ×${f.factor}; starting …`,
  );
  // With Exact's webhooks on, the sandbox posts them to the real HTTP host on the redirect URI's origin; every
  // instance shares the change log, so each drops what another instance's webhook noted (decision 0155).
  const host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
  const stack = await startLocalStack({
    ...(f.noExactWebhooks
      ? {}
      : { redirectUri: `${host.url}/api/exact/callback`, exactWebhookSecret: 'chaos-exact-webhook-secret' }),
    customSeed: load,
    clock,
    timers: clock,
    exactClock: clock,
    exactSleep: clock.sleep,
    dataverseSleep: clock.sleep,
    log,
    onDispatch,
  });
  const dv = stack.dataverse.get('demo')!;
  const tenant = stack.tenants[0]!;
  const t0 = Date.now();
  const s0 = clock.nowMs();

  const chaos = {
    on: true,
    duplicated: 0,
    redelivered: 0,
    sweepsFailed: 0,
    sweeps: 0,
    adminSweepsDone: 0,
    adminSweepsFailed: 0,
  };
  const queue = new InProcessQueue({ clock, timers: clock });
  const dupQueue: DispatchQueue = {
    async enqueue(req, opts) {
      await queue.enqueue(req, opts);
      if (chaos.on && rand() < f.duplicateRate)
        await queue.enqueue(req, { ...opts, messageId: `${opts.messageId}:dup:${++chaos.duplicated}` });
    },
  };
  // Instances' clocks differ (up to ±f.skewSeconds, sandbox time), and so do their rate governors: a claim
  // must still hold across instances, and at most one print POST per invoice may reach Exact.
  const skewOf = (id: number) => ((id % 5) - 2) * (f.skewSeconds / 2) * 1000;
  const build = async (id: number) =>
    crasher.instrument(
      await createRuntime(stack.runtime.settings, {
        clock: skewed(clock, skewOf(id)),
        exactClock: clock,
        exactSleep: clock.sleep,
        dataverseSleep: clock.sleep,
        queue: dupQueue,
        log,
        onDispatch,
      }),
    );
  const crasher = createCrasher((w) => {
    w.restarting = true;
    void build(w.id).then((rt) => Object.assign(w, { rt, restarting: false }));
  });
  const workers: Worker[] = [];
  for (let i = 0; i < f.workers; i++)
    workers.push({ id: i, rt: await build(i), generation: 0, restarting: false });
  const pick = (): Worker => {
    const alive = workers.filter((w) => !w.restarting);
    return (alive.length ? alive : workers)[Math.floor(rand() * (alive.length || workers.length))]!;
  };
  const plan = (calls: number, mailRows: number): CrashPlan | null => {
    if (!chaos.on) return null;
    const when = rand() < 0.5 ? 'before' : 'after';
    // A delivery that may email crashes (also) on one email step, at one of its first calls: the general
    // draw rarely reaches them (they come last), and each is a point where Dataverse may have done the
    // work unheard.
    if (mailRows > 0 && rand() < f.mailCrashRate) {
      const step = MAIL_STEPS[Math.floor(rand() * MAIL_STEPS.length)]!;
      return { atCall: 1 + Math.floor(rand() * Math.min(mailRows, 3)), when, only: new Set([step]) };
    }
    if (rand() >= f.crashRate) return null;
    return { atCall: 1 + Math.floor(rand() * calls), when };
  };

  queue.process(
    async (body, ctx) => {
      const w = pick();
      const sweeping = body.kind === 'sweep' && chaos.on;
      const rows = body.kind === 'sweep' ? 10 : body.rowIds.length;
      const mailRows = body.administrationId && onRoute.has(body.administrationId) ? rows : 0;
      await runInLife(w, plan(body.kind === 'sweep' ? 40 : 8 * rows, mailRows), () => {
        setRuntime(w.rt);
        return dispatchWorker(
          body,
          new InvocationContext({
            functionName: 'dispatchWorker',
            triggerMetadata: {
              messageId: ctx.messageId,
              deliveryCount: ctx.deliveryCount,
              sessionId: ctx.sessionId,
            },
            logHandler: () => undefined,
          }),
        );
      }).then(
        () => void (sweeping && chaos.adminSweepsDone++),
        (err: unknown) => {
          if (sweeping) chaos.adminSweepsFailed++;
          throw err;
        },
      );
      // At-least-once: the lock was lost after the work was done, so the broker delivers it once more.
      if (chaos.on && rand() < f.duplicateRate / 2)
        await queue.enqueue(body, {
          messageId: `${ctx.messageId}:again:${++chaos.redelivered}`,
          sessionId: ctx.sessionId,
        });
    },
    // Each instance takes as many sessions at once as host.json lets a function app take.
    { maxConcurrentSessions: f.workers * sessionsPerInstance() },
  );

  // Server-side synchronization: a mailbox that fails every email, one that holds them half the time
  // (they stay Pending Send across sweeps), the rest send; it runs periodically while chaos lasts.
  const mailSync = createMailSync(dv, load.mailboxes);
  const syncTimer = setInterval(() => mailSync.run(true), clock.real(f.syncEveryMinutes * 60_000));

  const injector = createInjector({ exact: stack.exact, dataverse: dv, rate: f.faultRate, random: rand });
  inject = injector.maybeInject;
  // The sweep timer of one instance: one sweep request per administration onto its session (the timer
  // function's own code path); the workers sweep them like any delivery, crashes included.
  const sweepOnce = async (w: Worker) => {
    chaos.sweeps++;
    await runInLife(w, null, async () => {
      for (const t of w.rt.tenants)
        await enqueueSweeps(sweepDeps(w.rt, t), () => ({ run: true, full: false }));
    }).catch(() => chaos.sweepsFailed++);
  };
  // Two instances' timers fire together: concurrent sweeps.
  const sweepAll = () => Promise.all([sweepOnce(pick()), sweepOnce(pick())]);
  void sweepAll();
  const sweepTimer = setInterval(() => void sweepAll(), clock.real(f.sweepEveryMinutes * 60_000));

  // Dynamics announces every sales-order row; some twice, some again as an update without its administration.
  const webhookCtx = () =>
    new InvocationContext({ functionName: 'dataverseWebhook', logHandler: () => undefined });
  const post = async (body: string) => {
    setRuntime(pick().rt);
    await dataverseWebhook(
      new HttpRequest({
        method: 'POST',
        url: 'http://127.0.0.1/api/dataverse/webhook',
        headers: { 'x-autoinvoice-key': tenant.webhookSecret, 'content-type': 'application/json' },
        body: { string: body },
      }),
      webhookCtx(),
    );
  };
  for (const inv of load.invoices.filter((i) => i.rowId)) {
    const created = serialiseLikeDataverse(
      invoiceCreatedEvent(tenant.organizationId, dv.row('eol_salesinvoices', inv.rowId!)!),
    );
    await post(created);
    if (rand() < f.duplicateRate) await post(created);
    if (rand() < f.duplicateRate)
      await post(
        serialiseLikeDataverse(
          buildRemoteExecutionContext({
            organizationId: tenant.organizationId,
            entityId: inv.rowId!,
            messageName: 'Update',
            attributes: { eol_autodispatch: true },
          }),
        ),
      );
    if (latest.size % 50 === 0) await new Promise((r) => setImmediate(r));
  }

  const finalCount = () => finals;
  let lastReport = Date.now();
  let lastProgress = { at: Date.now(), count: 0 };
  while (finalCount() < load.invoices.length && Date.now() - t0 < f.maxSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    const count = finalCount();
    if (count !== lastProgress.count || queue.stats().active > 0) lastProgress = { at: Date.now(), count };
    // Nothing moves and nothing is queued: further waiting only delays the verdict (which names what is left).
    if (Date.now() - lastProgress.at > 30_000) break;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      const q = queue.stats();
      say(
        `  ${Math.round((Date.now() - t0) / 1000)} s: ${finalCount()}/${load.invoices.length} final; queue active ${q.active} in ${q.sessionsWithWork} sessions, scheduled ${q.scheduled}, dead-lettered ${q.deadLettered}; crashes ${crasher.stats.crashes}`,
      );
    }
  }
  const chaosSeconds = (Date.now() - t0) / 1000;

  say('chaos: faults off; the sweep repairs what is left …');
  chaos.on = false;
  injector.stop();
  clearInterval(sweepTimer);
  clearInterval(syncTimer);
  for (let round = 0; round < 2; round++) {
    mailSync.run(false);
    await sweepOnce(workers[0]!);
    await Promise.race([queue.drain(), new Promise((r) => setTimeout(r, 120_000))]);
  }

  const verdict = await verify({
    tenantId: tenant.name,
    invoices: load.invoices,
    ledger: createTableLedger(stack.runtime.settings.Storage__ConnectionString, { clock }),
    exact: stack.exact,
    dataverse: dv,
    connected: await workers[0]!.rt.tenants[0]!.connection.isConnected(),
  });
  const requests = stack.exact.requests();
  const token = requests.filter((r) => r.path.includes('oauth2/token'));
  const result = {
    invoices: load.invoices.length,
    administrations: f.divisions,
    workers: f.workers,
    duplicates: verdict.duplicates,
    reprintAttempts: verdict.reprintAttempts,
    multiplePrintPosts: verdict.multiplePrintPosts,
    sentWithoutChannel: verdict.sentWithoutChannel,
    lost: verdict.lost,
    lostConnections: verdict.lostConnections,
    outcomes: verdict.outcomes,
    reasons: verdict.reasons,
    unexpectedOutcomes: verdict.unexpected,
    lostSamples: verdict.lostSamples,
    dynamicsRoute: { ...verdict.mail, serverSideSync: mailSync.stats },
    injected: {
      exactFaultsHit: countBy(
        requests.filter((r) => r.fault),
        (r) =>
          `${r.path.includes('Printed') ? 'print' : r.path.includes('oauth2') ? 'token' : r.path.includes('bulk') ? 'list' : 'confirm'}:${r.fault}`,
      ),
      dataverse429: dv.requests().filter((r) => r.status === 429).length,
      crashes: crasher.stats.crashes,
      crashPoints: crasher.stats.byPoint,
      mailCrashes: Object.entries(crasher.stats.byPoint)
        .filter(([p]) => /\b(mail|documents)\./.test(p))
        .reduce((n, [, c]) => n + c, 0),
      deliveriesKilledWithTheirWorker: crasher.stats.killedInFlight,
      duplicateMessages: chaos.duplicated,
      redeliveriesAfterCompletion: chaos.redelivered,
      sweeps: chaos.sweeps,
      sweepsCrashedOrFailed: chaos.sweepsFailed,
      administrationSweepsWhileChaos: {
        done: chaos.adminSweepsDone,
        crashedOrFailed: chaos.adminSweepsFailed,
      },
    },
    exact: {
      calls: requests.filter((r) => r.path.startsWith('/api/v1/')).length,
      // Exact's webhooks posted to the host, by topic and the host's answer (none with --no-exact-webhooks).
      webhooks: countBy(stack.exact.webhookDeliveries(), (d) => `${d.topic}:${d.status}`),
      http429: requests.filter((r) => r.status === 429 && !r.fault).length,
      tokenRefreshes: token.filter(
        (r) =>
          (r.body as { grant_type?: string } | undefined)?.grant_type === 'refresh_token' && r.status === 200,
      ).length,
      refreshRefusals: countBy(
        token.filter((r) => r.status >= 400),
        (r) => String(r.status),
      ),
      // Prints per invoice Exact processed through AutoInvoice (sent, on the print list, or failed after processing): 1.0 = no reprint.
      printsPerProcessedInvoice: round(
        stack.exact.prints().length /
          Math.max(
            1,
            (verdict.outcomes.sent ?? 0) +
              (verdict.outcomes.printList ?? 0) +
              (verdict.reasons.exact_channel_error ?? 0) +
              (verdict.reasons.delivery_unconfirmed ?? 0),
          ),
        3,
      ),
    },
    queue: queue.stats(),
    // What was dead-lettered and why (the invoice itself is still checked by the verifier above).
    deadLettered: countBy(
      queue.deadLetters(),
      (d) =>
        `${d.body.kind === 'sweep' ? 'sweep request' : d.body.rowIds.length > 1 ? 'batch' : 'single'}: ${d.description.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>').slice(0, 140)}`,
    ),
    dispatchLines: lines,
    errorLines: errors.length,
    realSeconds: round((Date.now() - t0) / 1000, 1),
    chaosSeconds: round(chaosSeconds, 1),
    sandboxMinutes: round((clock.nowMs() - s0) / 60_000, 1),
    clockFactor: f.factor,
    // This process (connector, 8 runtimes, both sandboxes); Azurite is a child process and not included.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    machine: {
      nproc: os.availableParallelism(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
  };
  await queue.close();
  await stack.stop();
  await host.close();
  if (f.json) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
  process.exit(
    result.duplicates +
      result.multiplePrintPosts +
      result.lost +
      result.lostConnections +
      verdict.mail.duplicateEmails +
      verdict.mail.emailsWithoutOnePdf +
      verdict.mail.emailsSentTwice >
      0
      ? 1
      : 0,
  );
}

/**
 * Runs the sandbox's server-side synchronization with each mailbox's mode: `fail` always fails,
 * `holdThenSend` holds every other run while chaos lasts (and sends once it is over), the rest send.
 */
function createMailSync(dv: DataverseSandbox, mailboxes: LoadSeed['mailboxes']) {
  const stats = { runs: 0, sent: 0, failed: 0, held: 0 };
  for (const m of mailboxes) if (m.mode === 'fail') dv.mail.setServerSideSync('fail', m.address);
  const run = (chaosOn: boolean) => {
    stats.runs++;
    for (const m of mailboxes)
      if (m.mode === 'holdThenSend')
        dv.mail.setServerSideSync(chaosOn && stats.runs % 2 === 1 ? 'hold' : 'send', m.address);
    const r = dv.mail.runServerSideSync();
    stats.sent += r.sent;
    stats.failed += r.failed;
    stats.held += r.held;
  };
  return { stats, run };
}

/** A clock `offsetMs` ahead of (or behind) `clock`: another instance's wall clock. */
function skewed(clock: CompressedClock, offsetMs: number): { now(): Date } {
  return { now: () => new Date(clock.now().getTime() + offsetMs) };
}

/** host.json's `extensions.serviceBus.maxConcurrentSessions` (8 unless set): what one instance takes at once. */
function sessionsPerInstance(): number {
  const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')].find((d) =>
    fs.existsSync(path.join(d, 'host.json')),
  );
  if (!root) return 8;
  const host = JSON.parse(fs.readFileSync(path.join(root, 'host.json'), 'utf8')) as {
    extensions?: { serviceBus?: { maxConcurrentSessions?: number } };
  };
  return host.extensions?.serviceBus?.maxConcurrentSessions ?? 8;
}

/** Small seeded PRNG: the same --seed draws the same faults in the same order (timing still varies). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

main().catch((err: Error) => {
  console.error(`chaos failed: ${err.stack ?? err.message}`);
  process.exit(2);
});
