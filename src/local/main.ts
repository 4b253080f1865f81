/**
 * `npm start`: the whole connector in one process against the built-in sandboxes (PRODUCT.md §10).
 * HTTP endpoints on 127.0.0.1:7071/api/…, the in-process queue feeding the real dispatch worker,
 * the sweep timer, Azurite for Table Storage. Prints one line per invoice and a summary, then keeps serving.
 */
import './quietTestMode';
import axios from 'axios';
import { z } from 'zod';
import type { DispatchLine } from '../app/dispatch';
import { requestSweeps } from '../../functions/sweep';
import { consoleSink, createLogger } from '../composition/log';
import { formatLine } from '../composition/createRuntime';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { startHttpHost, type Route } from './httpHost';
import { startLocalStack } from './stack';
import { loadFunctionRoutes } from './routes';

const LocalEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(7071),
  AUTOINVOICE_LANGUAGE: z.enum(['nl', 'en']).default('en'),
  AUTOINVOICE_LOG: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
});

const SWEEP_INTERVAL_MS = 5 * 60_000;

async function main(): Promise<void> {
  const env = LocalEnvSchema.parse(process.env);
  const log = createLogger(consoleSink, env.AUTOINVOICE_LOG);
  const printed = new Map<string, string>();
  const lines: DispatchLine[] = [];
  const onDispatch = (line: DispatchLine) => {
    if (line.outcome === 'busy' || line.outcome === 'skipped') return;
    const key = `${line.tenantId}:${line.invoiceId}`;
    const sig = `${line.outcome}:${line.reason}`;
    if (printed.get(key) === sig) return;
    printed.set(key, sig);
    lines.push(line);
    console.log(`${line.tenantId.padEnd(10)} ${formatLine(line)}`);
  };

  console.log('AutoInvoice — local mode: starting Azurite, the Exact Online and Dataverse sandboxes …');
  const stack = await startLocalStack({
    showcase: true,
    languageCode: env.AUTOINVOICE_LANGUAGE === 'nl' ? 1043 : 1033,
    log,
    onDispatch,
    redirectUri: `http://127.0.0.1:${env.PORT}/api/exact/callback`,
  });
  const routes: Route[] = loadFunctionRoutes();
  const host = await startHttpHost(routes, { port: env.PORT, log: (level, line) => log.debug(`[${level}] ${line}`) }).catch(async (err) => {
    await stack.stop();
    throw err;
  });
  console.log(`Connector:          ${host.url}/api/  (health, status, dataverse/webhook, exact/connect)`);
  console.log(`Exact sandbox:      ${stack.exact.url}`);
  console.log(`Dataverse sandbox:  ${stack.dataverse.get('demo')!.url}  (+${stack.dataverse.size - 1} licence showcase tenants)`);
  console.log(`Demo webhook key:   header x-autoinvoice-key: ${stack.tenants[0]!.webhookSecret}\n`);
  console.log(`${'tenant'.padEnd(10)} ${'outcome'.padEnd(9)} ${'invoice'.padEnd(34)} ${'relation'.padEnd(26)} ${'channel'.padEnd(7)} reason`);

  // 1. Dynamics events: every invoice row Dynamics made is announced through the real webhook.
  for (const t of stack.tenants) {
    const dv = stack.dataverse.get(t.name)!;
    for (const row of dv.rows('eol_salesinvoices')) {
      await axios.post(`${host.url}/api/dataverse/webhook`, serialiseLikeDataverse(invoiceCreatedEvent(t.organizationId, row)), {
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-autoinvoice-key': t.webhookSecret },
      });
    }
  }
  // 2. The sweep: recurring and manual invoices have no row until it creates one.
  await runSweep(stack, log);
  await stack.queue.idle();
  printSummary(lines);
  console.log(`\nServing on ${host.url}/api/ — sweep every 5 minutes. Ctrl-C stops everything.`);

  const timer = setInterval(() => void runSweep(stack, log), SWEEP_INTERVAL_MS);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the connector, sandboxes and Azurite …`);
    clearInterval(timer);
    await host.close();
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * As the timer does, by the same path (a sweep request per administration, swept by the worker): here for
 * every administration at once, at start-up and every 5 minutes after, so the demo needs no wait.
 */
async function runSweep(stack: Awaited<ReturnType<typeof startLocalStack>>, log: ReturnType<typeof createLogger>): Promise<void> {
  await requestSweeps(stack.runtime, () => ({ run: true, full: false }), (line) => log.error(line));
}

function printSummary(lines: DispatchLine[]): void {
  const latest = new Map<string, DispatchLine>();
  for (const l of lines) latest.set(`${l.tenantId}:${l.invoiceId}`, l);
  const byOutcome = new Map<string, number>();
  const byReason = new Map<string, number>();
  for (const l of latest.values()) {
    byOutcome.set(l.outcome, (byOutcome.get(l.outcome) ?? 0) + 1);
    byReason.set(l.reason, (byReason.get(l.reason) ?? 0) + 1);
  }
  console.log(`\nSummary: ${latest.size} invoices — ${[...byOutcome].map(([k, v]) => `${v} ${k}`).join(', ')}`);
  console.log(`Reasons: ${[...byReason].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

main().catch((err: Error) => {
  console.error(`AutoInvoice could not start: ${err.message}`);
  process.exit(1);
});
