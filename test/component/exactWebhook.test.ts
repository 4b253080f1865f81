/**
 * Exact's SalesInvoices webhook end to end (decisions 0125–0128): the connect subscribes every administration
 * once (the Exact sandbox sends its validation POST to the real local HTTP host), an invoice created in Exact
 * reaches the sweep through the webhook and is sent, and what is not Exact's is refused.
 */
import { createHmac } from 'node:crypto';
import { HttpRequest, InvocationContext } from '@azure/functions';
import '../../src/local/quietTestMode';
import { exactWebhook } from '../../functions/exactWebhook';
import { connectBySandboxConsent } from '../../src/local/wire';
import { createLogger } from '../../src/composition/log';
import { demoGuid } from '../../sandbox/seed/demo';
import { EXACT_WEBHOOK_SECRET, until, useStackBehindHost } from './webhookStack';

const SECRET = EXACT_WEBHOOK_SECRET;
const DIVISION_A = 100001;
const logLines: string[] = [];
const env = useStackBehindHost((url) => ({
  redirectUri: `${url}/api/exact/callback`,
  exactWebhookSecret: SECRET,
  exact: { webhookDelays: { validationMs: 20, deliveryMs: 20 } },
  log: createLogger((_level, line) => logLines.push(line), 'debug'),
  onDispatch: () => undefined,
}));

const sign = (content: string, secret = SECRET) =>
  createHmac('sha256', secret).update(content, 'utf8').digest('hex').toUpperCase();
const content = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    Topic: 'SalesInvoices',
    ClientId: 'sandbox-client',
    Division: DIVISION_A,
    Action: 'Create',
    Key: demoGuid('invoice:hook-none'),
    ...fields,
  });
const envelope = (c: string, hash = sign(c)) => `{"Content":${c},"HashCode":"${hash}"}`;

function post(body: string, tenant: string | null = 'demo') {
  return exactWebhook(
    new HttpRequest({
      method: 'POST',
      url: `${env.host.url}/api/exact/webhook${tenant === null ? '' : `?tenant=${tenant}`}`,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: { string: body },
    }),
    new InvocationContext({ functionName: 'exactWebhook' }),
  );
}

/** Everything the queue ever took in: unchanged means nothing was enqueued. */
function queued(): number {
  const s = env.stack.queue.stats();
  return s.scheduled + s.active + s.delivered + s.duplicatesDropped;
}

async function demoDivisions(): Promise<number[]> {
  const tenant = env.stack.runtime.tenants.find((t) => t.name === 'demo')!;
  return [...new Set((await tenant.directory.administrations()).map((a) => a.division))].sort();
}

describe('subscribing on connect', () => {
  const callback = () => `${env.host.url}/api/exact/webhook?tenant=demo`;

  test('when the tenant connects, then every administration is subscribed to SalesInvoices and Accounts once, at the tenant’s callback', async () => {
    const subs = env.stack.exact.webhookSubscriptions();
    const divisions = await demoDivisions();
    expect(divisions.length).toBeGreaterThan(1);
    for (const topic of ['SalesInvoices', 'Accounts']) {
      const ofTopic = subs.filter((s) => s.Topic === topic);
      expect(ofTopic.map((s) => s.Division).sort()).toEqual(divisions);
      for (const s of ofTopic) expect(s.CallbackURL).toBe(callback());
    }
    expect(subs).toHaveLength(2 * divisions.length);
    expect(env.stack.connected.get('demo')!.webhooks).toEqual({
      subscribed: divisions,
      already: [],
      failed: [],
    });
  });

  test('when the tenant connects a second time, then no second subscription is made', async () => {
    const before = env.stack.exact.webhookSubscriptions().length;
    const again = await connectBySandboxConsent(
      env.stack.runtime,
      'demo',
      'aaaaaaaa-0000-4000-8000-000000000001',
    );
    expect(env.stack.exact.webhookSubscriptions()).toHaveLength(before);
    expect(again.webhooks).toEqual({ subscribed: [], already: await demoDivisions(), failed: [] });
  });
});

describe('an invoice created in Exact', () => {
  test('when Exact posts its Create webhook, then the invoice gets a row and is sent within seconds', async () => {
    const invoiceId = demoGuid('invoice:born-in-exact-1');
    env.stack.exact.createInvoiceInExact(DIVISION_A, {
      InvoiceID: invoiceId,
      InvoiceTo: demoGuid('account:R2'),
      InvoiceDate: new Date().toISOString().slice(0, 10),
      Status: 20,
      Description: 'Abonnement webhook test',
      AmountDC: 42,
    });
    const delivery = await until(
      'the webhook',
      () => env.stack.exact.webhookDeliveries().find((d) => d.key === invoiceId && d.status !== 0),
      10_000,
    );
    expect([delivery.action, delivery.status]).toEqual(['Create', 202]);
    const print = await until(
      'the print',
      () => env.stack.exact.prints().find((p) => p.invoiceId === invoiceId),
      10_000,
    );
    expect(print.channel).toBe('email');
    expect(env.stack.exact.invoice(DIVISION_A, invoiceId)?.Status).toBe(50);
    await env.stack.queue.idle();
    const rows = env.stack.dataverse.get('demo')!.rows('eol_salesinvoices');
    const row = rows.find((r) => String(r.eol_exactinvoiceid ?? '').toLowerCase() === invoiceId);
    expect(row).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
  });

  test('when the connector’s own print makes Exact post an Update, then it is acknowledged and no sweep is asked for', async () => {
    const before = queued();
    const res = await post(envelope(content({ Action: 'Update', Key: demoGuid('invoice:born-in-exact-1') })));
    expect(res.status).toBe(202);
    expect(res.jsonBody).toEqual({ accepted: false, reason: 'invoice known to the connector (sent)' });
    expect(queued()).toBe(before);
  });
});

describe('what the webhook refuses', () => {
  test('when Exact sends its empty validation POST, then 200', async () => {
    expect((await post('')).status).toBe(200);
  });

  test.each([
    ['a HashCode made with another secret', envelope(content(), sign(content(), 'not-the-secret'))],
    ['the right HashCode in lowercase hex', envelope(content(), sign(content()).toLowerCase())],
    ['no HashCode', `{"Content":${content()}}`],
  ])('when the body carries %s, then 401 and nothing is enqueued', async (_name, body) => {
    const before = queued();
    const res = await post(body);
    expect(res.status).toBe(401);
    expect((res.jsonBody as { error: string }).error).toMatch(/^refused: .*HashCode/);
    await env.stack.queue.idle();
    expect(queued()).toBe(before);
  });

  test('when the body is larger than any webhook (over 64 KB), then 413 and nothing is enqueued', async () => {
    const before = queued();
    const big = content({ Padding: 'x'.repeat(70 * 1024) });
    const res = await post(envelope(big));
    expect(res.status).toBe(413);
    expect(queued()).toBe(before);
  });

  test('when the callback names no tenant or an unknown one, then 404 says how the URL names it', async () => {
    for (const tenant of [null, 'nobody']) {
      const res = await post(envelope(content()), tenant);
      expect(res.status).toBe(404);
      expect((res.jsonBody as { error: string }).error).toMatch(/\?tenant=<name>/);
    }
  });

  test('when a signed webhook names a division that is no administration of the tenant, then 403 names it and nothing is enqueued', async () => {
    const before = queued();
    const res = await post(envelope(content({ Division: 999999 })));
    expect(res.status).toBe(403);
    expect((res.jsonBody as { error: string }).error).toMatch(/^division 999999 is not an administration/);
    expect(queued()).toBe(before);
  });

  test.each([
    ['a Key that is no GUID', content({ Key: 'x' }), /Content\.Key: Key must be a GUID/],
    [
      'a topic it does not subscribe to',
      content({ Topic: 'Items' }),
      /topic Items is not one the connector subscribes to \(SalesInvoices, Accounts\)/,
    ],
    ['a Content that is not JSON', '{"Topic":', /Content is not valid JSON/],
  ])('when a signed webhook has %s, then 400 names the problem', async (_name, c, problem) => {
    const res = await post(envelope(c));
    expect(res.status).toBe(400);
    expect((res.jsonBody as { error: string }).error).toMatch(problem);
  });

  test('when webhooks were refused and subscribed, then no log line holds the webhook secret', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => l.includes(SECRET))).toEqual([]);
  });
});
