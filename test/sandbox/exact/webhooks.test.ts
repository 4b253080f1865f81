/** `webhooks/WebhookSubscriptions` and the webhooks the Exact sandbox posts (reference §10). */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AxiosInstance } from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { ACC, DIV, LAYOUT, OTHER_DIV, client, invoiceId, seed } from './fixture';

const SUBS = `/api/v1/${DIV}/webhooks/WebhookSubscriptions`;
const SECRET = 'sandbox-test-webhook-secret';
let sb: ExactSandbox;
let api: AxiosInstance;
let receiver: Server;
let callback: string;
let answer = 200;
const received: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/exact/webhook?tenant=t`;
  sb = await startExactSandbox({
    seed: seed(2),
    redirectUri: 'http://127.0.0.1:7071/api/exact/callback',
    webhookSecret: SECRET,
    webhookDelays: { validationMs: 10, deliveryMs: 10 },
  });
});
afterAll(async () => {
  await sb.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(async () => {
  sb.reset();
  answer = 200;
  received.length = 0;
  api = client(sb, (await sb.authorize()).accessToken);
});

const subscribe = (body: object = { CallbackURL: callback, Topic: 'SalesInvoices' }) => api.post(SUBS, body);
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('webhooks/WebhookSubscriptions', () => {
  test('when the app subscribes, then Exact first posts an empty body to the callback, and GET lists the subscription', async () => {
    const res = await subscribe();
    expect(res.status).toBe(201);
    expect(received).toEqual(['']);
    const list = await api.get(SUBS);
    expect(list.status).toBe(200);
    const results = (list.data as { d: { results: Array<Record<string, unknown>> } }).d.results;
    expect(results.map((s) => [s.Division, s.Topic, s.CallbackURL])).toEqual([
      [DIV, 'SalesInvoices', callback],
    ]);
  });

  test('when the callback answers the validation POST with 500, then the subscription is refused with Exact’s text', async () => {
    answer = 500;
    const res = await subscribe();
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.data)).toContain(
      'Error 500: Invalid: Post to callback URL endpoint returns 500',
    );
    expect(sb.webhookSubscriptions()).toEqual([]);
  });

  test('when the app lacks the scope "Organization administration", then 403 Application Scope Violated', async () => {
    sb.setScopes(['Sales invoices']);
    expect((await api.get(SUBS)).status).toBe(403);
    const res = await subscribe();
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.data)).toContain('Application Scope Violated');
    expect(received).toEqual([]);
  });

  test.each([
    ['is not https off loopback', 'http://hooks.example.com/api/exact/webhook', /https/],
    ['is not on the domain of the redirect URL', 'https://elsewhere.example.com/hook', /domain/],
  ])('when the callback %s, then the subscription is refused', async (_name, url, text) => {
    const res = await subscribe({ CallbackURL: url, Topic: 'SalesInvoices' });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.data)).toMatch(text);
  });

  test('when a subscription is deleted, then GET no longer lists it; an update is refused', async () => {
    const id = ((await subscribe()).data as { d: { ID: string } }).d.ID;
    expect((await api.put(`${SUBS}(guid'${id}')`, { Topic: 'Accounts' })).status).toBe(400);
    expect((await api.delete(`${SUBS}(guid'${id}')`)).status).toBe(204);
    expect(sb.webhookSubscriptions()).toEqual([]);
  });
});

describe('the webhooks Exact posts', () => {
  test('when an invoice is created in Exact or printed, then the callback gets Create and Update, signed by the reference rule', async () => {
    await subscribe();
    received.length = 0;
    const id = invoiceId(77);
    sb.createInvoiceInExact(DIV, {
      InvoiceID: id,
      InvoiceTo: ACC.email,
      InvoiceDate: '2025-03-03',
      Status: 20,
    });
    await until(() => received.length === 1);
    const printed = await api.post(`/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`, {
      InvoiceID: id,
      DocumentLayout: LAYOUT,
    });
    expect(printed.status).toBeLessThan(300);
    await until(() => received.length === 2);
    const bodies = received.map((raw) => {
      const m = /^\{"Content":(.*),"HashCode":"([0-9A-F]{64})"\}$/.exec(raw)!;
      expect(m[2]).toBe(createHmac('sha256', SECRET).update(m[1]!).digest('hex').toUpperCase());
      return JSON.parse(m[1]!) as Record<string, unknown>;
    });
    expect(bodies.map((b) => [b.Topic, b.Division, b.Action, b.Key])).toEqual([
      ['SalesInvoices', DIV, 'Create', id],
      ['SalesInvoices', DIV, 'Update', id],
    ]);
    // The callback has the body before the sandbox has its answer: wait for both answers to be recorded.
    await until(() => sb.webhookDeliveries().every((d) => d.status !== 0));
    expect(sb.webhookDeliveries().map((d) => d.status)).toEqual([200, 200]);
  });
});

describe('the Accounts webhooks Exact posts', () => {
  const ACCOUNTS = `/api/v1/${DIV}/crm/Accounts`;
  const NEW_ACC = '11111111-0000-0000-0000-000000000099';
  const contents = () =>
    received.map((raw) => {
      const m = /^\{"Content":(.*),"HashCode":"([0-9A-F]{64})"\}$/.exec(raw)!;
      expect(m[2]).toBe(createHmac('sha256', SECRET).update(m[1]!).digest('hex').toUpperCase());
      return JSON.parse(m[1]!) as Record<string, unknown>;
    });
  /** Lets any webhook still on its way (delivery delay 10 ms) arrive. */
  const settle = () => new Promise((r) => setTimeout(r, 100));

  test('when division D is subscribed to Accounts and the app PUTs an account, then one signed Accounts Update with its Key and crm/Accounts endpoint is posted', async () => {
    await subscribe({ CallbackURL: callback, Topic: 'Accounts' });
    received.length = 0;
    const before = sb.account(DIV, ACC.email)!.Timestamp;
    const res = await api.put(`${ACCOUNTS}(guid'${ACC.email}')`, { Email: 'nieuw@jansen.test' });
    expect(res.status).toBe(204);
    await until(() => received.length === 1);
    await settle();
    expect(contents()).toEqual([
      expect.objectContaining({
        Topic: 'Accounts',
        Division: DIV,
        Action: 'Update',
        Key: ACC.email,
        ExactOnlineEndpoint: `${sb.url}${ACCOUNTS}(guid'${ACC.email}')`,
      }),
    ]);
    expect(sb.account(DIV, ACC.email)!.Timestamp).toBeGreaterThan(before);
    expect(sb.webhookDeliveries().map((d) => [d.topic, d.action, d.key])).toEqual([
      ['Accounts', 'Update', ACC.email],
    ]);
  });

  test('when a PUT changes no value, then the Accounts Update is still posted [choice]', async () => {
    await subscribe({ CallbackURL: callback, Topic: 'Accounts' });
    received.length = 0;
    const name = sb.account(DIV, ACC.email)!.Name;
    expect((await api.put(`${ACCOUNTS}(guid'${ACC.email}')`, { Name: name })).status).toBe(204);
    await until(() => received.length === 1);
    expect(contents().map((c) => [c.Topic, c.Action, c.Key])).toEqual([['Accounts', 'Update', ACC.email]]);
  });

  test('when only SalesInvoices (and Accounts of another division) are subscribed, then an account PUT posts no webhook', async () => {
    await subscribe();
    await api.post(`/api/v1/${OTHER_DIV}/webhooks/WebhookSubscriptions`, {
      CallbackURL: callback,
      Topic: 'Accounts',
    });
    expect(sb.webhookSubscriptions()).toHaveLength(2);
    received.length = 0;
    expect((await api.put(`${ACCOUNTS}(guid'${ACC.email}')`, { Email: 'nieuw@jansen.test' })).status).toBe(
      204,
    );
    // An invoice webhook raised after the PUT: once it is in, any Accounts webhook would be too.
    sb.createInvoiceInExact(DIV, {
      InvoiceID: invoiceId(78),
      InvoiceTo: ACC.email,
      InvoiceDate: '2025-03-03',
      Status: 20,
    });
    await until(() => received.length === 1);
    await settle();
    expect(contents().map((c) => c.Topic)).toEqual(['SalesInvoices']);
  });

  test('when an account is edited in Exact (editAccount), then Accounts Update is posted; a new account posts Create', async () => {
    await subscribe({ CallbackURL: callback, Topic: 'Accounts' });
    received.length = 0;
    sb.editAccount(DIV, ACC.peppol, { Email: 'info@peppol.test' });
    await until(() => received.length === 1);
    sb.editAccount(DIV, NEW_ACC, { Name: 'Nieuwe Klant' });
    await until(() => received.length === 2);
    expect(contents().map((c) => [c.Topic, c.Action, c.Key, c.ExactOnlineEndpoint])).toEqual([
      ['Accounts', 'Update', ACC.peppol, `${sb.url}${ACCOUNTS}(guid'${ACC.peppol}')`],
      ['Accounts', 'Create', NEW_ACC, `${sb.url}${ACCOUNTS}(guid'${NEW_ACC}')`],
    ]);
  });

  test('when a seeded sandbox is subscribed to Accounts and then reseeded, then no Accounts webhook is posted until an account changes', async () => {
    await subscribe({ CallbackURL: callback, Topic: 'Accounts' });
    received.length = 0;
    sb.seed(seed(2));
    await settle();
    expect(received).toEqual([]);
    sb.editAccount(DIV, ACC.bare, { Email: 'nu@wel.test' });
    await until(() => received.length === 1);
    await settle();
    expect(contents().map((c) => [c.Action, c.Key])).toEqual([['Update', ACC.bare]]);
  });
});
