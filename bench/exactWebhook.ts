/**
 * `npm run bench:webhook [-- --json] [--invoices N] [--gap-ms MS] [--window-ms MS]`: "an invoice created in Exact
 * is sent within 5 s of Exact's webhook" (issue 20). The local stack (Azurite, the sandboxes, the in-process
 * queue and the real worker) behind the real HTTP host; the demo tenant has an Exact webhook secret, so its
 * connect subscribes every administration (the sandbox's validation POST reaches the host). Then N recurring
 * invoices are created in the Exact sandbox, `gap` apart; the sandbox posts each Create webhook, signed, to the
 * host. Measured per invoice: from the moment the sandbox posted the webhook to the moment it printed the
 * invoice (sent). Latency model: every Exact request `--exact-latency-ms`, every Dataverse Web API request
 * `--dataverse-latency-ms`. Figures are reported, never asserted (decision 0128).
 */
import '../src/local/quietTestMode';
import { startHttpHost } from '../src/local/httpHost';
import { loadFunctionRoutes } from '../src/local/routes';
import { startLocalStack, type LocalStack } from '../src/local/stack';
import { createLogger } from '../src/composition/log';
import { demoGuid } from '../sandbox/seed/demo';
import { delayDataverseWebApi } from './support/latency';
import { countBy, parseFlags, percentile, round } from './support/stats';

const DEFAULTS = {
  invoices: 20,
  /** One invoice every 5 s keeps division A inside Exact's 60 calls a minute (about 2.75 calls each). */
  gapMs: 5000,
  /** The production default of EventWindowMs: webhooks of one window share one sweep request. */
  windowMs: 2000,
  exactLatencyMs: 100,
  dataverseLatencyMs: 50,
  budgetPauseMs: 61_000,
  json: false,
  /** The connector's info lines on stderr, timestamped. */
  verbose: false,
};
const DIVISION_A = 100001;
const SECRET = 'bench-exact-webhook-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2), DEFAULTS);
  const say = (line: string) => (f.json ? undefined : console.log(line));
  const undelay = delayDataverseWebApi(() => f.dataverseLatencyMs);
  const host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
  const stack = await startLocalStack({
    redirectUri: `${host.url}/api/exact/callback`,
    exactWebhookSecret: SECRET,
    eventWindowMs: f.windowMs,
    exact: { latencyMs: f.exactLatencyMs, webhookDelays: { validationMs: 1000, deliveryMs: 0 } },
    onDispatch: () => undefined,
    log: createLogger(
      (_l, line) => (f.verbose ? console.error(new Date().toISOString(), line) : undefined),
      'info',
    ),
  });
  try {
    say(`subscribed: ${JSON.stringify(stack.connected.get('demo')?.webhooks)}`);
    // Warm-up: the first sweep of A also sends the demo's open invoices; measured invoices come after it.
    await createAndWait(stack, 'warm-up', 30_000);
    await stack.queue.idle();
    // That burst spent A's minutely Exact budget (60 calls); measuring starts once it is back.
    await sleep(f.budgetPauseMs);
    const calls0 = stack.exact.requests().length;
    const pending = [];
    for (let i = 0; i < f.invoices; i++) {
      pending.push(createAndWait(stack, `bench-${i}`, 30_000));
      await sleep(f.gapMs);
    }
    const results = await Promise.all(pending);
    await stack.queue.idle();
    const calls = stack.exact.requests().slice(calls0);
    const byEndpoint = countBy(calls, (r) => `${r.method} ${r.path.replace(/^\/api\/v1\/\d+\//, '')}`);
    report(f, results, { perInvoice: calls.length / f.invoices, byEndpoint }, say);
  } finally {
    await stack.stop();
    await host.close();
    undelay();
  }
}

/** Creates one recurring invoice in Exact and waits for its print; ms from the webhook to the print. */
async function createAndWait(stack: LocalStack, key: string, timeoutMs: number): Promise<number> {
  const invoiceId = demoGuid(`invoice:webhook-bench-${key}`);
  stack.exact.createInvoiceInExact(DIVISION_A, {
    InvoiceID: invoiceId,
    InvoiceTo: demoGuid('account:R2'),
    InvoiceDate: new Date().toISOString().slice(0, 10),
    Status: 20,
    Description: `Abonnement webhook bench ${key}`,
    AmountDC: 99,
  });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const print = stack.exact.prints().find((p) => p.invoiceId === invoiceId);
    const hook = stack.exact.webhookDeliveries().find((d) => d.key === invoiceId && d.action === 'Create');
    if (print && hook) {
      if (hook.status !== 202) throw new Error(`webhook for ${key} answered ${hook.status}`);
      return print.at - hook.at;
    }
    if (Date.now() > until) throw new Error(`invoice ${key} not sent within ${timeoutMs} ms`);
    await sleep(10);
  }
}

function report(
  f: typeof DEFAULTS,
  ms: number[],
  exact: { perInvoice: number; byEndpoint: Record<string, number> },
  say: (l: string) => void,
) {
  const figures = {
    exactWebhookInvoices: ms.length,
    exactWebhookToSentP50Ms: round(percentile(ms, 50), 0),
    exactWebhookToSentP95Ms: round(percentile(ms, 95), 0),
    exactWebhookToSentMaxMs: round(Math.max(...ms), 0),
    exactWebhookExactCallsPerInvoice: round(exact.perInvoice, 2),
    exactWebhookExactCallsByEndpoint: exact.byEndpoint,
    settings: {
      gapMs: f.gapMs,
      windowMs: f.windowMs,
      exactLatencyMs: f.exactLatencyMs,
      dataverseLatencyMs: f.dataverseLatencyMs,
    },
    at: new Date().toISOString(),
  };
  if (f.json) return void console.log(JSON.stringify(figures));
  say(`invoices created in Exact: ${ms.length}, one every ${f.gapMs} ms; event window ${f.windowMs} ms`);
  say(
    `webhook → sent: p50 ${figures.exactWebhookToSentP50Ms} ms, p95 ${figures.exactWebhookToSentP95Ms} ms, max ${figures.exactWebhookToSentMaxMs} ms (target: under 5000 ms)`,
  );
  say(
    `Exact calls per invoice: ${figures.exactWebhookExactCallsPerInvoice}: ${JSON.stringify(exact.byEndpoint)}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
