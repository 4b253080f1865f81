/**
 * `npm run autoinvoice -- …` against a running local connector (the demo's sandboxes behind the local host):
 * every command, its text and its `--json`, a progress bar on a terminal and plain lines otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/autoinvoice/main';
import { startHttpHost } from '../../src/local/httpHost';
import { loadFunctionRoutes } from '../../src/local/routes';
import { demoGuid } from '../../sandbox/seed/demo';
import { editRow } from '../component/helpers';
import { useLocalStack } from '../support/localStack';
import { middayClock } from '../support/middayClock';
import { startLoopbackDns } from '../support/loopbackDns';
import { setRuntime } from '../../src/composition/runtime';

const time = middayClock();
const env = useLocalStack({ clock: time.clock, exactClock: time.clock, today: time.today });
let host: Awaited<ReturnType<typeof startHttpHost>>;
beforeAll(async () => {
  void env;
  host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
});
afterAll(() => host.close());

interface Run {
  code: number;
  out: string[];
  err: string[];
  drawn: string;
}

async function cli(args: string[], tty = false): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 });
  let drawn = '';
  stream.on('data', (d: Buffer) => (drawn += d.toString('utf8')));
  const code = await runCli(['--url', host.url, ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    stream,
  });
  return { code, out, err, drawn };
}

const json = (r: Run) => JSON.parse(r.out.join('\n')) as Record<string, unknown>;
const isoDay = (offset: number) => time.isoDay(offset);

describe('npm run autoinvoice', () => {
  test('when `plan --administration` runs, then every open invoice is printed with its outcome and the summary, and nothing is sent', async () => {
    const r = await cli(['plan', '--administration', '100002']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('Plan for Jansen Services BV (100002), tenant demo — nothing is sent');
    // A forecast: nothing went out, so no line says "sent" (decision 0146); --json keeps the machine value.
    expect(r.out[1]).toMatch(/^forecast {15}invoice /);
    expect(r.out).toContain(
      '\nForecast: 9 invoices — 4 would be sent, 2 would be ignored, 2 would be scheduled, 1 would fail',
    );
    expect(r.out.filter((l) => /^(sent|failed|ignored|scheduled) /.test(l))).toEqual([]);
    expect(r.out.some((l) => /^would be scheduled .* at \d{4}-\d{2}-\d{2}T/.test(l))).toBe(true);
    const layouts = `[layout ${demoGuid('layout:B-doc')} / ${demoGuid('layout:B-mail')}]`;
    const mail = r.out.find((l) => l.startsWith(`${'would be sent'.padEnd(22)} SO-5033`))!;
    expect(mail).toContain('email   sent → facturen@metlayout.example ');
    expect(mail.endsWith(layouts)).toBe(true);
    expect(r.out.some((l) => /^ {2}Kanaalloos Bouw\s+automatic → none: /.test(l))).toBe(true);
    expect(env.stack.exact.prints()).toHaveLength(0);
    const j = json(await cli(['--json', 'plan', '--administration', '100002']));
    const items = j.items as Array<{ outcome: string }>;
    expect(items.length).toBe(9);
    expect(items.filter((i) => i.outcome === 'sent')).toHaveLength(4);
  }, 60_000);

  test('when the administration’s sender domain does not authorise Exact’s mail servers, then `plan` warns after its forecast', async () => {
    const dns = await startLoopbackDns({
      'outlook-only.example': ['v=spf1 include:spf.protection.outlook.com -all'],
    });
    const rt = env.stack.runtime;
    setRuntime({ ...rt, settings: { ...rt.settings, SpfDnsServers: dns.server } });
    const admin = demoGuid('admin:A');
    try {
      editRow(env.stack, 'eol_administrations', admin, { eol_senderemail: 'facturen@outlook-only.example' });
      const r = await cli(['plan', '--administration', '100001']);
      expect(r.out.at(-1)).toMatch(
        /^Warning: .*outlook-only\.example.*Add include:_spf\.exactonline\.nl to it\.$/,
      );
    } finally {
      editRow(env.stack, 'eol_administrations', admin, { eol_senderemail: null });
      setRuntime(rt);
      await dns.close();
    }
    const quiet = await cli(['plan', '--administration', '100001']);
    expect(quiet.out.some((l) => l.startsWith('Warning:'))).toBe(false);
  }, 60_000);

  test('when `plan` and `dispatch` name rows, then only those invoices are planned and sent', async () => {
    const rows = [demoGuid('row:I33'), demoGuid('row:I35')].join(',');
    const j = json(await cli(['--json', 'plan', '--administration', '100002', '--rows', rows])) as {
      items: Array<{ relation: string; outcome: string }>;
    };
    expect(j.items.map((i) => `${i.relation}:${i.outcome}`).sort()).toEqual([
      'Kanaalloos Bouw:ignored',
      'Mail Met Layout BV:sent',
    ]);
    const r = await cli(['dispatch', '--rows', rows]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\nSummary: 2 invoices — 1 sent, 1 ignored');
    expect(env.stack.exact.prints().map((p) => p.invoiceId)).toEqual([demoGuid('invoice:I33')]);
  }, 60_000);

  test('when `dispatch` runs without a terminal, then progress comes as plain lines, then every invoice and npm start’s summary', async () => {
    const r = await cli(['dispatch', '--administration', '100002']);
    expect(r.code).toBe(0);
    // Mail Met Layout BV's SO-5033 went out by its row above: Exact no longer lists it as open.
    expect(r.out[0]).toMatch(/^progress 0\/8 \(0 %\) ETA \d+ s$/);
    expect(r.out).toContain('progress 8/8 (100 %)');
    expect(r.out).toContain('\nSummary: 8 invoices — 3 sent, 2 ignored, 2 scheduled, 1 failed');
    expect(r.drawn).toBe('');
    const printed = env.stack.exact.prints().filter((p) => p.division === 100002);
    expect(printed).toHaveLength(r.out.filter((l) => /^sent /.test(l)).length + 1);
  }, 60_000);

  test('when `dispatch` runs on a terminal, then a progress bar is drawn to 100 % and the summary follows', async () => {
    const r = await cli(['dispatch', '--administration', '100001'], true);
    expect(r.code).toBe(0);
    expect(r.drawn).toMatch(/█+ 100 % \| 29\/29 invoices \| done/);
    // Before the first chunk: the ETA from the administration's Exact budget.
    expect(r.drawn).toMatch(/░+ 0 % \| 0\/29 invoices \| ETA \d+ s/);
    expect(r.out.some((l) => /^progress /.test(l))).toBe(false);
    expect(r.out.find((l) => l.startsWith('\nSummary: 29 invoices'))).toBeDefined();
  }, 60_000);

  test('when `resend --failed --reason` runs after the fix, then that invoice is sent and the JSON summary says so', async () => {
    editRow(env.stack, 'eol_relations', demoGuid('relation:R8'), {
      eol_invoiceemail: 'administratie@tikfout.example',
    });
    const r = await cli(['--json', 'resend', '--failed', '--reason', 'email_invalid']);
    expect(r.code).toBe(0);
    const s = json(r) as { total: number; lines: Array<{ relation: string; outcome: string }> };
    expect(s.total).toBe(1);
    expect(s.lines).toEqual([expect.objectContaining({ relation: 'Tikfout Techniek', outcome: 'sent' })]);
    const none = await cli(['resend', '--failed', '--reason', 'email_invalid']);
    expect([none.code, none.err]).toEqual([1, ['the connector answered 404: no failed invoice to resend']]);
  }, 60_000);

  test('when `resend --failed` runs without a reason, then every failed invoice is decided again and those not fixed fail again', async () => {
    const status = json(await cli(['--json', 'status'])) as { tenants: Array<{ failures: unknown[] }> };
    const failed = status.tenants[0]!.failures.length;
    expect(failed).toBe(5);
    const r = await cli(['resend', '--failed']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`\nSummary: ${failed} invoices — 1 ignored, ${failed - 1} failed`);
    // Postbox Kapot BV's print reached Exact (Exact failed its channel): Exact no longer lists it as open.
    expect(r.out.find((l) => l.includes('Postbox Kapot BV'))).toMatch(/^ignored .* invoice_not_open$/);
  }, 60_000);

  test('when `status` runs, then the licence, the connection and the counts per administration are printed, failures listed', async () => {
    const r = await cli(['status']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^Tenant demo: licence valid until \d{4}-\d{2}-\d{2}; Exact connected$/);
    expect(r.out.find((l) => l.includes('Jansen Services BV'))).toMatch(
      /100002 .* on {3}4 sent, 2 ignored, 2 scheduled, 1 failed$/,
    );
    expect(r.out.some((l) => /^ {4}\S+ email_missing: /.test(l))).toBe(true);
    const j = json(await cli(['--json', 'status'])) as { tenants: Array<{ tenant: string }> };
    expect(j.tenants.map((t) => t.tenant)).toEqual(['demo']);
  }, 60_000);

  test('when `activate` runs with a backlog date, then the administration is switched on and the older invoices are listed as left alone', async () => {
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I39'), { eol_invoicedate: isoDay(-40) });
    const r = await cli(['activate', '--administration', '100003', '--since', isoDay(-5)]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      `Activated Oude Administratie BV (100003) from ${isoDay(-5)}.`,
      `Left alone (dated before ${isoDay(-5)}): 1`,
      expect.stringMatching(new RegExp(`^  \\S+ Klant Oude Administratie \\(${isoDay(-40)}\\)$`)),
    ]);
    const j = json(await cli(['--json', 'plan', '--administration', '100003'])) as {
      items: Array<{ reason: string }>;
    };
    expect(j.items.map((i) => i.reason).sort()).toEqual(['before_activation', 'sent']);
    // Activating again with the same date changes nothing and answers the same backlog, as JSON.
    const again = json(
      await cli(['--json', 'activate', '--administration', '100003', '--since', isoDay(-5)]),
    );
    expect((again.backlog as Array<{ rowId: string }>).map((i) => i.rowId)).toEqual([demoGuid('row:I39')]);
    const sent = json(await cli(['--json', 'dispatch', '--administration', '100003'])) as {
      percent: number;
      byOutcome: Record<string, number>;
    };
    expect([sent.percent, sent.byOutcome]).toEqual([100, { ignored: 1, sent: 1 }]);
    expect(env.stack.exact.prints().filter((p) => p.invoiceId === demoGuid('invoice:I39'))).toHaveLength(0);
  }, 60_000);

  test('when `connect` runs, then the link that connects the tenant to Exact is printed', async () => {
    const r = await cli(['connect']);
    expect(r.out).toEqual([
      `Connected (demo). Open to (re)connect: ${host.url}/api/exact/connect?tenant=demo`,
    ]);
    expect(json(await cli(['--json', 'connect']))).toEqual({
      tenant: 'demo',
      connected: true,
      url: `${host.url}/api/exact/connect?tenant=demo`,
      needsFunctionKey: false,
    });
  }, 30_000);

  test('when an argument is wrong or the connector cannot be reached, then the CLI says so and exits non-zero', async () => {
    const bad = await cli(['plan', '--administration', 'abc']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('\n')).toMatch(/an Exact division number/);
    const both = await cli(['dispatch']);
    expect([both.code, both.err.join('\n')]).toEqual([
      1,
      expect.stringMatching(/^autoinvoice: give --administration or --rows/),
    ]);
    const off = await runCli(['--url', 'http://127.0.0.1:9', 'status'], {
      out: () => undefined,
      err: (l) => expect(l).toMatch(/^cannot reach the connector at http:\/\/127\.0\.0\.1:9/),
      env: {},
      stream: process.stderr,
    });
    expect(off).toBe(1);
  }, 30_000);

  test('when the connector is in Azure, then the CLI sends the token from --token or AUTOINVOICE_TOKEN as a bearer token, and a refusal names its status but never the token', async () => {
    // A stand-in for the Azure connector: the operator API's answers for a person with and without a token.
    const seen: Array<string | undefined> = [];
    const azure = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      const ok = req.headers.authorization === 'Bearer tok-123';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(
        JSON.stringify(
          ok
            ? {
                tenant: 'contoso',
                connected: true,
                url: 'https://x/api/exact/connect',
                needsFunctionKey: true,
              }
            : { error: 'sign in with Entra ID: a bearer token is required' },
        ),
      );
    });
    await new Promise<void>((r) => azure.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(azure.address() as AddressInfo).port}`;
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const out: string[] = [];
      const err: string[] = [];
      const io = {
        out: (l: string) => out.push(l),
        err: (l: string) => err.push(l),
        env,
        stream: process.stderr,
      };
      return { code: await runCli(['--url', url, ...args], io), out, err };
    };
    try {
      const flag = await run(['--token', 'tok-123', 'connect']);
      expect([flag.code, flag.out[0]]).toEqual([
        0,
        'Connected (contoso). Open to (re)connect: https://x/api/exact/connect',
      ]);
      expect((await run(['connect'], { AUTOINVOICE_TOKEN: 'tok-123' })).code).toBe(0);
      const none = await run(['connect']);
      expect([none.code, none.err]).toEqual([
        1,
        ['the connector answered 401: sign in with Entra ID: a bearer token is required'],
      ]);
      const wrong = await run(['--token', 'tok-wrong', 'status']);
      expect(wrong.code).toBe(1);
      expect(wrong.err.join('\n')).not.toContain('tok-wrong');
      expect(seen).toEqual(['Bearer tok-123', 'Bearer tok-123', undefined, 'Bearer tok-wrong']);
    } finally {
      await new Promise<void>((r) => azure.close(() => r()));
    }
  }, 30_000);
});
