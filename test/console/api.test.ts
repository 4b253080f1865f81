/**
 * The operator API (issue 18) on the local host, against the demo's sandboxes: plan, dispatch, activation,
 * failures and resend, the audit, and loopback-only access.
 */
import { startHttpHost } from '../../src/local/httpHost';
import { loadFunctionRoutes } from '../../src/local/routes';
import { demoGuid, invoices } from '../../sandbox/seed/demo';
import { editRow } from '../component/helpers';
import { useLocalStack } from '../support/localStack';
import { startLoopbackDns } from '../support/loopbackDns';
import { setRuntime } from '../../src/composition/runtime';
import { middayClock } from '../support/middayClock';

const time = middayClock();
const env = useLocalStack({ clock: time.clock, exactClock: time.clock, today: time.today });
let host: Awaited<ReturnType<typeof startHttpHost>>;
beforeAll(async () => {
  void env;
  host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
});
afterAll(() => host.close());

const A = 100001;
const C = 100003;
const isoDay = (offset: number) => time.isoDay(offset);

/** Loose views of the API's answers: each test asserts the fields it reads. */
interface Line {
  invoiceId: string;
  invoice: string;
  relation: string;
  outcome: string;
  reason: string;
  channel: string | null;
  rowId: string | null;
  message: string;
  recipients: string[];
}
interface Body {
  items: Line[];
  lines: Line[];
  backlog: Line[];
  failures: Line[];
  relations: Array<{ relation: string }>;
  actions: Array<{ who: string; action: string; target: string; outcome: string; at: string }>;
  percent: number;
  total: number;
  byOutcome: Record<string, number>;
  deliverability: { domain: string; status: string; message: string } | null;
}

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${host.url}/api/console/${path}`, init);
  return { status: res.status, body: (await res.json()) as Body };
}
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the operator API on the local host', () => {
  test('when a plan is asked for an administration, then every open invoice is listed with its predicted outcome and nothing is printed or recorded', async () => {
    const { status, body } = await api(`plan?tenant=demo&division=${A}`);
    expect(status).toBe(200);
    const open = invoices.filter((i) => i.admin === 'A' && (i.exactStatus ?? 20) === 20);
    expect(body.items.map((i) => i.invoiceId).sort()).toEqual(
      open.map((i) => demoGuid(`invoice:${i.key}`).toLowerCase()).sort(),
    );
    const paper = body.items.find((i) => i.relation === 'Papier & Co' && i.outcome === 'printList');
    expect(paper).toMatchObject({
      channel: 'paper',
      reason: 'on_print_list',
      documentLayout: expect.any(String),
    });
    const failed = body.items.find((i) => i.reason === 'email_missing')!;
    expect(failed).toMatchObject({ outcome: 'failed', relation: 'Geen Mail BV', recipients: [] });
    expect(failed.message).toMatch(/Geen Mail BV/);
    const email = body.items.find((i) => i.channel === 'email' && i.outcome === 'sent')!;
    expect(email.recipients.length).toBeGreaterThan(0);
    expect(body.relations.find((r) => r.relation === 'Peppol Zonder Id')).toMatchObject({
      current: 'peppol',
      proposed: null,
      blocker: expect.stringMatching(/Peppol/),
    });
    expect(env.stack.exact.prints()).toHaveLength(0);
    expect(await env.stack.runtime.ledger.list('demo', A, ['waiting', 'sent', 'failed'])).toHaveLength(0);
  }, 60_000);

  test('when a relation without a method is invoiced through another relation, then the plan shows the inherited method', async () => {
    // Automaat Mail VOF (automatic) invoiced through Papier & Co (paper), as a person through their company.
    editRow(env.stack, 'eol_relations', demoGuid('relation:R10'), {
      _eol_invoiceaccountid_value: demoGuid('relation:R6'),
    });
    try {
      const { body } = await api(`plan?tenant=demo&division=${A}`);
      expect(body.relations.find((r) => r.relation === 'Automaat Mail VOF')).toMatchObject({
        current: 'paper',
        proposed: 'paper',
      });
    } finally {
      editRow(env.stack, 'eol_relations', demoGuid('relation:R10'), { _eol_invoiceaccountid_value: null });
    }
  }, 60_000);

  test('when Exact sends email from the administration’s own domain, then the plan checks that domain’s SPF record for Exact’s servers', async () => {
    const dns = await startLoopbackDns({
      'outlook-only.example': ['v=spf1 include:spf.protection.outlook.com -all'],
      'direct.example': ['v=spf1 include:_spf.exactonline.nl -all'],
    });
    const rt = env.stack.runtime;
    setRuntime({ ...rt, settings: { ...rt.settings, SpfDnsServers: dns.server } });
    const admin = demoGuid('admin:A');
    try {
      editRow(env.stack, 'eol_administrations', admin, { eol_senderemail: 'facturen@outlook-only.example' });
      expect((await api(`plan?division=${A}`)).body.deliverability).toEqual({
        domain: 'outlook-only.example',
        status: 'not_authorised',
        message: expect.stringMatching(/Add include:_spf\.exactonline\.nl to it\.$/),
      });
      editRow(env.stack, 'eol_administrations', admin, { eol_senderemail: 'facturen@direct.example' });
      expect((await api(`plan?division=${A}`)).body.deliverability).toMatchObject({ status: 'authorised' });
    } finally {
      editRow(env.stack, 'eol_administrations', admin, { eol_senderemail: null });
      setRuntime(rt);
      await dns.close();
    }
    expect((await api(`plan?division=${A}`)).body.deliverability).toBeNull();
  }, 30_000);

  test('when the planned administration is then dispatched, then every invoice ends as the plan said, but for a channel error only Exact knows of', async () => {
    const plan = (await api(`plan?division=${A}`)).body;
    const { status, body } = await post('dispatch', { division: A });
    expect(status).toBe(200);
    expect(body.percent).toBe(100);
    const got = new Map(body.lines.map((l) => [l.invoiceId, `${l.outcome}:${l.reason}`]));
    expect(body.total).toBe(plan.items.length);
    const differ = plan.items.filter((i) => got.get(i.invoiceId) !== `${i.outcome}:${i.reason}`);
    // Only what Exact alone knows differs: Postbox Kapot BV's account in Exact has no digital postbox, so
    // Exact's print reports a channel error the plan cannot see (decision 0090).
    expect(differ.map((i) => [i.relation, i.outcome, got.get(i.invoiceId)])).toEqual([
      ['Postbox Kapot BV', 'sent', 'failed:exact_channel_error'],
    ]);
    const printed = new Set(env.stack.exact.prints().map((p) => p.invoiceId.toLowerCase()));
    const toPrint = plan.items.filter((i) => i.outcome === 'sent' || i.outcome === 'printList');
    expect(toPrint.filter((i) => !printed.has(i.invoiceId))).toEqual([]);
    expect(printed.size).toBe(toPrint.length);
  }, 60_000);

  test('when failures are listed and one is fixed in Dataverse and resent, then it is sent and the others fail again', async () => {
    const failures = (await api('failures')).body.failures;
    const invalid = failures.find((f) => f.reason === 'email_invalid')!;
    expect(invalid.message).toMatch(/Tikfout Techniek/);
    // The fix, as a person makes it in Dynamics: the relation's address list without the typo.
    editRow(env.stack, 'eol_relations', demoGuid('relation:R8'), {
      eol_invoiceemail: 'administratie@tikfout.example',
    });
    const { status, body } = await post('resend', { reason: 'email_invalid' });
    expect(status).toBe(200);
    expect(body.lines.find((l) => l.invoiceId === invalid.invoiceId)).toMatchObject({
      outcome: 'sent',
      channel: 'email',
    });
    expect((await api('failures?reason=email_invalid')).body.failures).toHaveLength(0);
    expect((await api('failures?reason=email_missing')).body.failures).toHaveLength(1);
  }, 60_000);

  test('when an administration is activated with a backlog date, then older open invoices are left alone with before_activation and listed', async () => {
    const old = demoGuid('row:I38');
    editRow(env.stack, 'eol_salesinvoices', old, { eol_invoicedate: isoDay(-30) });
    const { status, body } = await post('activate', { division: C, since: isoDay(-7) });
    expect(status).toBe(200);
    expect(body.backlog.map((i) => i.rowId)).toEqual([old]);
    expect(body.backlog[0]!.message).toMatch(/before the activation date/);
    const admin = env.stack.dataverse.get('demo')!.row('eol_administrations', demoGuid('admin:C'))!;
    expect([admin.eol_printinvoices, String(admin.eol_activefrom).slice(0, 10)]).toEqual([true, isoDay(-7)]);
    const sent = (await post('dispatch', { division: C })).body;
    expect(sent.lines.find((l) => l.invoiceId === body.backlog[0]!.invoiceId)).toMatchObject({
      outcome: 'ignored',
      reason: 'before_activation',
    });
    expect(sent.byOutcome).toEqual({ ignored: 1, sent: 1 });
  }, 60_000);

  test('when a person moves the activation date back before the backlog, then the plan includes the older invoice and a batch sends it', async () => {
    const invoiceId = demoGuid('invoice:I38').toLowerCase();
    const preview = (await api(`plan?division=${C}&since=${isoDay(-60)}`)).body;
    expect(preview.items.find((i) => i.invoiceId === invoiceId)).toMatchObject({ outcome: 'sent' });
    expect(env.stack.exact.prints().filter((p) => p.invoiceId.toLowerCase() === invoiceId)).toHaveLength(0);
    const { body } = await post('activate', { division: C, since: isoDay(-60) });
    expect(body.backlog).toEqual([]);
    const sent = (await post('dispatch', { division: C })).body;
    expect(sent.lines.find((l) => l.invoiceId === invoiceId)).toMatchObject({
      outcome: 'sent',
      reason: 'sent',
    });
    expect(env.stack.exact.prints().filter((p) => p.invoiceId.toLowerCase() === invoiceId)).toHaveLength(1);
  }, 60_000);

  test('when a batch is asked as Server-Sent Events, then progress events reach 100 % and a summary closes the stream', async () => {
    const res = await fetch(`${host.url}/api/console/dispatch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ division: 100002 }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((e) => ({ event: /^event: (\w+)/.exec(e)![1], data: JSON.parse(/data: (.*)$/m.exec(e)![1]!) }));
    expect(events[0]).toMatchObject({ event: 'progress', data: { done: 0, percent: 0 } });
    expect(events.at(-2)).toMatchObject({ event: 'progress', data: { percent: 100 } });
    expect(events.at(-1)!.event).toBe('summary');
    expect(events.at(-1)!.data.lines).toHaveLength(events.at(-1)!.data.total);
    expect(events[0]!.data.eta).toMatchObject({ seconds: expect.any(Number), beyondDailyBudget: 0 });
  }, 60_000);

  test('when actions were taken, then the audit names who did what and when, newest first', async () => {
    const { body } = await api('audit');
    const actions = body.actions.map((a) => `${a.who} ${a.action} ${a.target} ${a.outcome}`);
    expect(actions).toEqual([
      'local dispatch 100002 ok',
      'local dispatch 100003 ok',
      'local activate 100003 ok',
      'local dispatch 100003 ok',
      'local activate 100003 ok',
      'local resend 1 rows ok',
      'local dispatch 100001 ok',
    ]);
    expect(Date.parse(body.actions[0]!.at)).toBeGreaterThan(time.clock.now().getTime() - 60_000);
  }, 30_000);

  test('when a caller is not on loopback, or a page of another site calls, then the local console refuses', async () => {
    const { consoleStatus } = await import('../../functions/console');
    const { HttpRequest, InvocationContext } = await import('@azure/functions');
    const call = (headers: Record<string, string>) =>
      consoleStatus(
        new HttpRequest({ method: 'GET', url: 'http://127.0.0.1/api/console/status', headers }),
        new InvocationContext(),
      );
    expect((await call({ 'x-forwarded-for': '192.168.1.20' })).status).toBe(403);
    expect((await call({ 'x-forwarded-for': '127.0.0.1', origin: 'https://evil.example' })).status).toBe(403);
    expect((await call({ 'x-forwarded-for': '127.0.0.1' })).status).toBe(200);
    // The host sets the address from the socket, whatever the caller claims.
    const spoofed = await fetch(`${host.url}/api/console/status`, {
      headers: { 'x-forwarded-for': '10.0.0.1' },
    });
    expect(spoofed.status).toBe(200);
  }, 30_000);
});
