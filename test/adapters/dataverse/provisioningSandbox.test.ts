import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import { SDK_MESSAGE_IDS } from '../../../sandbox/dataverse/metadataRows';
import { DataverseClient } from '../../../src/adapters/dataverse/client';
import { DataverseValidationError } from '../../../src/adapters/dataverse';
import { MetadataApi, planSchema, applyPlan } from '../../../src/adapters/dataverse/provisioning';

/** The sandbox's metadata endpoints refuse what Dataverse refuses, so provisioning cannot pass by accident. */
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const SECRET = 'provisioning-sandbox-secret';
let sb: DataverseSandbox;
let client: DataverseClient;
let api: MetadataApi;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: SECRET, provisioned: false });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  client = new DataverseClient({
    serverUrl: sb.url,
    authority: sb.authority,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    extraCaPem: sb.caCertPem,
    sleep: async () => undefined,
  });
  api = new MetadataApi(client);
});

const provision = async () =>
  applyPlan(await planSchema(api), {
    dryRun: false,
    out: () => undefined,
    publish: (e, o) => api.publish(e, o),
  });
const create = (collection: string, data: Record<string, unknown>) =>
  client.run('test create', (w) => w.create({ collection, data }), { idempotent: false });

describe('Dataverse sandbox metadata', () => {
  test('when a table does not exist, then EntityDefinitions answers 404 (read as "missing"), and system tables exist from the start', async () => {
    expect(await api.entity('eol_salesinvoice')).toBeNull();
    expect(await api.entity('account')).toMatchObject({ LogicalName: 'account', EntitySetName: 'accounts' });
  });

  test('when attributes are listed, then each carries its derived @odata.type and labels as LocalizedLabels', async () => {
    await provision();
    const attrs = await api.attributes('eol_salesinvoice');
    expect(attrs.find((a) => a.LogicalName === 'eol_invoicedate')).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.DateTimeAttributeMetadata',
      DisplayName: {
        LocalizedLabels: [expect.objectContaining({ Label: 'Invoice date', LanguageCode: 1033 })],
      },
    });
    const choices = await api.choiceColumns('eol_salesinvoice', 'PicklistAttributeMetadata');
    expect(choices.find((c) => c.LogicalName === 'eol_source')?.GlobalOptionSet?.Name).toBe('eol_source');
    expect(choices.find((c) => c.LogicalName === 'eol_dispatchstatus')?.GlobalOptionSet).toBeNull();
  });

  test('when a lookup is posted as an attribute, then the sandbox refuses it as Dataverse does (relationships create lookups)', async () => {
    await provision();
    await expect(
      api.createAttribute('eol_relation', {
        '@odata.type': 'Microsoft.Dynamics.CRM.LookupAttributeMetadata',
        SchemaName: 'eol_otherid',
        DisplayName: { LocalizedLabels: [{ Label: 'x', LanguageCode: 1033 }] },
      }),
    ).rejects.toThrow(/RelationshipDefinitions/);
  });

  test('when a key names a column the table lacks, then it is refused', async () => {
    await provision();
    await expect(
      api.createKey('eol_relation', { SchemaName: 'eol_bad', KeyAttributes: ['eol_nothere'] }),
    ).rejects.toThrow(/eol_nothere does not exist/);
  });

  test('when an asynchronous step is registered outside post-operation, then it is refused', async () => {
    await provision();
    const endpoint = await create('serviceendpoints', {
      name: 'x',
      contract: 8,
      authtype: 5,
      url: 'https://h.example/x',
      authvalue: '<settings><setting name="k" value="v" /></settings>',
    });
    const filter = sb.metadata.rows
      .rows('sdkmessagefilters')
      .find(
        (f) =>
          f.primaryobjecttypecode === 'eol_salesinvoice' && f._sdkmessageid_value === SDK_MESSAGE_IDS.Create,
      )!;
    const step = {
      name: 's',
      stage: 20,
      mode: 1,
      'sdkmessageid@odata.bind': `/sdkmessages(${SDK_MESSAGE_IDS.Create})`,
      'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${String(filter.sdkmessagefilterid)})`,
      'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${String(endpoint)})`,
    };
    await expect(create('sdkmessageprocessingsteps', step)).rejects.toThrow(/post-operation stage \(40\)/);
    await expect(
      create('sdkmessageprocessingsteps', { ...step, stage: 40, filteringattributes: 'eol_nothere' }),
    ).rejects.toThrow(/eol_nothere does not exist on eol_salesinvoice/);
    await create('sdkmessageprocessingsteps', { ...step, stage: 40 });
    await expect(
      client.run('delete', (w) => w.deleteRecord({ collection: 'serviceendpoints', key: String(endpoint) }), {
        idempotent: true,
      }),
    ).rejects.toThrow(/referenced by one or more sdkmessageprocessingstep/);
  });

  test('when a webhook endpoint is read back, then authvalue is never returned, and a webhook on another port or without settings XML is refused', async () => {
    const id = await create('serviceendpoints', {
      name: 'x',
      contract: 8,
      authtype: 5,
      url: 'https://h.example/x',
      authvalue: '<settings><setting name="k" value="topsecret" /></settings>',
    });
    const row = await client.run(
      'read',
      (w) => w.retrieve({ collection: 'serviceendpoints', key: String(id) }),
      { idempotent: true },
    );
    expect(row).not.toHaveProperty('authvalue');
    await expect(
      client.run(
        'read',
        (w) => w.retrieve({ collection: 'serviceendpoints', key: String(id), select: ['authvalue'] }),
        { idempotent: true },
      ),
    ).rejects.toBeInstanceOf(DataverseValidationError);
    await expect(
      create('serviceendpoints', {
        name: 'y',
        contract: 8,
        authtype: 5,
        url: 'https://h.example:8443/x',
        authvalue: '<settings><setting name="k" value="v" /></settings>',
      }),
    ).rejects.toThrow(/ports 80 and 443/);
    await expect(
      create('serviceendpoints', {
        name: 'z',
        contract: 8,
        authtype: 5,
        url: 'https://h.example/x',
        authvalue: 'plain',
      }),
    ).rejects.toThrow(/<settings>/);
  });
});
