import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { EXTENSIONS, type TableSpec } from '../../../src/adapters/dataverse/provisioning/schema';
import { runDataverseCli } from '../../../src/cli/dataverse';

/**
 * Provisioning PRODUCT.md §12's columns (decision 0105): on a fresh environment with `npm run dataverse --
 * provision` (schema, Dutch labels, help), and on one provisioned before §12 (new columns and option 8 are
 * added, nothing is retyped); a second run changes nothing either way.
 */
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const SECRET = 'email-route-provisioning-secret';
const NL = 1043;
const SECTION_12 = new Set([
  'eol_emailroute',
  'eol_emailtemplateid',
  'eol_mailboxid',
  'eol_emailreview',
  'eol_emailcc',
  'eol_emailbcc',
  'eol_recipients',
  'eol_emailid',
]);

let sb: DataverseSandbox;
let caFile: string;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: SECRET, provisioned: false });
  caFile = join(mkdtempSync(join(tmpdir(), 'dv-email-')), 'ca.pem');
  writeFileSync(caFile, sb.caCertPem);
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

async function provision(): Promise<string[]> {
  const out: string[] = [];
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
    ],
    { out: (l) => out.push(l), err: (l) => out.push(l) },
    { DATAVERSE_CLIENT_SECRET: SECRET },
    { sleep: async () => undefined },
  );
  expect(code).toBe(0);
  return out;
}

type Label = { LocalizedLabels?: Array<{ Label: string; LanguageCode: number }> };
const inLanguage = (l: unknown, lang: number) =>
  (l as Label | undefined)?.LocalizedLabels?.find((x) => x.LanguageCode === lang)?.Label;
const attribute = (table: string, column: string) =>
  sb.metadata.store.entities.get(table)?.attributes.find((a) => a.LogicalName === column);
const optionSetOf = (table: string, column: string) =>
  sb.metadata.store.optionSets.get(
    sb.metadata.store.attributeOptionSet.get(String(attribute(table, column)?.MetadataId))!,
  )!;
const options = (table: string, column: string) =>
  (optionSetOf(table, column).Options as Array<{ Value: number; Label: unknown }>).map((o) => [
    o.Value,
    inLanguage(o.Label, 1033),
    inLanguage(o.Label, NL),
  ]);

describe('provisioning the Dynamics email route (PRODUCT.md §12)', () => {
  test('when a fresh environment is provisioned, then the §12 columns exist with their types, targets, defaults and Dutch labels, and a second run reports no changes', async () => {
    await provision();

    // One global choice, bound by the administration (default Exact Online) and the relation (empty).
    expect(optionSetOf('eol_administration', 'eol_emailroute')).toMatchObject({
      Name: 'eol_emailroute',
      IsGlobal: true,
    });
    expect(optionSetOf('eol_relation', 'eol_emailroute').Name).toBe('eol_emailroute');
    expect(options('eol_administration', 'eol_emailroute')).toEqual([
      [1, 'Exact Online', 'Exact Online'],
      [2, 'Dynamics 365', 'Dynamics 365'],
    ]);
    expect(attribute('eol_administration', 'eol_emailroute')).toMatchObject({ DefaultFormValue: 1 });
    expect(attribute('eol_relation', 'eol_emailroute')).toMatchObject({ DefaultFormValue: -1 });
    for (const [column, target] of [
      ['eol_emailtemplateid', 'template'],
      ['eol_mailboxid', 'queue'],
    ])
      expect(attribute('eol_administration', column!)).toMatchObject({
        AttributeType: 'Lookup',
        Targets: [target],
      });
    expect(attribute('eol_salesinvoice', 'eol_emailid')).toMatchObject({
      AttributeType: 'Lookup',
      Targets: ['email'],
    });
    expect(attribute('eol_administration', 'eol_emailreview')).toMatchObject({
      AttributeType: 'Boolean',
      DefaultValue: false,
    });
    for (const column of ['eol_emailcc', 'eol_emailbcc'])
      expect(attribute('eol_administration', column)).toMatchObject({
        AttributeType: 'String',
        MaxLength: 500,
      });
    expect(attribute('eol_salesinvoice', 'eol_recipients')).toMatchObject({
      AttributeType: 'String',
      MaxLength: 1000,
    });
    // A relation's review can be empty (the administration's): a choice, not a yes/no.
    expect(attribute('eol_relation', 'eol_emailreview')).toMatchObject({
      AttributeType: 'Picklist',
      DefaultFormValue: -1,
    });
    expect(options('eol_relation', 'eol_emailreview')).toEqual([
      [1, 'Yes, leave a draft to review', 'Ja, concept laten nakijken'],
      [2, 'No, send it', 'Nee, direct verzenden'],
    ]);
    expect(attribute('contact', 'eol_invoicerecipient')).toMatchObject({
      AttributeType: 'Boolean',
      DefaultValue: false,
    });
    expect(options('eol_salesinvoice', 'eol_dispatchstatus')).toContainEqual([
      8,
      'Review',
      'Wacht op controle',
    ]);

    expect(inLanguage(attribute('eol_administration', 'eol_emailcc')?.DisplayName, NL)).toBe(
      'CC van factuur-e-mail',
    );
    expect(inLanguage(attribute('eol_salesinvoice', 'eol_recipients')?.DisplayName, NL)).toBe('Ontvangers');
    expect(inLanguage(attribute('contact', 'eol_invoicerecipient')?.DisplayName, NL)).toBe(
      'Ontvangt facturen',
    );
    expect(inLanguage(attribute('contact', 'eol_invoicerecipient')?.Description, 1033)).toMatch(/invoices/);

    const mark = sb.requests().length;
    expect((await provision()).at(-1)).toBe('no changes');
    expect(
      sb
        .requests()
        .slice(mark)
        .filter((r) => r.path.startsWith('/api/data/') && r.method !== 'GET'),
    ).toEqual([]);
  });

  test('when an environment provisioned before §12 is provisioned, then the columns, the lookups, the contact column and option 8 are added, nothing is removed, and a second run has no changes', async () => {
    const client = new DataverseClient({
      serverUrl: sb.url,
      authority: sb.authority,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      extraCaPem: sb.caCertPem,
      sleep: async () => undefined,
    });
    const api = new MetadataApi(client);
    const apply = (plan: Plan) =>
      applyPlan(plan, { dryRun: false, out: () => undefined, publish: (e, o) => api.publish(e, o) });
    const before: TableSpec[] = TABLES.map((t) => ({
      ...t,
      columns: t.columns
        .filter((c) => !SECTION_12.has(c.name))
        .map((c) =>
          c.name === 'eol_dispatchstatus' && c.kind === 'choice'
            ? { ...c, options: (c.options ?? []).filter((o) => o.value !== 8) }
            : c,
        ),
    }));
    expect(
      await apply(
        await planSchema(
          api,
          before,
          EXTENSIONS.filter((e) => e.name === 'account'),
        ),
      ),
    ).toBe('applied');

    const plan = await planSchema(api);
    expect(plan.conflicts).toEqual([]);
    const lines = plan.changes.map(describeChange);
    expect(lines).toEqual(
      expect.arrayContaining([
        '+ create lookup eol_administration.eol_emailtemplateid (to template, relationship eol_template_eol_administration)',
        '+ create lookup eol_administration.eol_mailboxid (to queue, relationship eol_queue_eol_administration)',
        '+ create lookup eol_salesinvoice.eol_emailid (to email, relationship eol_email_eol_salesinvoice)',
        "+ create column contact.eol_invoicerecipient (boolean on Dynamics' contact)",
        expect.stringMatching(
          /^\+ create option 8 of column eol_salesinvoice\.eol_dispatchstatus \(Review\)/,
        ),
        expect.stringMatching(/^\+ create column eol_relation\.eol_emailreview/),
        expect.stringMatching(/^\+ create column eol_salesinvoice\.eol_recipients/),
      ]),
    );
    expect(lines.filter((l) => l.startsWith('-'))).toEqual([]);
    expect(await apply(plan)).toBe('applied');
    expect(attribute('eol_salesinvoice', 'eol_emailid')).toMatchObject({ Targets: ['email'] });
    expect(await planSchema(api)).toEqual({ changes: [], conflicts: [] });
  });
});
