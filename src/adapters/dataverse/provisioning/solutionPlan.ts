/**
 * Plans what a Dynamics 365 user sees (PRODUCT.md §14) after the schema: the publisher (prefix eol) and
 * the solution (created, or reused when present), web resources, forms, views, site map, app (and its
 * components), commands and roles (and their privileges), every one in the solution, then published.
 * Each component has a stable id (solution/labels.ts), so a row is found by id and changed only where a
 * compared column differs: a second run plans nothing.
 */
import type { DataverseClient } from '../client';
import { buildComponents, type Components } from '../solution/components';
import { componentId, PUBLISHER, SOLUTION } from '../solution/labels';
import { GLOBAL_OPTION_SET_NAMES } from '../solution/entityXml';
import { COMPONENT_TYPE } from '../solution/solutionXml';
import type { Change, Conflict, Plan } from './plan';
import { SolutionApi } from './solutionApi';
import { EXTENSIONS } from './schema';
import { componentRecords, type ComponentRecord } from './solutionRecords';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function planSolution(
  client: DataverseClient,
  opts: { solution?: string; components?: Components } = {},
): Promise<Plan & { skipped: string[] }> {
  const api = new SolutionApi(client);
  const c = opts.components ?? buildComponents();
  const solutionName = opts.solution ?? SOLUTION.uniquename;
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];

  const publishers = await api.list(
    'publishers',
    `customizationprefix eq '${PUBLISHER.customizationprefix}'`,
    ['publisherid', 'uniquename'],
  );
  let publisherId = publishers[0]?.publisherid as string | undefined;
  if (!publisherId) {
    publisherId = componentId('publisher', PUBLISHER.uniquename);
    const id = publisherId;
    changes.push({
      action: 'create',
      what: `publisher ${PUBLISHER.uniquename}`,
      detail: `prefix ${PUBLISHER.customizationprefix}`,
      apply: () => api.create('publishers', { publisherid: id, ...PUBLISHER }),
    });
  }
  const solutions = await api.list('solutions', `uniquename eq '${solutionName}'`, [
    'solutionid',
    '_publisherid_value',
  ]);
  const solution = solutions[0];
  let solutionId = solution?.solutionid as string | undefined;
  if (!solution) {
    solutionId = componentId('solution', solutionName);
    const ids = { solution: solutionId, publisher: publisherId };
    changes.push({
      action: 'create',
      what: `solution ${solutionName}`,
      detail: `publisher ${PUBLISHER.uniquename}, version ${SOLUTION.version}`,
      apply: () =>
        api.create('solutions', {
          solutionid: ids.solution,
          uniquename: solutionName,
          friendlyname: SOLUTION.friendlyname,
          version: SOLUTION.version,
          description: SOLUTION.description.en,
          'publisherid@odata.bind': `/publishers(${ids.publisher})`,
        }),
    });
  } else if (publishers.length > 0 && solution._publisherid_value !== publisherId) {
    conflicts.push({
      what: `solution ${solutionName}`,
      why: `its publisher does not use the prefix ${PUBLISHER.customizationprefix}`,
    });
  }

  const lang = await api.languageCode();
  const records = componentRecords(c, lang);
  for (const r of records) changes.push(...(await planRecord(api, r)));
  changes.push(...(await planAppComponents(api, c)));
  changes.push(...(await planAppRoles(api, c)));
  changes.push(...(await planRolePrivileges(api, c)));
  changes.push(...(await planMembership(api, records, c, solutionName, solution ? solutionId! : null)));
  if (changes.length > 0) changes.push(publishChange(api, c));
  return { changes, conflicts, skipped: c.skipped };
}

async function planRecord(api: SolutionApi, r: ComponentRecord): Promise<Change[]> {
  const have = await api.byId(r.collection, r.key, r.id, Object.keys(r.fields));
  if (!have)
    return [
      {
        action: 'create',
        what: r.what,
        apply: () => api.create(r.collection, { [r.key]: r.id, ...r.fields, ...(r.binds ?? {}) }),
      },
    ];
  const diffs = Object.entries(r.fields).filter(([k, v]) => !same(have[k], v));
  if (diffs.length === 0) return [];
  const data = Object.fromEntries(diffs);
  return [
    {
      action: 'update',
      what: r.what,
      detail: diffs.map(([k]) => k).join(', '),
      apply: () => api.update(r.collection, r.id, data),
    },
  ];
}

async function planAppComponents(api: SolutionApi, c: Components): Promise<Change[]> {
  const present = new Set(
    (await api.list('appmodulecomponents', `_appmoduleidunique_value eq ${c.app.id}`, ['objectid'])).map(
      (r) => String(r.objectid).toLowerCase(),
    ),
  );
  const wanted = [
    { type: 'sitemap', key: 'sitemapid', id: c.sitemap.id },
    ...c.forms.map((f) => ({ type: 'systemform', key: 'formid', id: f.id })),
    ...c.views.map((v) => ({ type: 'savedquery', key: 'savedqueryid', id: v.id })),
  ].filter((w) => !present.has(w.id));
  if (wanted.length === 0) return [];
  return [
    {
      action: 'update',
      what: `app '${c.app.name.en}'`,
      detail: `add ${wanted.length} component(s): ${wanted.map((w) => w.type).join(', ')}`,
      apply: async () =>
        void (await api.action('AddAppComponents', {
          AppId: c.app.id,
          Components: wanted.map((w) => ({
            '@odata.type': `Microsoft.Dynamics.CRM.${w.type}`,
            [w.key]: w.id,
          })),
        })),
    },
  ];
}

/** The people's roles see the app (appmoduleroles_association); the connector's role does not. */
async function planAppRoles(api: SolutionApi, c: Components): Promise<Change[]> {
  const have = new Set(await api.related('appmodules', c.app.id, 'appmoduleroles_association', 'roleid'));
  const missing = c.roles.filter((r) => r.key !== 'connector' && !have.has(r.id));
  if (missing.length === 0) return [];
  return [
    {
      action: 'update',
      what: `app '${c.app.name.en}'`,
      detail: `roles ${missing.map((r) => `'${r.name.en}'`).join(', ')}`,
      apply: async () => {
        for (const r of missing)
          await api.associate('appmodules', c.app.id, 'appmoduleroles_association', 'roles', r.id);
      },
    },
  ];
}

async function planRolePrivileges(api: SolutionApi, c: Components): Promise<Change[]> {
  const changes: Change[] = [];
  for (const role of c.roles) {
    const exists = await api.byId('roles', 'roleid', role.id, ['roleid']);
    const held = exists ? await api.rolePrivileges(role.id) : [];
    const heldIds = new Map(held.map((p) => [p.PrivilegeId.toLowerCase(), String(p.Depth)]));
    const byName = await privilegeIds(api, role.privileges);
    const missing = role.privileges.filter((n) => {
      const id = byName.get(n);
      return !id || heldIds.get(id) !== role.depth;
    });
    if (missing.length === 0) continue;
    changes.push({
      action: 'update',
      what: `role '${role.name.en}'`,
      detail: `privileges ${missing.join(', ')} at depth ${role.depth}`,
      apply: async () => {
        const ids = await privilegeIds(api, missing);
        const bu = await api.businessUnitId();
        await api.action(
          'AddPrivilegesRole',
          {
            Privileges: missing
              .filter((n) => ids.has(n))
              .map((n) => ({ PrivilegeId: ids.get(n), BusinessUnitId: bu, Depth: role.depth })),
          },
          { collection: 'roles', key: role.id },
        );
      },
    });
  }
  return changes;
}

async function privilegeIds(api: SolutionApi, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await api.list('privileges', names.map((n) => `name eq '${n}'`).join(' or '), [
    'privilegeid',
    'name',
  ]);
  return new Map(rows.map((r) => [String(r.name), String(r.privilegeid).toLowerCase()]));
}

async function planMembership(
  api: SolutionApi,
  records: ComponentRecord[],
  c: Components,
  solutionName: string,
  solutionId: string | null,
): Promise<Change[]> {
  const present = solutionId
    ? new Set(
        (await api.list('solutioncomponents', `_solutionid_value eq ${solutionId}`, ['objectid'])).map((r) =>
          String(r.objectid).toLowerCase(),
        ),
      )
    : new Set<string>();
  const defs = await api.list('solutioncomponentdefinitions', "primaryentityname eq 'appaction'", [
    'solutioncomponenttype',
  ]);
  const appactionType = Number(defs[0]?.solutioncomponenttype);
  const missing = records.filter((r) => !present.has(r.id));
  const metadata = await missingMetadata(api, c, present);
  if (missing.length === 0 && metadata.length === 0) return [];
  return [
    {
      action: 'update',
      what: `solution ${solutionName}`,
      detail: `add ${missing.length + metadata.length} component(s)`,
      apply: async () => {
        const add = (id: string, type: number) =>
          api.action('AddSolutionComponent', {
            ComponentId: id,
            ComponentType: type,
            SolutionUniqueName: solutionName,
            AddRequiredComponents: false,
            DoNotIncludeSubcomponents: false,
          });
        for (const m of metadata) {
          const id = m.id ?? (await m.read());
          if (id) await add(id, m.type);
        }
        for (const r of missing)
          if (r.componentType !== 'appaction' || Number.isInteger(appactionType))
            await add(r.id, r.componentType === 'appaction' ? appactionType : r.componentType);
      },
    },
  ];
}

/**
 * The tables (with their columns), the global choices and the columns added to system tables (account,
 * contact: the column alone, never the system table) that are not in the solution yet. `read` finds the
 * id again when the component is created by this same run.
 */
async function missingMetadata(
  api: SolutionApi,
  c: Components,
  present: ReadonlySet<string>,
): Promise<Array<{ type: number; id: string | null; read: () => Promise<string | null> }>> {
  const wanted = [
    ...c.tables.map((t) => ({ type: COMPONENT_TYPE.entity, read: () => api.entityMetadataId(t) })),
    ...GLOBAL_OPTION_SET_NAMES.map((n) => ({
      type: COMPONENT_TYPE.optionSet,
      read: () => api.optionSetMetadataId(n),
    })),
    ...EXTENSIONS.flatMap((e) =>
      e.columns.map((col) => ({
        type: COMPONENT_TYPE.attribute,
        read: () => api.attributeMetadataId(e.name, col.name),
      })),
    ),
  ];
  const out = [];
  for (const w of wanted) {
    const id = await w.read();
    if (!id || !present.has(id)) out.push({ ...w, id });
  }
  return out;
}

function publishChange(api: SolutionApi, c: Components): Change {
  const xml =
    `<importexportxml><entities>${c.tables.map((t) => `<entity>${t}</entity>`).join('')}</entities>` +
    `<webresources>${c.webresources.map((w) => `<webresource>{${w.id}}</webresource>`).join('')}</webresources>` +
    `<sitemaps><sitemap>{${c.sitemap.id}}</sitemap></sitemaps><appmodules><appmodule>{${c.app.id}}</appmodule></appmodules></importexportxml>`;
  return {
    action: 'update',
    what: 'publish forms, views, site map and app',
    apply: async () => void (await api.action('PublishXml', { ParameterXml: xml })),
  };
}
