/**
 * Installs the connector into a Dataverse environment (PRODUCT.md §2, §3):
 *   npm run dataverse -- provision | register-webhook | unregister-webhook | register-service-bus | unregister-service-bus [--dry-run]
 * Every command reads first, prints its plan, and writes only what differs: a second run reports
 * "no changes". Secrets come from options or, better (process lists show arguments), the environment;
 * they are never printed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataverseClient } from '../adapters/dataverse/client';
import { redact } from '../adapters/dataverse/errors';
import {
  applyPlan,
  checkWebhookUrl,
  MetadataApi,
  planSchema,
  planWebhookRegistration,
  planWebhookRemoval,
  type Plan,
} from '../adapters/dataverse/provisioning';
import {
  parseServiceBusConnection,
  planServiceBusRegistration,
  planServiceBusRemoval,
} from '../adapters/dataverse/provisioning/serviceBusEndpoint';
import { planColumnText } from '../adapters/dataverse/provisioning/columnText';
import { planOptionText } from '../adapters/dataverse/provisioning/optionText';
import { planSolution } from '../adapters/dataverse/provisioning/solutionPlan';
import { buildComponents } from '../adapters/dataverse/solution/components';
import { exportSolution } from '../adapters/dataverse/solution/export';

export interface DataverseCliIo {
  out(line: string): void;
  err(line: string): void;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  npm run dataverse -- provision          [connection] [--solution <unique name>] [--dry-run]
  npm run dataverse -- register-webhook   [connection] --webhook-url <https://…/api/dataverse/webhook> [--webhook-secret <key>] [--dry-run]
  npm run dataverse -- unregister-webhook [connection] [--dry-run]
  npm run dataverse -- register-service-bus [connection] [--service-bus-connection <Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=dataverse-events>] [--dry-run]
  npm run dataverse -- unregister-service-bus [connection] [--dry-run]
  npm run dataverse -- export-solution    [--out <dir>]   (no connection: writes the solution folder and zip)
Connection (options, or the environment variable named in brackets):
  --url <https://org.crm4.dynamics.com>               [DATAVERSE_URL]
  --authority <https://login.microsoftonline.com/<tenant id>> [DATAVERSE_AUTHORITY]
  --client-id <application id>                        [DATAVERSE_CLIENT_ID]
  --client-secret <secret>                            [DATAVERSE_CLIENT_SECRET]
  --ca-file <pem>   extra CA to trust for the authority (local sandbox only)
Webhook: --webhook-url [AUTOINVOICE_WEBHOOK_URL], --webhook-secret [AUTOINVOICE_WEBHOOK_SECRET],
Service Bus: --service-bus-connection [AUTOINVOICE_SERVICEBUS_CONNECTION], the send-only rule's connection string
  (Key Vault secret dataverse-events-send),
  --solution [DATAVERSE_SOLUTION]: the solution (its publisher must use prefix eol) that receives the components`;

const OPTIONS = {
  url: { type: 'string' },
  authority: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'ca-file': { type: 'string' },
  'webhook-url': { type: 'string' },
  'webhook-secret': { type: 'string' },
  'service-bus-connection': { type: 'string' },
  solution: { type: 'string' },
  out: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Env = Record<string, string | undefined>;

function required(value: string | undefined, option: string, envName: string): string {
  if (!value) throw new UsageError(`--${option} (or ${envName}) is required`);
  return value;
}

export async function runDataverseCli(
  argv: string[],
  io: DataverseCliIo,
  env: Env = {},
  deps: { sleep?: (ms: number) => Promise<void> } = {},
): Promise<number> {
  const secrets: string[] = [];
  const safe = (line: string) => redact(line, secrets);
  const out = (line: string) => io.out(safe(line));
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const [command, ...extra] = positionals;
    if (values.help || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (!command) throw new UsageError('no command given');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (
      ![
        'provision',
        'register-webhook',
        'unregister-webhook',
        'register-service-bus',
        'unregister-service-bus',
        'export-solution',
      ].includes(command)
    )
      throw new UsageError(`unknown command "${command}"`);
    if (command === 'export-solution') {
      const c = buildComponents();
      const { folder, zip } = await exportSolution(c, values.out ?? '.');
      for (const s of c.skipped) out(`skipped ${s}`);
      out(`solution folder ${folder}`);
      out(`solution zip ${zip}`);
      return 0;
    }

    const clientSecret = required(
      values['client-secret'] ?? env.DATAVERSE_CLIENT_SECRET,
      'client-secret',
      'DATAVERSE_CLIENT_SECRET',
    );
    secrets.push(clientSecret);
    const webhookSecret = values['webhook-secret'] ?? env.AUTOINVOICE_WEBHOOK_SECRET;
    if (webhookSecret) secrets.push(webhookSecret);
    const sbConnection = values['service-bus-connection'] ?? env.AUTOINVOICE_SERVICEBUS_CONNECTION;
    if (sbConnection)
      secrets.push(sbConnection, /SharedAccessKey=([^;]+)/i.exec(sbConnection)?.[1] ?? sbConnection);
    const serverUrl = required(values.url ?? env.DATAVERSE_URL, 'url', 'DATAVERSE_URL');
    const authority = required(
      values.authority ?? env.DATAVERSE_AUTHORITY,
      'authority',
      'DATAVERSE_AUTHORITY',
    );
    const clientId = required(
      values['client-id'] ?? env.DATAVERSE_CLIENT_ID,
      'client-id',
      'DATAVERSE_CLIENT_ID',
    );
    const caFile = values['ca-file'];
    let extraCaPem: string | undefined;
    if (caFile) {
      try {
        extraCaPem = readFileSync(caFile, 'utf8');
      } catch {
        throw new UsageError(`cannot read --ca-file ${caFile}`);
      }
    }
    const dryRun = values['dry-run'] === true;

    let webhook: { url: string; secret: string } | undefined;
    if (command === 'register-webhook') {
      const url = required(
        values['webhook-url'] ?? env.AUTOINVOICE_WEBHOOK_URL,
        'webhook-url',
        'AUTOINVOICE_WEBHOOK_URL',
      );
      const problem = checkWebhookUrl(url);
      if (problem) throw new UsageError(problem);
      const secret = required(webhookSecret, 'webhook-secret', 'AUTOINVOICE_WEBHOOK_SECRET');
      // The secret is the only thing between the internet and a dispatch: refuse guessable ones.
      if (secret.length < 24)
        throw new UsageError(
          '--webhook-secret must be at least 24 characters (e.g. openssl rand -base64 32)',
        );
      webhook = { url, secret };
    }

    let serviceBus: ReturnType<typeof parseServiceBusConnection> | undefined;
    if (command === 'register-service-bus') {
      const cs = required(sbConnection, 'service-bus-connection', 'AUTOINVOICE_SERVICEBUS_CONNECTION');
      serviceBus = parseServiceBusConnection(cs, 'dataverse-events');
      if ('problem' in serviceBus) throw new UsageError(serviceBus.problem);
    }

    const client = new DataverseClient({
      serverUrl,
      authority,
      clientId,
      clientSecret,
      ...(extraCaPem ? { extraCaPem } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
    const solution = values.solution ?? env.DATAVERSE_SOLUTION;
    const api = new MetadataApi(client, solution);
    out(`${command}${dryRun ? ' (dry run)' : ''} on ${serverUrl.replace(/\/+$/, '')}`);
    let plan: Plan;
    if (command === 'provision') {
      plan = await planSchema(api);
      plan.changes.push(...(await planColumnText(api)), ...(await planOptionText(api)));
      const ui = await planSolution(client, solution ? { solution } : {});
      plan = { changes: [...plan.changes, ...ui.changes], conflicts: [...plan.conflicts, ...ui.conflicts] };
      for (const s of ui.skipped) out(`skipped ${s}`);
    } else if (command === 'register-webhook') plan = await planWebhookRegistration(client, webhook!);
    else if (serviceBus && !('problem' in serviceBus))
      plan = await planServiceBusRegistration(client, serviceBus);
    else if (command === 'unregister-service-bus') plan = await planServiceBusRemoval(client);
    else plan = await planWebhookRemoval(client);
    const outcome = await applyPlan(plan, {
      dryRun,
      out,
      publish: command === 'provision' ? (e, o) => api.publish(e, o) : undefined,
    });
    return outcome === 'conflicts' ? 1 : 0;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(safe(`dataverse: ${(err as Error).message}\n${USAGE}`));
      return 2;
    }
    io.err(safe(`dataverse: ${err instanceof Error ? err.message : 'failed'}`));
    return 1;
  }
}

if (require.main === module) {
  runDataverseCli(
    process.argv.slice(2),
    { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
    process.env,
  ).then(
    (code) => (process.exitCode = code),
    () => (process.exitCode = 1),
  );
}
