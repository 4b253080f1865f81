/**
 * The rows of the solution-aware tables (componentTables.ts) and the actions that relate them:
 * AddAppComponents (webapi/reference/addappcomponents), AddSolutionComponent, AddPrivilegesRole and
 * RetrieveRolePrivilegesRole. Privileges exist per table as Dataverse makes them: prv<Access><schema>
 * for Create, Read, Write, Delete, Append, AppendTo, Assign, Share (security-roles-privileges.md).
 */
import { createHash } from 'node:crypto';
import type { TableView } from './columns';
import { Associations } from './associations';
import {
  APPACTION_COMPONENT_TYPE,
  COMPONENT_TABLES,
  COMPONENT_TYPES,
  type ComponentTable,
} from './componentTables';
import { parseFilter } from './filter';
import type { MetadataStore } from './metadataStore';
import { ERR, GUID, newId, ODataError, type Row } from './model';
import { parseSelect } from './query';
import type { ApiRequest, ApiResponse } from './webapi';

const ACCESS = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign', 'Share'];
/** Schema names Dataverse uses in the privilege names of system tables. */
const PRIVILEGE_SCHEMA: Record<string, string> = {
  account: 'Account',
  systemuser: 'User',
  organization: 'Organization',
  // Activities share one set of privileges (prvCreateActivity, …), as in Dataverse: there is no prvCreateEmail.
  email: 'Activity',
  activitymimeattachment: 'Activity',
  appnotification: 'appnotification',
};
const DEPTHS = ['Basic', 'Local', 'Deep', 'Global'];

export class ComponentRows {
  private tables = new Map<string, Map<string, Row>>();
  /** roleid → privilegeid → depth. */
  private rolePrivileges = new Map<string, Map<string, string>>();
  private readonly associations = new Associations();
  private version = 9000;

  constructor(
    private readonly metadata: () => MetadataStore,
    private readonly view: (logical: string) => TableView | undefined,
    private readonly businessUnitId: () => string,
  ) {
    this.reset();
  }

  reset(): void {
    this.tables = new Map(COMPONENT_TABLES.map((t) => [t.set, new Map()]));
    this.rolePrivileges = new Map();
    this.associations.reset();
    this.put('businessunits', { businessunitid: this.businessUnitId(), name: 'AutoInvoice Sandbox' });
    this.put('solutioncomponentdefinitions', {
      solutioncomponentdefinitionid: newId(),
      primaryentityname: 'appaction',
      solutioncomponenttype: APPACTION_COMPONENT_TYPE,
    });
  }

  rows(set: string): Row[] {
    if (set === 'privileges') this.syncPrivileges();
    return [...(this.tables.get(set)?.values() ?? [])].map((r) => structuredClone(r));
  }

  privilegesOf(roleId: string): Array<{ name: string; depth: string }> {
    const names = new Map(this.rows('privileges').map((p) => [String(p.privilegeid), String(p.name)]));
    return [...(this.rolePrivileges.get(roleId) ?? new Map<string, string>())].map(([id, depth]) => ({
      name: names.get(id) ?? id,
      depth,
    }));
  }

  handle(req: ApiRequest, path: string, base: string): ApiResponse | null {
    if (req.method === 'POST' && path === 'AddAppComponents') return this.addAppComponents(req.body as Row);
    if (req.method === 'POST' && path === 'AddSolutionComponent')
      return this.addSolutionComponent(req.body as Row);
    // The parameter comes inline or as an alias (`RoleId=@p1` with `?@p1=…`), as the Web API allows.
    const retrieve = /^RetrieveRolePrivilegesRole\(RoleId=([^)]+)\)$/i.exec(path);
    if (req.method === 'GET' && retrieve) {
      const raw = retrieve[1]!.startsWith('@') ? (req.query[retrieve[1]!] ?? '') : retrieve[1]!;
      return this.retrieveRolePrivileges(raw.replace(/['{}]/g, '').toLowerCase());
    }
    const m = /^(\w+)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(path);
    const def = m ? COMPONENT_TABLES.find((t) => t.set === m[1]) : undefined;
    if (!m || !def) return null;
    const id = m[2]?.replace(/[{}]/g, '').toLowerCase();
    if (id !== undefined && !GUID.test(id)) throw ERR.badRequest(`Invalid key '${m[2]}'.`);
    if (
      m[3] === 'Microsoft.Dynamics.CRM.AddPrivilegesRole' &&
      def.set === 'roles' &&
      id &&
      req.method === 'POST'
    )
      return this.addPrivileges(id, req.body as Row);
    if (m[3] && id) {
      if (!this.tables.get(def.set)!.has(id)) throw ERR.notFound(def.logical, id);
      const linked = this.associations.handle(def.set, id, m[3], req, base);
      if (linked) return linked;
    }
    if (m[3]) throw new ODataError(400, '0x80060888', `The sandbox does not support '${m[3]}'.`);
    if (def.set === 'privileges') this.syncPrivileges();
    const table = this.tables.get(def.set)!;
    if (def.readOnly && req.method !== 'GET')
      throw new ODataError(403, '0x80040220', `${def.set} cannot be written directly.`);
    if (id === undefined) {
      if (req.method === 'GET') {
        const pred = req.query.$filter !== undefined ? parseFilter(req.query.$filter) : () => true;
        const value = [...table.values()].filter(pred).map((r) => project(def, r, req.query.$select));
        return json(200, { '@odata.context': `${base}$metadata#${def.set}`, value });
      }
      if (req.method === 'POST') {
        const body = (req.body ?? {}) as Row;
        const key = typeof body[def.key] === 'string' ? String(body[def.key]).toLowerCase() : newId();
        if (table.has(key)) throw ERR.exists();
        const row = this.write(def, { [def.key]: key, statecode: 0 }, body);
        return { status: 204, headers: { 'OData-EntityId': `${base}${def.set}(${String(row[def.key])})` } };
      }
      throw new ODataError(405, '0x80060888', `${req.method} is not allowed on a collection.`);
    }
    const row = table.get(id);
    if (!row) throw ERR.notFound(def.logical, id);
    if (req.method === 'GET')
      return json(200, {
        '@odata.context': `${base}$metadata#${def.set}/$entity`,
        ...project(def, row, req.query.$select),
      });
    if (req.method === 'PATCH')
      return (this.write(def, row, (req.body ?? {}) as Row), { status: 204, headers: {} });
    if (req.method === 'DELETE') return (table.delete(id), { status: 204, headers: {} });
    throw new ODataError(405, '0x80060888', `${req.method} is not allowed on a single row.`);
  }

  private write(def: ComponentTable, existing: Row, body: Row): Row {
    const next: Row = { ...existing };
    for (const [k, v] of Object.entries(body)) {
      if (k.endsWith('@odata.bind')) {
        const nav = k.slice(0, -'@odata.bind'.length).toLowerCase();
        const target = def.lookups[nav];
        const ref = /\/?(\w+)\(([0-9a-f-]{36})\)$/i.exec(String(v));
        if (!target) throw ERR.badRequest(`An undeclared property '${nav}' was found in the payload.`);
        if (!ref || ref[1] !== target || !this.tables.get(target)?.has(ref[2]!.toLowerCase()))
          throw ERR.badRequest(`${k} '${String(v)}' does not name an existing ${target} row.`);
        next[`_${nav}_value`] = ref[2]!.toLowerCase();
      } else if (k !== def.key && !k.startsWith('@')) next[k] = v;
    }
    for (const r of def.required)
      if (next[r] === undefined || next[r] === null || next[r] === '')
        throw ERR.badRequest(`${def.logical}: ${r} is required.`);
    def.check?.(next, { view: this.view });
    return this.put(def.set, next);
  }

  private put(set: string, row: Row): Row {
    const def = COMPONENT_TABLES.find((t) => t.set === set)!;
    const stored = { ...row, versionnumber: ++this.version };
    this.tables.get(set)!.set(String(row[def.key]), stored);
    return stored;
  }

  private syncPrivileges(): void {
    const table = this.tables.get('privileges')!;
    // Tables the sandbox serves without metadata (the customization tables) have privileges too.
    for (const name of ['prvReadRole', 'prvWriteRole', 'prvCreateRole'])
      if (!table.has(stableId(name))) this.put('privileges', { privilegeid: stableId(name), name });
    for (const e of this.metadata().entities.values()) {
      const logical = String(e.meta.LogicalName);
      const schema = PRIVILEGE_SCHEMA[logical] ?? String(e.meta.SchemaName ?? logical);
      for (const access of ACCESS) {
        const name = `prv${access}${schema}`;
        const id = stableId(name);
        if (!table.has(id)) this.put('privileges', { privilegeid: id, name, accessright: access });
      }
    }
  }

  private addAppComponents(body: Row): ApiResponse {
    const appId = String(body.AppId ?? '').toLowerCase();
    if (!this.tables.get('appmodules')!.has(appId)) throw ERR.notFound('appmodule', appId);
    const components = Array.isArray(body.Components) ? (body.Components as Row[]) : [];
    for (const c of components) {
      const type = String(c['@odata.type'] ?? '').replace(/^#?Microsoft\.Dynamics\.CRM\./, '');
      const def = COMPONENT_TABLES.find((t) => t.logical === type);
      const objectId = String((def && c[def.key]) ?? c.id ?? '').toLowerCase();
      if (!def || !COMPONENT_TYPES[type] || !this.tables.get(def.set)!.has(objectId))
        throw ERR.badRequest(`AddAppComponents: ${type} ${objectId} does not exist.`);
      const exists = [...this.tables.get('appmodulecomponents')!.values()].some(
        (r) => r._appmoduleidunique_value === appId && r.objectid === objectId,
      );
      if (!exists)
        this.put('appmodulecomponents', {
          appmodulecomponentid: newId(),
          _appmoduleidunique_value: appId,
          objectid: objectId,
          componenttype: COMPONENT_TYPES[type],
        });
    }
    return { status: 204, headers: {} };
  }

  private addSolutionComponent(body: Row): ApiResponse {
    const solution = [...this.tables.get('solutions')!.values()].find(
      (s) => s.uniquename === body.SolutionUniqueName,
    );
    if (!solution) throw ERR.badRequest(`The solution ${String(body.SolutionUniqueName)} does not exist.`);
    const objectId = String(body.ComponentId ?? '').toLowerCase();
    const type = Number(body.ComponentType);
    if (!GUID.test(objectId) || !Number.isInteger(type))
      throw ERR.badRequest('ComponentId and ComponentType are required.');
    const solutionId = String(solution.solutionid);
    const found = [...this.tables.get('solutioncomponents')!.values()].find(
      (r) => r._solutionid_value === solutionId && r.objectid === objectId,
    );
    const row =
      found ??
      this.put('solutioncomponents', {
        solutioncomponentid: newId(),
        _solutionid_value: solutionId,
        objectid: objectId,
        componenttype: type,
        rootcomponentbehavior: 0,
      });
    return json(200, { id: row.solutioncomponentid });
  }

  private addPrivileges(roleId: string, body: Row): ApiResponse {
    if (!this.tables.get('roles')!.has(roleId)) throw ERR.notFound('role', roleId);
    this.syncPrivileges();
    const privileges = this.tables.get('privileges')!;
    const held = this.rolePrivileges.get(roleId) ?? new Map<string, string>();
    for (const p of Array.isArray(body.Privileges) ? (body.Privileges as Row[]) : []) {
      const id = String(p.PrivilegeId ?? '').toLowerCase();
      const depth = typeof p.Depth === 'number' ? DEPTHS[p.Depth] : String(p.Depth);
      if (!privileges.has(id)) throw ERR.notFound('privilege', id);
      if (!depth || !DEPTHS.includes(depth))
        throw ERR.badRequest(`Invalid privilege depth ${String(p.Depth)}.`);
      held.set(id, depth);
    }
    this.rolePrivileges.set(roleId, held);
    return { status: 204, headers: {} };
  }

  private retrieveRolePrivileges(roleId: string): ApiResponse {
    if (!this.tables.get('roles')!.has(roleId)) throw ERR.notFound('role', roleId);
    const names = new Map(this.rows('privileges').map((p) => [String(p.privilegeid), String(p.name)]));
    const RolePrivileges = [...(this.rolePrivileges.get(roleId) ?? new Map<string, string>())].map(
      ([id, depth]) => ({
        PrivilegeId: id,
        PrivilegeName: names.get(id),
        Depth: depth,
        BusinessUnitId: this.businessUnitId(),
      }),
    );
    return json(200, { RolePrivileges });
  }
}

function stableId(name: string): string {
  const h = createHash('sha1').update(`sandbox-privilege:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function project(def: ComponentTable, row: Row, select: string | undefined): Row {
  const cols = parseSelect(select);
  const out: Row = { '@odata.etag': `W/"${String(row.versionnumber)}"` };
  if (cols === null) return { ...out, ...structuredClone(row) };
  for (const c of cols) out[c] = row[c] ?? null;
  out[def.key] = row[def.key];
  return out;
}

function json(status: number, body: Row): ApiResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
    body,
  };
}
