import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import { DataverseClient } from '../../../src/adapters/dataverse/client';
import {
  applyPlan,
  MetadataApi,
  planSchema,
  TABLES,
  type Plan,
} from '../../../src/adapters/dataverse/provisioning';
import { describeChange } from '../../../src/adapters/dataverse/provisioning/plan';
import type { TableSpec } from '../../../src/adapters/dataverse/provisioning/schema';

/**
 * Decisions 0075 and 0077: the master-data mirror's schema on an environment provisioned before it
 * (layouts as GUID text, no eol_layout, no account columns) and on a fresh one; Dataverse cannot change a
 * column's type, so the lookups are new columns and a clash is a conflict, never a change.
 */
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const SECRET = 'mirror-provisioning-secret';
let sb: DataverseSandbox;
let api: MetadataApi;

const NEW_COLUMNS = new Set([
  'eol_defaultlayoutid',
  'eol_defaultemaillayoutid',
  'eol_exactstate',
  'eol_accountcursor',
  'eol_layoutid',
  'eol_emaillayoutid',
  'eol_kvk',
  'eol_vatnumber',
  'eol_oin',
  'eol_language',
  'eol_invoiceaccountid',
  'eol_exactinvoicemethod',
  'eol_exactinvoiceemail',
  'eol_exactpeppolid',
  'eol_syncconflict',
]);
const OLD_LABELS: Record<string, string> = {
  eol_defaultlayout: 'Default document layout',
  eol_defaultemaillayout: 'Default email layout',
  eol_layout: 'Document layout',
  eol_emaillayout: 'Email layout',
};

/** The schema as the release before issue 14 provisioned it. */
const BEFORE: TableSpec[] = TABLES.filter((t) => t.name !== 'eol_layout').map((t) => ({
  ...t,
  columns: t.columns
    .filter((c) => !NEW_COLUMNS.has(c.name))
    .map((c) => (OLD_LABELS[c.name] ? { ...c, label: OLD_LABELS[c.name]! } : c)),
}));

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: SECRET, provisioned: false });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  const client = new DataverseClient({
    serverUrl: sb.url,
    authority: sb.authority,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    extraCaPem: sb.caCertPem,
    sleep: async () => undefined,
  });
  api = new MetadataApi(client);
});

const apply = (plan: Plan) =>
  applyPlan(plan, { dryRun: false, out: () => undefined, publish: (e, o) => api.publish(e, o) });
const attribute = (table: string, name: string) =>
  sb.metadata.store.entities.get(table)?.attributes.find((a) => a.LogicalName === name);

describe('provisioning the master-data mirror', () => {
  test('when an environment provisioned before the mirror is provisioned, then the layout table, the lookups beside the GUID text columns and the account columns are added, and a second run has no changes', async () => {
    expect(await apply(await planSchema(api, BEFORE, []))).toBe('applied');
    sb.seed({ eol_administrations: [{ eol_name: 'Bakkerij', eol_division: 1, eol_defaultlayout: 'x' }] });

    const plan = await planSchema(api);
    expect(plan.conflicts).toEqual([]);
    const lines = plan.changes.map(describeChange);
    expect(lines).toEqual(
      expect.arrayContaining([
        '+ create table eol_layout (Exact layout, primary column eol_name)',
        '+ create lookup eol_relation.eol_layoutid (to eol_layout, relationship eol_layout_eol_relation_document)',
        '+ create lookup eol_administration.eol_defaultlayoutid (to eol_layout, relationship eol_layout_eol_administration_default)',
        '+ create lookup eol_relation.eol_invoiceaccountid (to eol_relation, relationship eol_relation_eol_relation_invoiceaccount)',
        "~ update column eol_relation.eol_layout (label → 'Document layout (GUID, retired)')",
        "+ create column account.eol_kvk (string on Dynamics' account)",
        "+ create column account.eol_vatnumber (string on Dynamics' account)",
        '+ create key eol_layout.eol_layout_exactlayout (eol_administrationid, eol_exactlayoutid)',
      ]),
    );
    // No column is deleted or retyped: the GUID text stays for the sync to migrate.
    expect(lines.filter((l) => l.startsWith('-'))).toEqual([]);
    expect(await apply(plan)).toBe('applied');
    expect(attribute('eol_relation', 'eol_layoutid')).toMatchObject({
      AttributeType: 'Lookup',
      Targets: ['eol_layout'],
    });
    expect(attribute('eol_relation', 'eol_layout')).toMatchObject({ AttributeType: 'String' });
    expect(attribute('account', 'eol_kvk')).toMatchObject({ AttributeType: 'String', MaxLength: 30 });
    expect(sb.rows('eol_administrations')[0]).toMatchObject({ eol_defaultlayout: 'x' });

    const again = await planSchema(api);
    expect(again).toEqual({ changes: [], conflicts: [] });
  });

  test('when a column the mirror needs as a lookup exists as text, then provisioning reports a conflict and changes nothing', async () => {
    const clash = BEFORE.map((t) =>
      t.name === 'eol_relation'
        ? {
            ...t,
            columns: [
              ...t.columns,
              { kind: 'text' as const, name: 'eol_layoutid', label: 'Typed by hand', maxLength: 100 },
            ],
          }
        : t,
    );
    await apply(await planSchema(api, clash, []));

    const plan = await planSchema(api);
    expect(plan.conflicts).toContainEqual({
      what: 'column eol_relation.eol_layoutid',
      why: "it is a StringAttributeMetadata, the connector needs a LookupAttributeMetadata (a column's type cannot be changed)",
    });
    expect(await apply(plan)).toBe('conflicts');
    expect(sb.metadata.store.entities.get('eol_layout')).toBeUndefined();
  });

  test('when the sandbox is asked to change a column type, then it refuses as Dataverse does', async () => {
    await apply(await planSchema(api));
    const text = attribute('eol_relation', 'eol_layout')!;
    await expect(
      api.updateAttribute('eol_relation', {
        ...text,
        '@odata.type': 'Microsoft.Dynamics.CRM.LookupAttributeMetadata',
      }),
    ).rejects.toThrow(/cannot be changed/);
  });
});
