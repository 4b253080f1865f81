import { parseFilter } from './filter';
import { ERR, GUID, newId, ODataError, type Row } from './model';
import { parseSelect } from './query';
import type { ApiRequest, ApiResponse } from './webapi';

/**
 * The plug-in registration tables behind a webhook (serviceendpoint, sdkmessage, sdkmessagefilter,
 * sdkmessageprocessingstep), with the checks Dataverse makes that a registration tool can trip over:
 * webhook URLs on ports 80/443, HttpHeader auth as `<settings>` XML, async only in post-operation,
 * a filter belonging to its message, no endpoint deleted while steps use it, authvalue never readable.
 */
interface TableDef {
  set: string;
  key: string;
  /** Navigation property → target set; polymorphic ones are bound as `<nav>_<target logical name>`. */
  lookups: Record<string, string>;
  readOnly?: boolean;
  unreadable?: string[];
}

const TABLES: TableDef[] = [
  { set: 'serviceendpoints', key: 'serviceendpointid', lookups: {}, unreadable: ['authvalue'] },
  { set: 'sdkmessages', key: 'sdkmessageid', lookups: {}, readOnly: true },
  {
    set: 'sdkmessagefilters',
    key: 'sdkmessagefilterid',
    lookups: { sdkmessageid: 'sdkmessages' },
    readOnly: true,
  },
  {
    set: 'sdkmessageprocessingsteps',
    key: 'sdkmessageprocessingstepid',
    lookups: {
      sdkmessageid: 'sdkmessages',
      sdkmessagefilterid: 'sdkmessagefilters',
      eventhandler: 'serviceendpoints',
    },
  },
];

/** Fixed ids, so tests and logs can name them. */
export const SDK_MESSAGE_IDS = {
  Create: '9ebdbb1b-ea3e-db11-86a7-000a3a5473e8',
  Update: '20bebb1b-ea3e-db11-86a7-000a3a5473e8',
  Delete: '20bdbb1b-ea3e-db11-86a7-000a3a5473e8',
} as const;

const SETTINGS_XML = /^<settings>(\s*<setting name="[^"]+" value="[^"]*"\s*\/>)+\s*<\/settings>$/;

export class RegistrationRows {
  private readonly tables = new Map<string, Map<string, Row>>(TABLES.map((t) => [t.set, new Map()]));
  private version = 5000;

  constructor() {
    for (const [name, id] of Object.entries(SDK_MESSAGE_IDS))
      this.put('sdkmessages', { sdkmessageid: id, name, categoryname: name });
  }

  rows(set: string): Row[] {
    return [...(this.tables.get(set)?.values() ?? [])].map((r) => structuredClone(r));
  }

  /** A table's Create/Update/Delete message filters appear with the table, as in Dataverse. */
  addMessageFilters(logicalName: string): void {
    for (const [name, id] of Object.entries(SDK_MESSAGE_IDS)) {
      this.put('sdkmessagefilters', {
        sdkmessagefilterid: newId(),
        primaryobjecttypecode: logicalName,
        secondaryobjecttypecode: 'none',
        _sdkmessageid_value: id,
        iscustomprocessingstepallowed: true,
        name: `${name} of ${logicalName}`,
      });
    }
  }

  handle(
    req: ApiRequest,
    path: string,
    base: string,
    hasAttribute: (entity: string, attribute: string) => boolean,
  ): ApiResponse | null {
    const m = /^(\w+)(?:\(([^)]*)\))?$/.exec(path);
    const def = m ? TABLES.find((t) => t.set === m[1]) : undefined;
    if (!m || !def) return null;
    const id = m[2]?.replace(/[{}]/g, '').toLowerCase();
    if (id !== undefined && !GUID.test(id)) throw ERR.badRequest(`Invalid key '${m[2]}'.`);
    const table = this.tables.get(def.set)!;
    if (def.readOnly && req.method !== 'GET')
      throw new ODataError(403, '0x80040220', `${def.set} cannot be changed through the Web API.`);
    if (id === undefined) {
      if (req.method === 'GET') {
        const pred = req.query.$filter !== undefined ? parseFilter(req.query.$filter) : () => true;
        const value = [...table.values()].filter(pred).map((r) => this.out(def, r, req.query.$select));
        return json(200, { '@odata.context': `${base}$metadata#${def.set}`, value });
      }
      if (req.method === 'POST') {
        const row = this.write(
          def,
          { statecode: 0, statuscode: 1, [def.key]: newId() },
          asRow(req.body),
          hasAttribute,
        );
        return { status: 204, headers: { 'OData-EntityId': `${base}${def.set}(${String(row[def.key])})` } };
      }
      throw new ODataError(405, '0x80060888', `${req.method} is not allowed on a collection.`);
    }
    const row = table.get(id);
    if (!row)
      throw new ODataError(404, '0x80040217', `${def.set.replace(/s$/, '')} With Id = ${id} Does Not Exist`);
    if (req.method === 'GET')
      return json(200, {
        '@odata.context': `${base}$metadata#${def.set}/$entity`,
        ...this.out(def, row, req.query.$select),
      });
    if (req.method === 'PATCH')
      return (this.write(def, row, asRow(req.body), hasAttribute), { status: 204, headers: {} });
    if (req.method === 'DELETE') {
      if (
        def.set === 'serviceendpoints' &&
        this.rows('sdkmessageprocessingsteps').some((s) => s._eventhandler_value === id)
      ) {
        throw new ODataError(
          400,
          '0x8004f01f',
          'The service endpoint cannot be deleted because it is referenced by one or more sdkmessageprocessingstep records.',
        );
      }
      table.delete(id);
      return { status: 204, headers: {} };
    }
    throw new ODataError(405, '0x80060888', `${req.method} is not allowed on a single row.`);
  }

  private out(def: TableDef, row: Row, select: string | undefined): Row {
    const cols = parseSelect(select);
    const visible = Object.fromEntries(Object.entries(row).filter(([k]) => !def.unreadable?.includes(k)));
    const out: Row = { '@odata.etag': `W/"${String(row.versionnumber)}"` };
    if (cols === null) return { ...out, ...structuredClone(visible) };
    for (const c of cols) {
      if (def.unreadable?.includes(c)) throw ERR.badRequest(`The '${c}' attribute is not valid for read.`);
      out[c] = visible[c] ?? null;
    }
    out[def.key] = row[def.key];
    return out;
  }

  private write(
    def: TableDef,
    existing: Row,
    body: Row,
    hasAttribute: (e: string, a: string) => boolean,
  ): Row {
    const next: Row = { ...existing };
    for (const [k, v] of Object.entries(body)) {
      if (k.endsWith('@odata.bind')) {
        const nav = k.slice(0, -'@odata.bind'.length);
        const base = Object.keys(def.lookups).find((n) => nav === n || nav.startsWith(`${n}_`));
        if (!base)
          throw ERR.badRequest(
            `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload.`,
          );
        const ref = /\/?(\w+)\(([0-9a-f-]{36})\)$/i.exec(String(v));
        if (!ref || ref[1] !== def.lookups[base] || !this.tables.get(ref[1]!)?.has(ref[2]!.toLowerCase()))
          throw ERR.badRequest(`${k} '${String(v)}' does not name an existing ${def.lookups[base]} row.`);
        next[`_${base}_value`] = ref[2]!.toLowerCase();
      } else if (k !== def.key && !k.startsWith('@') && !/^_\w+_value$/.test(k)) {
        next[k] = v;
      }
    }
    if (def.set === 'serviceendpoints') checkEndpoint(next);
    if (def.set === 'sdkmessageprocessingsteps') this.checkStep(next, hasAttribute);
    return this.put(def.set, {
      ...next,
      versionnumber: ++this.version,
      modifiedon: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    });
  }

  private checkStep(step: Row, hasAttribute: (e: string, a: string) => boolean): void {
    if (typeof step.name !== 'string' || !step.name) throw ERR.badRequest('A step needs a name.');
    if (![10, 20, 40].includes(Number(step.stage)))
      throw ERR.badRequest(`Invalid stage ${String(step.stage)}: use 10, 20 or 40.`);
    if (![0, 1].includes(Number(step.mode)))
      throw ERR.badRequest(`Invalid mode ${String(step.mode)}: use 0 (synchronous) or 1 (asynchronous).`);
    if (step.mode === 1 && step.stage !== 40)
      throw ERR.badRequest('Asynchronous steps must be registered in the post-operation stage (40).');
    if (!step._sdkmessageid_value || !step._eventhandler_value)
      throw ERR.badRequest('A step needs sdkmessageid and an event handler.');
    const filter = step._sdkmessagefilterid_value
      ? this.tables.get('sdkmessagefilters')!.get(String(step._sdkmessagefilterid_value))
      : undefined;
    if (filter && filter._sdkmessageid_value !== step._sdkmessageid_value)
      throw ERR.badRequest("The message filter does not belong to the step's message.");
    const attrs =
      typeof step.filteringattributes === 'string'
        ? step.filteringattributes
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean)
        : [];
    const entity = filter ? String(filter.primaryobjecttypecode) : null;
    for (const a of attrs) {
      if (entity && !hasAttribute(entity, a))
        throw ERR.badRequest(`Filtering attribute ${a} does not exist on ${entity}.`);
    }
  }

  private put(set: string, row: Row): Row {
    const def = TABLES.find((t) => t.set === set)!;
    const stored = { versionnumber: ++this.version, ...row };
    this.tables.get(set)!.set(String(row[def.key]), stored);
    return stored;
  }
}

function checkEndpoint(e: Row): void {
  if (typeof e.name !== 'string' || !e.name) throw ERR.badRequest('A service endpoint needs a name.');
  if (e.contract !== 8) return;
  let url: URL;
  try {
    url = new URL(String(e.url));
  } catch {
    throw ERR.badRequest('A webhook needs a valid absolute url.');
  }
  if (url.port && url.port !== '80' && url.port !== '443')
    throw ERR.badRequest('Webhooks may only use ports 80 and 443.');
  if (![4, 5, 6].includes(Number(e.authtype)))
    throw ERR.badRequest('A webhook uses authtype 4 (WebhookKey), 5 (HttpHeader) or 6 (HttpQueryString).');
  if (e.authtype !== 4 && (typeof e.authvalue !== 'string' || !SETTINGS_XML.test(e.authvalue))) {
    throw ERR.badRequest(
      'HttpHeader and HttpQueryString authentication need authvalue as <settings><setting name="…" value="…" /></settings>.',
    );
  }
  if (typeof e.authvalue === 'string' && e.authvalue.length > 2048)
    throw ERR.badRequest('authvalue is limited to 2048 characters.');
}

function asRow(body: unknown): Row {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw ERR.badRequest('The request body must be a JSON object.');
  return body as Row;
}

function json(status: number, body: Row): ApiResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
    body,
  };
}
