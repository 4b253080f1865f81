import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse';
import { runDataverseCli } from '../../src/cli/dataverse';

const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const CLIENT_SECRET = 'cli-test-client-secret-value';
const WEBHOOK_SECRET = 'webhook-secret-0123456789-abcdefghij';
const WEBHOOK_URL = 'https://autoinvoice.example.net/api/dataverse/webhook';

let sb: DataverseSandbox;
let caFile: string;
let output: string[];

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, provisioned: false });
  caFile = join(mkdtempSync(join(tmpdir(), 'dv-cli-')), 'ca.pem');
  writeFileSync(caFile, sb.caCertPem);
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  output = [];
});

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDataverseCli(
    [...args, '--url', sb.url, '--authority', sb.authority, '--client-id', CLIENT_ID, '--ca-file', caFile],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { DATAVERSE_CLIENT_SECRET: CLIENT_SECRET, AUTOINVOICE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    { sleep: async () => undefined },
  );
  output.push(...out, ...err);
  return { code, out, err };
}

/** Web API writes since `from` (token requests and reads excluded). */
function writesSince(from: number): string[] {
  return sb
    .requests()
    .slice(from)
    .filter((r) => r.path.startsWith('/api/data/') && r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);
}

const entity = (name: string) => sb.metadata.store.entities.get(name)!;
const attribute = (table: string, column: string) =>
  entity(table).attributes.find((a) => a.LogicalName === column)!;

afterEach(() => {
  // No secret of any kind reaches the command's output.
  const text = output.join('\n');
  for (const secret of [...sb.issuedSecrets(), WEBHOOK_SECRET]) expect(text).not.toContain(secret);
});

describe('npm run dataverse -- provision', () => {
  test('when run on a fresh environment, then it creates the eol_ tables, columns, choices, lookups and keys of PRODUCT.md §2, and a second run reports no changes and writes nothing', async () => {
    const first = await cli('provision');
    expect(first.code).toBe(0);
    expect(first.out.join('\n')).toMatch(/\+ create table eol_salesinvoice/);

    for (const [table, set] of [
      ['eol_administration', 'eol_administrations'],
      ['eol_relation', 'eol_relations'],
      ['eol_salesinvoice', 'eol_salesinvoices'],
    ]) {
      expect(entity(table!).meta.EntitySetName).toBe(set);
    }
    expect(entity('eol_salesinvoice').meta.HasActivities).toBe(true);
    expect(attribute('eol_administration', 'eol_division')['@odata.type']).toBe(
      '#Microsoft.Dynamics.CRM.IntegerAttributeMetadata',
    );
    expect(attribute('eol_administration', 'eol_sources')['@odata.type']).toBe(
      '#Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata',
    );
    expect(attribute('eol_administration', 'eol_channels')['@odata.type']).toBe(
      '#Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata',
    );
    expect(attribute('eol_administration', 'eol_printinvoices')).toMatchObject({
      AttributeType: 'Boolean',
      DefaultValue: false,
    });
    expect(attribute('eol_administration', 'eol_timing')).toMatchObject({
      AttributeType: 'Picklist',
      DefaultFormValue: 1,
    });
    expect(attribute('eol_salesinvoice', 'eol_autodispatch')).toMatchObject({ DefaultValue: true });
    expect(attribute('eol_salesinvoice', 'eol_invoicedate')).toMatchObject({
      Format: 'DateOnly',
      DateTimeBehavior: { Value: 'DateOnly' },
    });
    expect(attribute('eol_salesinvoice', 'eol_senton')).toMatchObject({ Format: 'DateAndTime' });
    expect(attribute('eol_salesinvoice', 'eol_dispatchmessage')).toMatchObject({ AttributeType: 'Memo' });
    expect(attribute('eol_relation', 'eol_administrationid')).toMatchObject({
      AttributeType: 'Lookup',
      Targets: ['eol_administration'],
      RequiredLevel: { Value: 'ApplicationRequired' },
    });
    expect(attribute('eol_relation', 'eol_accountid')).toMatchObject({
      AttributeType: 'Lookup',
      Targets: ['account'],
    });
    expect(attribute('eol_salesinvoice', 'eol_relationid')).toMatchObject({ Targets: ['eol_relation'] });

    const optionSetOf = (t: string, c: string) =>
      sb.metadata.store.optionSets.get(
        sb.metadata.store.attributeOptionSet.get(String(attribute(t, c).MetadataId))!,
      )!;
    expect(optionSetOf('eol_administration', 'eol_sources')).toMatchObject({
      Name: 'eol_source',
      IsGlobal: true,
    });
    expect(optionSetOf('eol_salesinvoice', 'eol_source').Name).toBe('eol_source');
    expect(optionSetOf('eol_relation', 'eol_invoicemethod').Options).toEqual(
      [0, 1, 2, 4, 32].map((v) => expect.objectContaining({ Value: v })),
    );
    expect(optionSetOf('eol_salesinvoice', 'eol_dispatchstatus')).toMatchObject({
      IsGlobal: false,
      Name: 'eol_salesinvoice_eol_dispatchstatus',
    });
    expect((optionSetOf('eol_salesinvoice', 'eol_dispatchstatus').Options as unknown[]).length).toBe(9);

    expect(entity('eol_administration').keys.map((k) => k.KeyAttributes)).toEqual([['eol_division']]);
    expect(entity('eol_relation').keys.map((k) => k.KeyAttributes)).toEqual([
      ['eol_administrationid', 'eol_exactaccountid'],
    ]);
    expect(entity('eol_salesinvoice').keys.map((k) => k.KeyAttributes)).toEqual([
      ['eol_administrationid', 'eol_exactinvoiceid'],
    ]);
    expect(sb.metadata.store.published).toHaveLength(2);

    const mark = sb.requests().length;
    const second = await cli('provision');
    expect(second.code).toBe(0);
    expect(second.out.at(-1)).toBe('no changes');
    expect(writesSince(mark)).toEqual([]);
  });

  test('when run with --dry-run, then it prints the plan and sends no POST, PUT, PATCH or DELETE', async () => {
    const res = await cli('provision', '--dry-run');
    expect(res.code).toBe(0);
    expect(res.out).toContain(
      '+ create choice eol_channel (1 Peppol e-invoice, 2 Exact digital postbox, 3 Email, 4 Paper)',
    );
    expect(res.out).toContain(
      '+ create key eol_relation.eol_relation_exactaccount (eol_administrationid, eol_exactaccountid)',
    );
    expect(res.out.at(-1)).toMatch(/^dry run: \d+ change\(s\) planned, nothing written$/);
    expect(writesSince(0)).toEqual([]);
    expect(sb.metadata.store.entities.has('eol_salesinvoice')).toBe(false);
  });

  test('when a column, an option and a table label were changed by hand, then provision puts them back (PUT, UpdateOptionValue, InsertOptionValue) and the next run has no changes', async () => {
    await cli('provision');
    const reason = attribute('eol_salesinvoice', 'eol_dispatchreason');
    Object.assign(reason, {
      MaxLength: 20,
      DisplayName: { LocalizedLabels: [{ Label: 'Reden', LanguageCode: 1033 }], UserLocalizedLabel: null },
    });
    const status = sb.metadata.store.optionSets.get(
      sb.metadata.store.attributeOptionSet.get(
        String(attribute('eol_salesinvoice', 'eol_dispatchstatus').MetadataId),
      )!,
    )!;
    status.Options = (status.Options as Array<{ Value: number }>).filter((o) => o.Value !== 7);
    const channel = [...sb.metadata.store.optionSets.values()].find((o) => o.Name === 'eol_channel')!;
    (channel.Options as Array<{ Value: number; Label: unknown }>)[0]!.Label = {
      LocalizedLabels: [{ Label: 'PEPPOL', LanguageCode: 1033 }],
    };

    const mark = sb.requests().length;
    const res = await cli('provision');
    expect(res.code).toBe(0);
    expect(res.out).toContain(
      "~ update column eol_salesinvoice.eol_dispatchreason (label → 'Dispatch reason', max length 20 → 100)",
    );
    expect(res.out).toContain('+ create option 7 of column eol_salesinvoice.eol_dispatchstatus (Opted out)');
    expect(res.out).toContain("~ update option 1 of choice eol_channel (label → 'Peppol e-invoice')");
    expect(writesSince(mark)).toEqual([
      'POST /api/data/v9.2/UpdateOptionValue',
      'POST /api/data/v9.2/InsertOptionValue',
      expect.stringMatching(
        /^PUT \/api\/data\/v9\.2\/EntityDefinitions\(LogicalName='eol_salesinvoice'\)\/Attributes\([0-9a-f-]{36}\)$/,
      ),
      // The hand edit also dropped the Dutch label: the column-text step puts it back (issue 17).
      expect.stringMatching(
        /^PUT \/api\/data\/v9\.2\/EntityDefinitions\(LogicalName='eol_salesinvoice'\)\/Attributes\([0-9a-f-]{36}\)$/,
      ),
      // …and the Dutch labels of channel 1 (replaced by hand) and of the re-created status 7.
      'POST /api/data/v9.2/UpdateOptionValue',
      'POST /api/data/v9.2/UpdateOptionValue',
      'POST /api/data/v9.2/PublishXml',
    ]);
    expect(attribute('eol_salesinvoice', 'eol_dispatchreason').MaxLength).toBe(100);
    expect((await cli('provision')).out.at(-1)).toBe('no changes');
  });

  test('when a column exists with another type, then provision reports the conflict, changes nothing and exits 1', async () => {
    await cli('provision');
    const division = attribute('eol_administration', 'eol_division');
    division['@odata.type'] = '#Microsoft.Dynamics.CRM.StringAttributeMetadata';
    attribute('eol_salesinvoice', 'eol_dispatchreason').MaxLength = 20;
    const mark = sb.requests().length;
    const res = await cli('provision');
    expect(res.code).toBe(1);
    expect(res.out).toContain(
      "! conflict column eol_administration.eol_division: it is a StringAttributeMetadata, the connector needs a IntegerAttributeMetadata (a column's type cannot be changed)",
    );
    expect(res.out.at(-1)).toMatch(/nothing was changed/);
    expect(writesSince(mark)).toEqual([]);
  });
});

describe('npm run dataverse -- register-webhook / unregister-webhook', () => {
  test('when registered after provisioning, then one contract-8 endpoint with the key in header x-autoinvoice-key and async post-operation Create and Update steps exist; a second run changes nothing', async () => {
    await cli('provision');
    const res = await cli('register-webhook', '--webhook-url', WEBHOOK_URL);
    expect(res.code).toBe(0);
    const [endpoint, ...others] = sb.metadata.rows.rows('serviceendpoints');
    expect(others).toEqual([]);
    expect(endpoint).toMatchObject({
      name: 'AutoInvoice webhook',
      contract: 8,
      authtype: 5,
      url: WEBHOOK_URL,
      authvalue: `<settings><setting name="x-autoinvoice-key" value="${WEBHOOK_SECRET}" /></settings>`,
    });
    const steps = sb.metadata.rows.rows('sdkmessageprocessingsteps');
    const filters = sb.metadata.rows.rows('sdkmessagefilters');
    expect(steps).toHaveLength(2);
    for (const s of steps) {
      expect(s).toMatchObject({
        stage: 40,
        mode: 1,
        asyncautodelete: true,
        _eventhandler_value: endpoint!.serviceendpointid,
      });
      expect(
        filters.find((f) => f.sdkmessagefilterid === s._sdkmessagefilterid_value)?.primaryobjecttypecode,
      ).toBe('eol_salesinvoice');
    }
    expect(steps.find((s) => s.name === 'AutoInvoice: Update of eol_salesinvoice')?.filteringattributes).toBe(
      'eol_exactinvoiceid,eol_autodispatch,eol_resend,eol_invoicedate,eol_sendnow',
    );
    expect(
      steps.find((s) => s.name === 'AutoInvoice: Create of eol_salesinvoice')?.filteringattributes ?? null,
    ).toBeNull();

    const mark = sb.requests().length;
    const again = await cli('register-webhook', '--webhook-url', WEBHOOK_URL);
    expect(again.out.at(-1)).toBe('no changes');
    expect(writesSince(mark)).toEqual([]);
  });

  test('when the key is rotated or a step was edited by hand, then only the endpoint and that step are patched', async () => {
    await cli('provision');
    await cli('register-webhook', '--webhook-url', WEBHOOK_URL);
    const update = sb.metadata.rows
      .rows('sdkmessageprocessingsteps')
      .find((s) => s.name === 'AutoInvoice: Update of eol_salesinvoice')!;
    sb.metadata.rows.handle(
      { method: 'PATCH', path: '', query: {}, headers: {}, body: { filteringattributes: 'eol_resend' } },
      `sdkmessageprocessingsteps(${String(update.sdkmessageprocessingstepid)})`,
      sb.url,
      () => true,
    );

    const mark = sb.requests().length;
    const res = await cli(
      'register-webhook',
      '--webhook-url',
      WEBHOOK_URL,
      '--webhook-secret',
      'a-rotated-webhook-secret-9876543210',
    );
    expect(res.out).toContain("~ update service endpoint 'AutoInvoice webhook' (new key)");
    expect(res.out).toContain(
      "~ update step 'AutoInvoice: Update of eol_salesinvoice' (filtering attributes → eol_exactinvoiceid,eol_autodispatch,eol_resend,eol_invoicedate,eol_sendnow)",
    );
    expect(writesSince(mark).map((w) => w.replace(/\(.*\)/, '(…)'))).toEqual([
      'PATCH /api/data/v9.2/serviceendpoints(…)',
      'PATCH /api/data/v9.2/sdkmessageprocessingsteps(…)',
    ]);
    expect(sb.metadata.rows.rows('serviceendpoints')[0]!.authvalue).toContain(
      'a-rotated-webhook-secret-9876543210',
    );
    expect(res.out.join('\n')).not.toContain('a-rotated-webhook-secret-9876543210');
  });

  test('when run with --dry-run, then the plan is printed and nothing is written', async () => {
    await cli('provision');
    const mark = sb.requests().length;
    const res = await cli('register-webhook', '--webhook-url', WEBHOOK_URL, '--dry-run');
    expect(res.out).toContain(
      "+ create service endpoint 'AutoInvoice webhook' (webhook https://autoinvoice.example.net/api/dataverse/webhook, key in header x-autoinvoice-key)",
    );
    expect(res.out.at(-1)).toBe('dry run: 3 change(s) planned, nothing written');
    expect(writesSince(mark)).toEqual([]);
    expect(sb.metadata.rows.rows('serviceendpoints')).toEqual([]);
  });

  test('when unregistered, then the steps and then the endpoint are deleted; a second run reports no changes', async () => {
    await cli('provision');
    await cli('register-webhook', '--webhook-url', WEBHOOK_URL);
    expect((await cli('unregister-webhook', '--dry-run')).out.at(-1)).toBe(
      'dry run: 3 change(s) planned, nothing written',
    );
    const mark = sb.requests().length;
    const res = await cli('unregister-webhook');
    expect(res.code).toBe(0);
    expect(writesSince(mark).map((w) => w.replace(/\(.*\)/, '(…)'))).toEqual([
      'DELETE /api/data/v9.2/sdkmessageprocessingsteps(…)',
      'DELETE /api/data/v9.2/sdkmessageprocessingsteps(…)',
      'DELETE /api/data/v9.2/serviceendpoints(…)',
    ]);
    expect(sb.metadata.rows.rows('sdkmessageprocessingsteps')).toEqual([]);
    expect(sb.metadata.rows.rows('serviceendpoints')).toEqual([]);
    expect((await cli('unregister-webhook')).out.at(-1)).toBe('no changes');
  });

  test('when the schema was never provisioned, then register-webhook says to run provision first and exits 1', async () => {
    const res = await cli('register-webhook', '--webhook-url', WEBHOOK_URL);
    expect(res.code).toBe(1);
    expect(res.err.join('\n')).toMatch(
      /no Create message filter for eol_salesinvoice: run "npm run dataverse -- provision" first/,
    );
  });
});

describe('usage', () => {
  test.each([
    [['provision', '--client-secret', ''], /--client-secret \(or DATAVERSE_CLIENT_SECRET\) is required/, {}],
    [
      ['register-webhook', '--webhook-url', 'https://x.example:8443/api/dataverse/webhook'],
      /ports 80 and 443 only/,
      undefined,
    ],
    [
      ['register-webhook', '--webhook-url', WEBHOOK_URL, '--webhook-secret', 'short'],
      /at least 24 characters/,
      undefined,
    ],
    [['deploy'], /unknown command "deploy"/, undefined],
  ])('when called as %j, then it exits 2 and explains', async (args, message, env) => {
    const err: string[] = [];
    const code = await runDataverseCli(
      [...args, '--url', sb.url, '--authority', sb.authority, '--client-id', CLIENT_ID],
      { out: () => undefined, err: (l) => err.push(l) },
      env ?? { DATAVERSE_CLIENT_SECRET: CLIENT_SECRET },
    );
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(message);
    expect(writesSince(0)).toEqual([]);
  });

  test('when the client secret is wrong, then it exits 1 with Entra ID’s reason and without the secret', async () => {
    const err: string[] = [];
    const code = await runDataverseCli(
      [
        'provision',
        '--url',
        sb.url,
        '--authority',
        sb.authority,
        '--client-id',
        CLIENT_ID,
        '--ca-file',
        caFile,
        '--client-secret',
        'wrong-secret-value-123',
      ],
      { out: () => undefined, err: (l) => err.push(l) },
      {},
      { sleep: async () => undefined },
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/AADSTS7000215/);
    expect(err.join('\n')).not.toContain('wrong-secret-value-123');
  });
});
