/**
 * The start-up behind `npm start` (PRODUCT.md §10), as a function: a working directory, an environment and an
 * output sink in, a running connector out. Without settings that name a tenant it runs the demo against the
 * built-in sandboxes; with them it talks to what they name (decision 0066). `dryRun` decides every open invoice
 * and prints, without printing in Exact or writing anywhere.
 */
import axios from 'axios';
import { z } from 'zod';
import { requestSweeps } from '../../functions/sweep';
import { consoleSink, createLogger, type Logger } from '../composition/log';
import type { BuiltRuntime } from '../composition/createRuntime';
import type { InProcessQueue } from '../adapters/queue/inProcessQueue';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { startHttpHost } from './httpHost';
import { startLocalStack, type LocalStack } from './stack';
import { startConfiguredStack, type ConfiguredStack } from './configuredStack';
import { loadFunctionRoutes } from './routes';
import { readSettingsSource } from './settingsSource';
import { createPrinter, type Out, type Printer } from './console';
import { dryRunTenants } from './dryRunTenants';
import { syncReport } from './syncReport';

const DEFAULT_PORT = 7071;

const LocalEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  AUTOINVOICE_LANGUAGE: z.enum(['nl', 'en']).default('en'),
  AUTOINVOICE_LOG: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
});

export interface LocalStartOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  out: Out;
  dryRun?: boolean;
  /** Default: the console, at AUTOINVOICE_LOG. */
  log?: Logger;
}

export interface RunningLocal {
  url: string;
  mode: 'demo' | 'settings';
  /** What this start-up started itself (sandboxes, Azurite). */
  started: string[];
  printer: Printer;
  runtime: BuiltRuntime;
  /** The demo's sandboxes and tenants (mode `demo` only). */
  demo?: LocalStack;
  /** One sweep of every connected tenant, as the timer asks, waited for. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

type Host = Awaited<ReturnType<typeof startHttpHost>>;

export async function startLocal(options: LocalStartOptions): Promise<RunningLocal> {
  const env = LocalEnvSchema.parse(options.env);
  const log = options.log ?? createLogger(consoleSink, env.AUTOINVOICE_LOG);
  const printer = createPrinter(options.out, options.dryRun === true);
  const source = readSettingsSource(options.cwd, options.env);
  // As `func start`: PORT, else the file's Host.LocalHttpPort, else 7071.
  const port = env.PORT ?? source.localHttpPort ?? DEFAULT_PORT;
  const running = source.namesTenant
    ? await startWithSettings(source.values, port, log, printer, options.out)
    : await startDemo({ ...env, PORT: port }, log, printer, options.out);
  if (options.dryRun)
    options.out(
      'Dry run: every open invoice is decided; nothing is printed in Exact or written to Dataverse or the ledger.\n',
    );
  printer.header();
  if (options.dryRun) {
    await dryRunTenants(running.runtime, printer.onDispatch, options.out);
  } else {
    if (running.demo) await announceDemoRows(running.demo, running.url);
    await running.sweep();
  }
  printer.summary();
  return running;
}

async function startDemo(
  env: z.infer<typeof LocalEnvSchema> & { PORT: number },
  log: Logger,
  printer: Printer,
  out: Out,
): Promise<RunningLocal> {
  out('AutoInvoice — local mode: starting Azurite, the Exact Online and Dataverse sandboxes …');
  const stack = await startLocalStack({
    showcase: true,
    languageCode: env.AUTOINVOICE_LANGUAGE === 'nl' ? 1043 : 1033,
    log,
    onDispatch: printer.onDispatch,
    redirectUri: `http://127.0.0.1:${env.PORT}/api/exact/callback`,
    // Dynamics 365 sends the demo's invoice emails some seconds after they are handed over. 20 s keeps
    // them "mailing" in the summary however slow the machine (the connector looks again after a minute).
    serverSideSyncDelayMs: 20_000,
  });
  const host = await serve(env.PORT, log, () => stack.stop());
  out(`Connector:          ${host.url}/api/  (health, status, dataverse/webhook, exact/connect)`);
  out(`Console:            ${host.url}/api/console`);
  out(`Exact sandbox:      ${stack.exact.url}`);
  out(
    `Dataverse sandbox:  ${stack.dataverse.get('demo')!.url}  (+${stack.dataverse.size - 1} licence showcase tenants)`,
  );
  out(`Demo webhook key:   header x-autoinvoice-key: ${stack.tenants[0]!.webhookSecret}\n`);
  const demo = stack.connected.get('demo');
  if (demo) out(`${syncReport('demo', demo).join('\n')}\n`);
  const started = [
    'Azurite (Table Storage)',
    `Exact sandbox (${stack.exact.url})`,
    ...[...stack.dataverse].map(([t, dv]) => `Dataverse sandbox for ${t} (${dv.url})`),
  ];
  return { ...running(stack, host, log), mode: 'demo', started, printer, demo: stack };
}

async function startWithSettings(
  values: Record<string, string>,
  port: number,
  log: Logger,
  printer: Printer,
  out: Out,
): Promise<RunningLocal> {
  out('AutoInvoice — local mode with the settings of local.settings.json and the environment …');
  const routes = loadFunctionRoutes();
  const host = await startHttpHost(routes, { port, log: (level, line) => log.debug(`[${level}] ${line}`) });
  let stack: ConfiguredStack;
  try {
    stack = await startConfiguredStack({
      values,
      redirectUri: `${host.url}/api/exact/callback`,
      log,
      onDispatch: printer.onDispatch,
    });
  } catch (err) {
    await host.close();
    throw err;
  }
  out(`Connector:          ${host.url}/api/  (health, status, dataverse/webhook, exact/connect)`);
  out(`Console:            ${host.url}/api/console`);
  for (const s of stack.services) {
    const what = (k: 'configured' | 'sandbox') =>
      k === 'configured' ? 'as configured' : 'a sandbox (not configured)';
    out(
      `Tenant ${s.tenant}:${' '.repeat(Math.max(1, 12 - s.tenant.length))}Dataverse ${what(s.dataverse)}, Exact ${what(s.exact)}`,
    );
  }
  for (const s of stack.started) out(`Started:            ${s}`);
  if (stack.started.length === 0)
    out('Started:            nothing: every service is the one the settings name');
  for (const t of stack.runtime.tenants) {
    if (!(await t.connection.isConnected()))
      out(
        `Exact not connected for ${t.name}: open ${host.url}/api/exact/connect?tenant=${encodeURIComponent(t.name)}`,
      );
  }
  out('');
  return { ...running(stack, host, log), mode: 'settings', started: stack.started, printer };
}

async function serve(port: number, log: Logger, stopStack: () => Promise<void>): Promise<Host> {
  const routes = loadFunctionRoutes();
  return startHttpHost(routes, { port, log: (level, line) => log.debug(`[${level}] ${line}`) }).catch(
    async (err) => {
      await stopStack();
      throw err;
    },
  );
}

function running(
  stack: { runtime: BuiltRuntime; queue: InProcessQueue; stop(): Promise<void> },
  host: Host,
  log: Logger,
) {
  return {
    url: host.url,
    runtime: stack.runtime,
    sweep: () => sweepConnected(stack.runtime, stack.queue, log),
    stop: async () => {
      await host.close();
      await stack.stop();
    },
  };
}

/**
 * As the timer does, by the same path (a sweep request per administration, swept by the worker): here for
 * every administration at once, so the demo needs no wait. A tenant not connected to Exact is left out until
 * someone connects it.
 */
async function sweepConnected(runtime: BuiltRuntime, queue: InProcessQueue, log: Logger): Promise<void> {
  const connected = [];
  for (const t of runtime.tenants) if (await t.connection.isConnected()) connected.push(t);
  await requestSweeps(
    { ...runtime, tenants: connected },
    () => ({ run: true, full: false }),
    (line) => log.error(line),
  );
  await queue.idle();
}

/** Dynamics events: every invoice row the demo's Dynamics made is announced through the real webhook. */
async function announceDemoRows(stack: LocalStack, url: string): Promise<void> {
  for (const t of stack.tenants) {
    const dv = stack.dataverse.get(t.name)!;
    for (const row of dv.rows('eol_salesinvoices')) {
      await axios.post(
        `${url}/api/dataverse/webhook`,
        serialiseLikeDataverse(invoiceCreatedEvent(t.organizationId, row)),
        {
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'x-autoinvoice-key': t.webhookSecret,
          },
        },
      );
    }
  }
}
