import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse';
import { runDataverseCli } from '../../src/cli/dataverse';
import { TRIGGER_ATTRIBUTES } from '../../src/adapters/dataverse/invoiceChanged';

const CLIENT_ID = '33333333-3333-4333-8333-333333333333';
const CLIENT_SECRET = 'cli-sb-test-client-secret-value';
const SAS_KEY = 'c2VuZC1vbmx5LXNhcy1rZXktZm9yLWRhdGF2ZXJzZS0wMTIzNDU2Nzg5';
const CONNECTION = `Endpoint=sb://autoinvoice-sb-abc123.servicebus.windows.net/;SharedAccessKeyName=dataverse-send;SharedAccessKey=${SAS_KEY};EntityPath=dataverse-events`;

let sb: DataverseSandbox;
let caFile: string;
let output: string[];

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  caFile = join(mkdtempSync(join(tmpdir(), 'dv-sb-cli-')), 'ca.pem');
  writeFileSync(caFile, sb.caCertPem);
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  output = [];
});
afterEach(() => {
  // Neither the key nor the connection string reaches the output.
  const text = output.join('\n');
  for (const secret of [...sb.issuedSecrets(), SAS_KEY, CLIENT_SECRET]) expect(text).not.toContain(secret);
});

async function cli(env: Record<string, string>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDataverseCli(
    [...args, '--url', sb.url, '--authority', sb.authority, '--client-id', CLIENT_ID, '--ca-file', caFile],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { DATAVERSE_CLIENT_SECRET: CLIENT_SECRET, ...env },
    { sleep: async () => undefined },
  );
  output.push(...out, ...err);
  return { code, out, err };
}
const withConnection = (cs = CONNECTION) => ({ AUTOINVOICE_SERVICEBUS_CONNECTION: cs });
const writesSince = (from: number) =>
  sb
    .requests()
    .slice(from)
    .filter((r) => r.path.startsWith('/api/data/') && r.method !== 'GET')
    .map((r) => `${r.method} ${r.path.replace(/\(.*\)/, '(…)')}`);
const endpoints = () => sb.metadata.rows.rows('serviceendpoints');
const steps = () => sb.metadata.rows.rows('sdkmessageprocessingsteps');

describe('npm run dataverse -- register-service-bus', () => {
  test('when registered, then a Queue endpoint with JSON messages and the send-only SAS key, and async Create/Update steps with the webhook filtering attributes, exist; a second run changes nothing', async () => {
    expect((await cli({}, 'provision')).code).toBe(0);
    const res = await cli(withConnection(), 'register-service-bus');
    expect(res.code).toBe(0);
    expect(res.out).toContain(
      "+ create service endpoint 'AutoInvoice Service Bus' (queue dataverse-events on autoinvoice-sb-abc123.servicebus.windows.net, JSON, SAS key dataverse-send)",
    );
    expect(endpoints()).toHaveLength(1);
    expect(endpoints()[0]).toMatchObject({
      contract: 2,
      authtype: 2,
      connectionmode: 1,
      namespaceformat: 2,
      namespaceaddress: 'sb://autoinvoice-sb-abc123.servicebus.windows.net/',
      solutionnamespace: 'autoinvoice-sb-abc123',
      path: 'dataverse-events',
      saskeyname: 'dataverse-send',
      saskey: SAS_KEY,
      messageformat: 2,
      userclaim: 1,
    });
    const endpointId = String(endpoints()[0]!.serviceendpointid);
    expect(
      steps().map((s) => [
        s.name,
        s.stage,
        s.mode,
        s.asyncautodelete,
        s.filteringattributes ?? null,
        s._eventhandler_value,
      ]),
    ).toEqual([
      ['AutoInvoice Service Bus: Create of eol_salesinvoice', 40, 1, true, null, endpointId],
      [
        'AutoInvoice Service Bus: Update of eol_salesinvoice',
        40,
        1,
        true,
        TRIGGER_ATTRIBUTES.join(','),
        endpointId,
      ],
    ]);

    const mark = sb.requests().length;
    const again = await cli(withConnection(), 'register-service-bus');
    expect(again.out.at(-1)).toBe('no changes');
    expect(writesSince(mark)).toEqual([]);
  });

  test('when the key is rotated, then only the endpoint is patched with the new key', async () => {
    await cli({}, 'provision');
    await cli(withConnection(), 'register-service-bus');
    const rotated = CONNECTION.replace(SAS_KEY, 'cm90YXRlZC1zZW5kLWtleS05ODc2NTQzMjEw');
    const mark = sb.requests().length;
    const res = await cli(withConnection(rotated), 'register-service-bus');
    expect(res.out).toContain("~ update service endpoint 'AutoInvoice Service Bus' (new key)");
    expect(writesSince(mark)).toEqual(['PATCH /api/data/v9.2/serviceendpoints(…)']);
    expect(endpoints()[0]!.saskey).toBe('cm90YXRlZC1zZW5kLWtleS05ODc2NTQzMjEw');
    expect(res.out.join('\n')).not.toContain('cm90YXRlZC1zZW5kLWtleS05ODc2NTQzMjEw');
  });

  test('when the webhook is registered too, then the two endpoints and their steps stay apart', async () => {
    await cli({}, 'provision');
    await cli(
      { AUTOINVOICE_WEBHOOK_SECRET: 'webhook-secret-0123456789-abcdefghij' },
      'register-webhook',
      '--webhook-url',
      'https://x.example.net/api/dataverse/webhook',
    );
    await cli(withConnection(), 'register-service-bus');
    expect(
      endpoints()
        .map((e) => [e.name, e.contract])
        .sort(),
    ).toEqual([
      ['AutoInvoice Service Bus', 2],
      ['AutoInvoice webhook', 8],
    ]);
    expect(steps()).toHaveLength(4);
    expect(
      (
        await cli(
          { AUTOINVOICE_WEBHOOK_SECRET: 'webhook-secret-0123456789-abcdefghij' },
          'register-webhook',
          '--webhook-url',
          'https://x.example.net/api/dataverse/webhook',
        )
      ).out.at(-1),
    ).toBe('no changes');
  });

  test('when run with --dry-run, then it prints three changes and writes nothing', async () => {
    await cli({}, 'provision');
    const mark = sb.requests().length;
    const res = await cli(withConnection(), 'register-service-bus', '--dry-run');
    expect(res.out.at(-1)).toBe('dry run: 3 change(s) planned, nothing written');
    expect(writesSince(mark)).toEqual([]);
  });

  test('when unregistered, then its steps and then its endpoint are deleted, the webhook stays, and a second run has no changes', async () => {
    await cli({}, 'provision');
    const webhookEnv = { AUTOINVOICE_WEBHOOK_SECRET: 'webhook-secret-0123456789-abcdefghij' };
    await cli(webhookEnv, 'register-webhook', '--webhook-url', 'https://x.example.net/api/dataverse/webhook');
    await cli(withConnection(), 'register-service-bus');
    const mark = sb.requests().length;
    const res = await cli({}, 'unregister-service-bus');
    expect(res.code).toBe(0);
    expect(writesSince(mark)).toEqual([
      'DELETE /api/data/v9.2/sdkmessageprocessingsteps(…)',
      'DELETE /api/data/v9.2/sdkmessageprocessingsteps(…)',
      'DELETE /api/data/v9.2/serviceendpoints(…)',
    ]);
    expect(endpoints().map((e) => e.name)).toEqual(['AutoInvoice webhook']);
    expect(steps()).toHaveLength(2);
    expect((await cli({}, 'unregister-service-bus')).out.at(-1)).toBe('no changes');
  });

  test.each([
    [
      'no connection string',
      {},
      /--service-bus-connection \(or AUTOINVOICE_SERVICEBUS_CONNECTION\) is required/,
    ],
    [
      'the namespace root key',
      withConnection(CONNECTION.replace('dataverse-send', 'RootManageSharedAccessKey')),
      /refusing the namespace root key/,
    ],
    ['an https endpoint', withConnection(CONNECTION.replace('sb://', 'https://')), /needs Endpoint=sb:\/\//],
    [
      'no key',
      withConnection(CONNECTION.replace(`;SharedAccessKey=${SAS_KEY}`, '')),
      /needs SharedAccessKeyName and SharedAccessKey/,
    ],
  ])('when given %s, then it exits 2, explains, and writes nothing', async (_, env, message) => {
    const res = await cli(env as Record<string, string>, 'register-service-bus');
    expect(res.code).toBe(2);
    expect(res.err.join('\n')).toMatch(message);
    expect(writesSince(0)).toEqual([]);
  });
});
