/**
 * `provision` creates what a Dynamics user sees (forms, views, app, site map, commands, roles) in the
 * AutoInvoice solution; `export-solution` writes the same components as a folder and an importable zip.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse';
import { runDataverseCli } from '../../src/cli/dataverse';
import { buildComponents } from '../../src/adapters/dataverse/solution/components';

const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const CLIENT_SECRET = 'cli-test-client-secret-value';
let sb: DataverseSandbox;
let caFile: string;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, provisioned: false });
  caFile = join(mkdtempSync(join(tmpdir(), 'dv-sol-')), 'ca.pem');
  writeFileSync(caFile, sb.caCertPem);
});
afterAll(() => sb.close());

async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const connection =
    args[0] === 'export-solution'
      ? []
      : ['--url', sb.url, '--authority', sb.authority, '--client-id', CLIENT_ID, '--ca-file', caFile];
  const code = await runDataverseCli(
    [...args, ...connection],
    { out: (l) => out.push(l), err: (l) => out.push(l) },
    { DATAVERSE_CLIENT_SECRET: CLIENT_SECRET },
    { sleep: async () => undefined },
  );
  return { code, out };
}

const c = buildComponents();
const rows = (set: string) => sb.customizations.components.rows(set);

describe('provision: what a Dynamics 365 user sees', () => {
  test('when provisioned on a fresh environment, then forms, views, app, site map, commands and roles exist in solution AutoInvoice with publisher eol, and a second run reports no changes', async () => {
    const first = await cli('provision');
    expect(first.code).toBe(0);
    expect(rows('publishers').map((p) => p.customizationprefix)).toEqual(['eol']);
    expect(rows('solutions').map((s) => s.uniquename)).toEqual(['AutoInvoice']);
    expect(
      rows('systemforms')
        .map((f) => f.objecttypecode)
        .sort(),
    ).toEqual(c.forms.map((f) => f.table).sort());
    expect(
      rows('savedqueries')
        .map((v) => v.name)
        .sort(),
    ).toEqual(
      ['Actie nodig', 'Gepland', 'Genegeerd', 'Verzonden (laatste 30 dagen)', 'Wacht op controle'].sort(),
    );
    expect(rows('appmodules').map((a) => a.uniquename)).toEqual(['eol_AutoInvoice']);
    expect(rows('sitemaps')).toHaveLength(1);
    expect(rows('appactions')).toHaveLength(8);
    expect(rows('appmodulecomponents')).toHaveLength(1 + c.forms.length + c.views.length);
    const salesUser = rows('roles').find((r) => r.name === 'AutoInvoice-verkoopgebruiker')!;
    const held = sb.customizations.components
      .privilegesOf(String(salesUser.roleid))
      .map((p) => `${p.name}:${p.depth}`)
      .sort();
    // Read what invoices point at (eol_layout too, once the vocabulary has it), write invoices, nothing more.
    const layouts = c.tables.includes('eol_layout') ? ['prvReadeol_layout'] : [];
    expect(held).toEqual(
      [
        'prvReadeol_salesinvoice',
        'prvWriteeol_salesinvoice',
        'prvReadeol_relation',
        'prvReadeol_administration',
        ...layouts,
      ]
        .map((n) => `${n}:Global`)
        .sort(),
    );
    // Every role holds every privilege it names, at its depth: a name the environment lacks (prvCreateEmail:
    // emails use the Activity privileges) would be left out and planned again on every run.
    for (const r of c.roles)
      expect(
        sb.customizations.components
          .privilegesOf(r.id)
          .map((p) => `${p.name}:${p.depth}`)
          .sort(),
      ).toEqual(r.privileges.map((n) => `${n}:${r.depth}`).sort());
    const appRoles = sb.customizations.handle({
      method: 'GET',
      path: `appmodules(${c.app.id})/appmoduleroles_association`,
      query: {},
      headers: {},
      body: undefined,
    })!.body as { value: Array<{ roleid: string }> };
    expect(appRoles.value.map((r) => r.roleid).sort()).toEqual(
      c.roles
        .filter((r) => r.key !== 'connector')
        .map((r) => r.id)
        .sort(),
    );
    const members = new Set(rows('solutioncomponents').map((r) => r.objectid));
    for (const id of [
      ...c.forms.map((f) => f.id),
      ...c.views.map((v) => v.id),
      ...c.commands.map((x) => x.id),
      ...c.roles.map((r) => r.id),
      c.app.id,
      c.sitemap.id,
    ])
      expect(members.has(id)).toBe(true);
    for (const t of c.tables)
      expect(members.has(String(sb.metadata.store.entities.get(t)!.meta.MetadataId))).toBe(true);
    // The global choices, and the columns added to account and contact (never those system tables).
    const choices = [...sb.metadata.store.optionSets.values()].filter(
      (o) => o.IsGlobal && String(o.Name).startsWith('eol_'),
    );
    expect(choices.length).toBeGreaterThan(0);
    for (const o of choices)
      expect({ [String(o.Name)]: members.has(String(o.MetadataId)) }).toEqual({ [String(o.Name)]: true });
    for (const table of ['account', 'contact']) {
      const entry = sb.metadata.store.entities.get(table)!;
      expect(members.has(String(entry.meta.MetadataId))).toBe(false);
      const added = entry.attributes.filter((a) => String(a.LogicalName).startsWith('eol_'));
      expect(added.length).toBeGreaterThan(0);
      for (const a of added)
        expect({ [String(a.LogicalName)]: members.has(String(a.MetadataId)) }).toEqual({
          [String(a.LogicalName)]: true,
        });
    }

    const print = sb.metadata.store.entities
      .get('eol_administration')!
      .attributes.find((a) => a.LogicalName === 'eol_printinvoices')!;
    const labels = (l: unknown) =>
      ((l as { LocalizedLabels: Array<{ Label: string; LanguageCode: number }> }).LocalizedLabels ?? [])
        .map((x) => `${x.LanguageCode} ${x.Label}`)
        .sort();
    expect(labels(print.DisplayName)).toEqual(['1033 Print invoices', '1043 Facturen printen']);
    expect(labels(print.Description)).toEqual([
      '1033 Master switch: while no, AutoInvoice prints and sends nothing for this administration.',
      '1043 Hoofdschakelaar: zolang nee, print en verstuurt AutoInvoice niets voor deze administratie.',
    ]);

    expect(labels(sb.metadata.store.entities.get('eol_salesinvoice')!.meta.DisplayCollectionName)).toEqual([
      '1033 Exact sales invoices',
      '1043 Exact-verkoopfacturen',
    ]);

    const statusAttr = sb.metadata.store.entities
      .get('eol_salesinvoice')!
      .attributes.find((a) => a.LogicalName === 'eol_dispatchstatus')!;
    const statusSet = sb.metadata.store.optionSets.get(
      sb.metadata.store.attributeOptionSet.get(String(statusAttr.MetadataId))!,
    )!;
    const failedOption = (statusSet.Options as Array<{ Value: number; Label: unknown }>).find(
      (o) => o.Value === 6,
    )!;
    expect(labels(failedOption.Label)).toEqual(['1033 Failed', '1043 Mislukt']);

    const second = await cli('provision');
    expect(second.code).toBe(0);
    expect(second.out.at(-1)).toBe('no changes');
  });

  test('when a view was edited by hand, then provision puts its FetchXml back and the next run has no changes', async () => {
    const view = c.views.find((v) => v.key === 'needsaction')!;
    sb.customizations.handle({
      method: 'PATCH',
      path: `savedqueries(${view.id})`,
      query: {},
      headers: {},
      body: { fetchxml: view.fetchxml.replace('value="6"', 'value="5"') },
    });
    const fixed = await cli('provision');
    expect(fixed.out).toContain("~ update view 'Needs action' (fetchxml)");
    expect((await cli('provision')).out.at(-1)).toBe('no changes');
  });
});

describe('export-solution', () => {
  test('when exported, then the folder and the zip hold solution.xml, customizations.xml and [Content_Types].xml with every component, publisher eol, and well-formed XML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dv-export-'));
    const res = await cli('export-solution', '--out', dir);
    expect(res.code).toBe(0);
    const zipPath = res.out.find((l) => l.startsWith('solution zip '))!.slice('solution zip '.length);
    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    expect(
      Object.keys(zip.files)
        .filter((f) => !f.endsWith('/'))
        .sort(),
    ).toEqual(
      [
        '[Content_Types].xml',
        'customizations.xml',
        'solution.xml',
        'WebResources/eol_/autoinvoice/commands.js',
        'WebResources/eol_/autoinvoice/icon.svg',
      ].sort(),
    );
    const text = async (f: string) => zip.file(f)!.async('string');
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
    for (const f of ['solution.xml', 'customizations.xml', '[Content_Types].xml'])
      expect(XMLValidator.validate(await text(f))).toBe(true);
    const manifest = parser.parse(await text('solution.xml')).ImportExportXml.SolutionManifest;
    expect(manifest.UniqueName).toBe('AutoInvoice');
    expect(manifest.Managed).toBe(0);
    expect(manifest.Publisher.CustomizationPrefix).toBe('eol');
    const roots = (manifest.RootComponents.RootComponent as Array<Record<string, string>>).map(
      (r) => `${r.type}:${r.schemaName ?? r.id}`,
    );
    expect(roots).toEqual(
      expect.arrayContaining([
        ...c.tables.map((t) => `1:${t}`),
        ...c.roles.map((r) => `20:{${r.id}}`),
        '62:eol_AutoInvoice',
        '80:eol_AutoInvoice',
      ]),
    );
    const custom = await text('customizations.xml');
    for (const id of [
      ...c.forms.map((f) => f.id),
      ...c.views.map((v) => v.id),
      ...c.commands.map((x) => x.id),
      ...c.roles.map((r) => r.id),
    ])
      expect(custom).toContain(`{${id}}`);
    expect(custom).toContain('<Languages><Language>1033</Language><Language>1043</Language></Languages>');
    const folder = res.out.find((l) => l.startsWith('solution folder '))!.slice('solution folder '.length);
    expect(existsSync(join(folder, 'solution.xml'))).toBe(true);
    expect(existsSync(join(folder, 'AppModuleSiteMaps', 'eol_AutoInvoice', 'AppModuleSiteMap.xml'))).toBe(
      true,
    );
    expect(existsSync(join(folder, 'AppModules', 'eol_AutoInvoice', 'AppModule.xml'))).toBe(true);
    for (const t of [...c.tables, 'account', 'contact'])
      expect(XMLValidator.validate(readFileSync(join(folder, 'Entities', t, 'Entity.xml'), 'utf8'))).toBe(
        true,
      );
    for (const f of c.forms)
      expect(existsSync(join(folder, 'Entities', f.table, 'FormXml', 'main', `{${f.id}}.xml`))).toBe(true);
    for (const v of c.views)
      expect(existsSync(join(folder, 'Entities', v.table, 'SavedQueries', `{${v.id}}.xml`))).toBe(true);
    for (const a of c.commands)
      expect(existsSync(join(folder, 'appactions', `${a.uniquename}.xml`))).toBe(true);
    for (const r of c.roles) expect(existsSync(join(folder, 'Roles', `${r.name.en}.xml`))).toBe(true);
  });

  test('when exported after provision, then customizations.xml defines every table, column, choice, relationship and key provision created, with the same types and labels in 1033 and 1043', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dv-export-'));
    const res = await cli('export-solution', '--out', dir);
    const zipPath = res.out.find((l) => l.startsWith('solution zip '))!.slice('solution zip '.length);
    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) =>
        [
          'Entity',
          'attribute',
          'displayname',
          'option',
          'label',
          'optionset',
          'EntityRelationship',
          'EntityKey',
          'KeyAttribute',
          'LocalizedName',
          'RootComponent',
        ].includes(name),
    });
    const xml = parser.parse(await zip.file('customizations.xml')!.async('string')).ImportExportXml;
    type Labelled = { displaynames?: { displayname: Array<{ description: string; languagecode: string }> } };
    const labelsOf = (a: Labelled) =>
      (a.displaynames?.displayname ?? []).map((d) => `${d.languagecode} ${d.description}`).sort();
    const sandboxLabels = (l: unknown) =>
      ((l as { LocalizedLabels?: Array<{ Label: string; LanguageCode: number }> })?.LocalizedLabels ?? [])
        .map((x) => `${x.LanguageCode} ${x.Label}`)
        .sort();
    const TYPE: Record<string, string> = {
      StringAttributeMetadata: 'nvarchar',
      MemoAttributeMetadata: 'ntext',
      IntegerAttributeMetadata: 'int',
      BooleanAttributeMetadata: 'bit',
      PicklistAttributeMetadata: 'picklist',
      MultiSelectPicklistAttributeMetadata: 'multiselectpicklist',
      DateTimeAttributeMetadata: 'datetime',
      LookupAttributeMetadata: 'lookup',
    };
    type XmlAttribute = Labelled & {
      PhysicalName: string;
      Type: string;
      MaxLength?: number;
      Format?: string;
      OptionSetName?: string;
      optionset?: Array<{ options: { option: Array<{ value: number }> } }>;
    };
    const exported = new Map<string, XmlAttribute[]>(
      (
        xml.Entities.Entity as Array<{
          Name: string | { '#text': string };
          EntityInfo: { entity: { attributes?: { attribute: XmlAttribute[] } } };
        }>
      ).map((e) => [
        typeof e.Name === 'string' ? e.Name : e.Name['#text'],
        e.EntityInfo.entity.attributes?.attribute ?? [],
      ]),
    );
    let compared = 0;
    for (const [table, entry] of sb.metadata.store.entities) {
      const custom = entry.attributes.filter(
        (a) => String(a.LogicalName).startsWith('eol_') && a.IsCustomAttribute,
      );
      if (custom.length === 0) continue;
      const mine = exported.get(table);
      expect({ table, exported: mine !== undefined }).toEqual({ table, exported: true });
      const byName = new Map(mine!.map((a) => [a.PhysicalName, a]));
      expect(
        mine!
          .filter((a) => a.Type !== 'primarykey')
          .map((a) => a.PhysicalName)
          .sort(),
      ).toEqual(custom.map((a) => String(a.LogicalName)).sort());
      for (const a of custom) {
        const x = byName.get(String(a.LogicalName))!;
        const kind = String(a['@odata.type']).replace('#Microsoft.Dynamics.CRM.', '');
        expect(`${table}.${x.PhysicalName} ${x.Type}`).toBe(
          `${table}.${String(a.LogicalName)} ${TYPE[kind]}`,
        );
        expect(labelsOf(x)).toEqual(sandboxLabels(a.DisplayName));
        if (kind === 'StringAttributeMetadata') expect(x.MaxLength).toBe(a.MaxLength);
        if (kind === 'DateTimeAttributeMetadata')
          expect(x.Format).toBe(a.Format === 'DateOnly' ? 'date' : 'datetime');
        if (kind === 'PicklistAttributeMetadata' || kind === 'MultiSelectPicklistAttributeMetadata') {
          const set = sb.metadata.store.optionSets.get(
            sb.metadata.store.attributeOptionSet.get(String(a.MetadataId))!,
          )!;
          if (set.IsGlobal) expect(x.OptionSetName).toBe(set.Name);
          else
            expect(x.optionset![0]!.options.option.map((o) => Number(o.value)).sort()).toEqual(
              (set.Options as Array<{ Value: number }>).map((o) => o.Value).sort(),
            );
        }
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(50);

    const globals = xml.optionsets.optionset as Array<{
      Name: string;
      options: {
        option: Array<{
          value: number;
          labels: { label: Array<{ description: string; languagecode: string }> };
        }>;
      };
    }>;
    const sandboxGlobals = [...sb.metadata.store.optionSets.values()].filter(
      (s) => s.IsGlobal && String(s.Name).startsWith('eol_'),
    );
    expect(globals.map((g) => g.Name).sort()).toEqual(sandboxGlobals.map((s) => String(s.Name)).sort());
    for (const g of globals) {
      const have = sandboxGlobals.find((s) => s.Name === g.Name)!;
      const exportedOptions = g.options.option
        .map(
          (o) =>
            `${o.value} ${o.labels.label
              .map((l) => `${l.languagecode} ${l.description}`)
              .sort()
              .join(' | ')}`,
        )
        .sort();
      const provisioned = (have.Options as Array<{ Value: number; Label: unknown }>)
        .map((o) => `${o.Value} ${sandboxLabels(o.Label).join(' | ')}`)
        .sort();
      expect(exportedOptions).toEqual(provisioned);
    }

    const relationships = (xml.EntityRelationships.EntityRelationship as Array<Record<string, string>>).map(
      (r) =>
        `${r.Name}: ${r.ReferencingEntityName}.${r.ReferencingAttributeName} -> ${r.ReferencedEntityName}`,
    );
    const provisionedRelationships = [...sb.metadata.store.relationships.values()]
      .filter((r) => String(r.SchemaName).startsWith('eol_'))
      .map(
        (r) =>
          `${String(r.SchemaName)}: ${String(r.ReferencingEntity)}.${String(r.ReferencingAttribute)} -> ${String(r.ReferencedEntity)}`,
      );
    expect(relationships.sort()).toEqual(provisionedRelationships.sort());

    const keys = [...exported.keys()].flatMap((t) => {
      const e = (
        xml.Entities.Entity as Array<{
          EntityInfo: {
            entity: {
              Name: string;
              EntityKeys?: { EntityKey: Array<{ Name: string; KeyAttributes: { KeyAttribute: string[] } }> };
            };
          };
        }>
      ).find((x) => x.EntityInfo.entity.Name === t)!;
      return (e.EntityInfo.entity.EntityKeys?.EntityKey ?? []).map(
        (k) => `${t}.${k.Name}(${k.KeyAttributes.KeyAttribute.join(',')})`,
      );
    });
    const provisionedKeys = [...sb.metadata.store.entities].flatMap(([t, e]) =>
      (e.keys as Array<{ SchemaName: string; KeyAttributes: string[] }>).map(
        (k) => `${t}.${k.SchemaName}(${k.KeyAttributes.join(',')})`,
      ),
    );
    expect(keys.sort()).toEqual(provisionedKeys.sort());
    expect(keys.length).toBeGreaterThan(0);

    const manifest = parser.parse(await zip.file('solution.xml')!.async('string')).ImportExportXml
      .SolutionManifest;
    const roots = (manifest.RootComponents.RootComponent as Array<Record<string, string>>).map(
      (r) => `${r.type}:${r.schemaName ?? r.id}:${r.behavior}`,
    );
    expect(roots).toEqual(
      expect.arrayContaining([
        ...sandboxGlobals.map((s) => `9:${String(s.Name)}:0`),
        '1:account:2',
        '1:contact:2',
      ]),
    );
  });
});
