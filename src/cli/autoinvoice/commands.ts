/** The CLI's commands: each asks the operator API once (a batch follows its progress) and prints the answer. */
import { InvalidArgumentError, type Command } from 'commander';
import type { client, Summary } from './client';
import { counted, HEADER, line, plan, summary, type Out, type PlanView } from './format';
import { progressView } from './progress';

export interface CliIo {
  out: Out;
  err: Out;
  env: Record<string, string | undefined>;
  /** Where the progress bar is drawn (a terminal) — plain lines go to `out` otherwise. */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
}

type Api = () => { api: ReturnType<typeof client>; json: boolean; io: CliIo };

const division = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('an Exact division number, e.g. 100001');
  return v;
};
const date = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError('a date YYYY-MM-DD');
  return v;
};

export function commands(program: Command, ctx: Api): void {
  program
    .command('status')
    .description('licence, Exact connection and counts per administration; failures first')
    .action(async () => {
      const { api, json, io } = ctx();
      const body = (await api.get('status')) as { tenants: TenantView[] };
      if (json) return io.out(JSON.stringify(body, null, 2));
      for (const t of body.tenants) printTenant(t, io.out);
    });

  program
    .command('plan')
    .description('a dry run: what would happen to every open invoice now (nothing is sent)')
    .requiredOption('--administration <division>', 'the Exact division', division)
    .option('--since <date>', 'judge as if activated with this backlog date', date)
    .option('--rows <ids>', 'only these Dataverse rows (comma-separated)')
    .action(async (o: { administration: string; since?: string; rows?: string }) => {
      const { api, json, io } = ctx();
      const body = await api.get('plan', { division: o.administration, since: o.since, rows: o.rows });
      if (json) return io.out(JSON.stringify(body, null, 2));
      plan(body as PlanView, io.out);
    });

  program
    .command('activate')
    .description('switch an administration on; invoices dated before --since are left alone')
    .requiredOption('--administration <division>', 'the Exact division', division)
    .requiredOption('--since <date>', 'the backlog date', date)
    .action(async (o: { administration: string; since: string }) => {
      const { api, json, io } = ctx();
      const body = (await api.post('activate', { division: Number(o.administration), since: o.since })) as {
        plan: PlanView;
        backlog: PlanView['items'];
      };
      if (json) return io.out(JSON.stringify(body, null, 2));
      const a = body.plan.administration;
      io.out(`Activated ${a.name} (${a.division}) from ${o.since}.`);
      io.out(`Left alone (dated before ${o.since}): ${body.backlog.length}`);
      for (const i of body.backlog) io.out(`  ${i.invoice} ${i.relation} (${i.date ?? '?'})`);
    });

  program
    .command('dispatch')
    .description('send an administration’s open invoices, or the rows named, now')
    .option('--administration <division>', 'the Exact division', division)
    .option('--rows <ids>', 'Dataverse row ids (comma-separated)')
    .action(async (o: { administration?: string; rows?: string }) => {
      if (!o.administration === !o.rows) throw new Error('give --administration or --rows, not both');
      const body = o.administration
        ? { division: Number(o.administration) }
        : { rowIds: o.rows!.split(',').map((r) => r.trim()) };
      await batch(ctx(), 'dispatch', body);
    });

  program
    .command('resend')
    .description('decide and send the failed invoices again (after their fix)')
    .requiredOption('--failed', 'the failed invoices')
    .option('--reason <code>', 'only those failed for this reason, e.g. email_invalid')
    .action(async (o: { reason?: string }) => {
      await batch(ctx(), 'resend', o.reason ? { reason: o.reason } : {});
    });

  program
    .command('connect')
    .description('print the link that connects the tenant to Exact Online')
    .action(async () => {
      const { api, json, io } = ctx();
      const body = (await api.get('connect')) as ConnectView;
      if (json) return io.out(JSON.stringify(body, null, 2));
      io.out(
        `${body.connected ? 'Connected' : 'Not connected'} (${body.tenant}). Open to (re)connect: ${body.url}`,
      );
      if (body.needsFunctionKey)
        io.out("In Azure add the function key: &code=<key of the function 'exactConnect'>.");
    });
}

async function batch({ api, json, io }: ReturnType<Api>, path: string, body: Record<string, unknown>) {
  const view = json ? null : progressView(io.stream, io.out);
  let result: Summary;
  try {
    result = await api.batch(path, body, (p) => view?.update(p));
  } finally {
    view?.stop();
  }
  if (json) return io.out(JSON.stringify(result, null, 2));
  io.out(HEADER);
  for (const l of result.lines) io.out(line(l));
  summary(result.lines, io.out);
}

interface ConnectView {
  tenant: string;
  connected: boolean;
  url: string;
  needsFunctionKey: boolean;
}

interface TenantView {
  tenant: string;
  licence: { valid: boolean; reason?: string; expiresAt?: string; notice?: string };
  connected: boolean;
  administrations: Array<{
    name: string;
    division: number;
    printInvoices: boolean;
    counts: Record<string, number>;
  }>;
  failures: Array<{ invoice: string; reason: string; message: string }>;
}

function printTenant(t: TenantView, out: Out): void {
  const licence = t.licence.valid
    ? `licence valid until ${t.licence.expiresAt?.slice(0, 10)}`
    : `licence ${t.licence.reason}`;
  out(`Tenant ${t.tenant}: ${licence}; Exact ${t.connected ? 'connected' : 'not connected'}`);
  if (t.licence.notice) out(`  ${t.licence.notice}`);
  for (const a of t.administrations) {
    const counts = counted(Object.entries(a.counts)) || 'nothing dispatched yet';
    out(
      `  ${String(a.division).padEnd(8)} ${a.name.slice(0, 30).padEnd(30)} ${a.printInvoices ? 'on ' : 'off'}  ${counts}`,
    );
  }
  if (t.failures.length > 0) out(`  Failures (${t.failures.length}):`);
  for (const f of t.failures) out(`    ${f.invoice} ${f.reason}: ${f.message}`);
}
