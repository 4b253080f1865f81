import { annotate, annotationsPreferred, type AnnotationRequest } from './annotations';
import { navigation, readableName, tableView, type TableView } from './columns';
import { csdl } from './csdl';
import { parseFilter } from './filter';
import type { MailSandbox } from './mail';
import type { MetadataStore } from './metadataStore';
import { entityBySet, ERR, ODataError, type EntityDef, type Row } from './model';
import { parseExpand, parseKey, parseSelect, splitTopLevel, type ExpandItem } from './query';
import type { Store } from './store';
import { checkBody, checkReadable, orderByColumns } from './validate';

/** One Web API operation, relative to `/api/data/v9.2/` (also the shape of a `$batch` part). */
export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface Identity {
  userId: string;
  businessUnitId: string;
  organizationId: string;
}

const DEFAULT_PAGE = 5000;
/** `$count=true` counts at most 5,000 rows (PAD webapi/query-data-web-api, "Count number of rows"). */
const COUNT_LIMIT = 5000;

export class WebApi {
  constructor(
    private readonly store: Store,
    private readonly base: () => string,
    private readonly identity: () => Identity,
    private readonly metadata: { handle(req: ApiRequest): ApiResponse | null; store: MetadataStore },
    /** Forms, views, apps, roles and solutions, and views run on rows (customizations.ts). */
    private readonly customizations?: { handle(req: ApiRequest): ApiResponse | null },
    /** Dynamics 365 email: InstantiateTemplate, SendEmail, party and attachment checks (mail.ts). */
    private readonly mail?: MailSandbox,
  ) {}

  /** Table views of the request being answered (metadata does not change within one request). */
  private views = new Map<string, TableView>();

  handle(req: ApiRequest): ApiResponse {
    this.views.clear();
    const meta = this.metadata.handle(req);
    if (meta) return meta;
    const custom = this.customizations?.handle(req);
    if (custom) return custom;
    const path = decodeURIComponent(req.path);
    if (path === '$metadata' && req.method === 'GET')
      return {
        status: 200,
        headers: { 'Content-Type': 'application/xml', 'OData-Version': '4.0' },
        body: csdl(this.metadata.store),
      };
    if (/^WhoAmI(\(\))?$/.test(path) && req.method === 'GET') {
      const me = this.identity();
      return json(200, {
        '@odata.context': `${this.base()}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: me.businessUnitId,
        UserId: me.userId,
        OrganizationId: me.organizationId,
      });
    }
    if (/^(Microsoft\.Dynamics\.CRM\.)?InstantiateTemplate$/.test(path) && req.method === 'POST' && this.mail)
      return this.mail.instantiateTemplate(asObject(req.body), (l) => this.setOf(l), this.base());
    const m = path.match(/^([A-Za-z_]\w*)(?:\((.*?)\))?(?:\/(.+))?$/s);
    const def = m ? entityBySet(m[1]!) : undefined;
    if (!m || !def) throw ERR.noSegment(path.split(/[(/]/)[0]!);
    // A table the environment does not hold (the solution not installed) does not exist for the Web API.
    this.view(def);
    const key = m[2] !== undefined ? parseKey(m[2]) : null;
    const action = m[3];
    if (action) {
      if (
        action === 'Microsoft.Dynamics.CRM.SendEmail' &&
        def.set === 'emails' &&
        key &&
        req.method === 'POST' &&
        this.mail
      )
        return this.mail.sendEmail(this.mustFind(def, key), asObject(req.body), this.base());
      throw new ODataError(400, '0x80060888', `The sandbox does not support '${action}' on ${def.set}.`);
    }
    if (!key) {
      if (req.method === 'GET') return this.list(def, req);
      if (req.method === 'POST') return this.create(def, req);
      throw new ODataError(405, '0x80060888', `${req.method} is not allowed on a collection.`);
    }
    if (req.method === 'GET') {
      const row = this.mustFind(def, key);
      const annotations = annotationsPreferred(req.headers.prefer);
      const headers: Record<string, string> = annotations
        ? { 'Preference-Applied': annotations.applied }
        : {};
      return json(
        200,
        {
          '@odata.context': `${this.base()}$metadata#${def.set}/$entity`,
          ...this.project(def, row, req.query, annotations),
        },
        headers,
      );
    }
    if (req.method === 'PATCH') return this.patch(def, key, req);
    if (req.method === 'DELETE') {
      const row = this.mustFind(def, key);
      this.checkIfMatch(row, req.headers['if-match']);
      this.store.remove(def, row);
      this.mail?.afterDelete(def, row);
      return { status: 204, headers: {} };
    }
    throw new ODataError(405, '0x80060888', `${req.method} is not allowed on a single row.`);
  }

  private list(def: EntityDef, req: ApiRequest): ApiResponse {
    const q = req.query;
    const view = this.view(def);
    if (q.$skip !== undefined) throw ERR.skip();
    // `key eq <id> or key eq <id> …` (a batch's rows) is answered by key, as Dataverse's index would.
    const ids = q.$filter === undefined ? null : keyOnlyFilter(q.$filter, def.key);
    let rows = ids
      ? ids.map((id) => this.store.get(def, id)).filter((r): r is Row => r !== undefined)
      : [...this.store.table(def.set).values()];
    if (q.$filter !== undefined) {
      const pred = parseFilter(
        q.$filter,
        (name) => !readableName(view, name),
        view.logical,
        (name) => navigation(view, name)?.target,
      );
      if (!ids) rows = rows.filter(pred);
    }
    if (q.$orderby !== undefined) {
      checkReadable(view, orderByColumns(q.$orderby));
      rows = orderBy(rows, q.$orderby);
    }
    if (q.$top !== undefined) rows = rows.slice(0, Number(q.$top));
    const counted = q.$count === 'true' ? Math.min(rows.length, COUNT_LIMIT) : null;
    const preferred = /odata\.maxpagesize=(\d+)/.exec(req.headers.prefer ?? '')?.[1];
    const token = /offset="(\d+)" size="(\d+)"/.exec(q.$skiptoken ?? '');
    const size = Number(preferred ?? token?.[2] ?? DEFAULT_PAGE);
    const offset = Number(token?.[1] ?? 0);
    const page = rows.slice(offset, offset + size);
    const annotations = annotationsPreferred(req.headers.prefer);
    const body: Row = { '@odata.context': `${this.base()}$metadata#${def.set}` };
    if (counted !== null) body['@odata.count'] = counted;
    if (counted !== null && rows.length > COUNT_LIMIT)
      body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = true;
    body.value = page.map((r) => this.project(def, r, q, annotations));
    if (offset + size < rows.length) {
      const next = {
        ...q,
        $skiptoken: `<cookie pagenumber="${offset / size + 2}" offset="${offset + size}" size="${size}" />`,
      };
      body['@odata.nextLink'] = `${this.base()}${def.set}?${Object.entries(next)
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&')}`;
    }
    const applied = [
      ...(preferred ? [`odata.maxpagesize=${preferred}`] : []),
      ...(annotations ? [annotations.applied] : []),
    ];
    return {
      status: 200,
      headers: {
        'Content-Type': JSON_TYPE,
        'OData-Version': '4.0',
        ...(applied.length ? { 'Preference-Applied': applied.join(',') } : {}),
      },
      body,
    };
  }

  private create(def: EntityDef, req: ApiRequest, preset: Row = {}): ApiResponse {
    checkBody(this.view(def), asObject(req.body));
    const body = this.mail ? this.mail.beforeCreate(def, asObject(req.body)) : asObject(req.body);
    const row = this.store.create(def, body, preset);
    return this.written(def, row, req, 201);
  }

  private patch(def: EntityDef, key: ReturnType<typeof parseKey>, req: ApiRequest): ApiResponse {
    const existing = this.store.find(def, key);
    const ifMatch = req.headers['if-match'];
    if (req.headers['if-none-match'] === '*' && existing) throw ERR.exists();
    if (ifMatch !== undefined && !existing)
      throw ERR.notFound(def.logical, key.kind === 'id' ? key.id : JSON.stringify(key.values));
    if (existing) {
      this.checkIfMatch(existing, ifMatch);
      checkBody(this.view(def), asObject(req.body));
      this.mail?.beforeUpdate(def, existing, asObject(req.body));
      return this.written(def, this.store.update(def, existing, asObject(req.body)), req, 200);
    }
    // Upsert: the key in the URL becomes the new row's id or alternate-key values.
    const preset = key.kind === 'alt' ? key.values : {};
    const body = key.kind === 'id' ? { ...asObject(req.body), [def.key]: key.id } : asObject(req.body);
    return this.create(def, { ...req, body }, preset);
  }

  private written(def: EntityDef, row: Row, req: ApiRequest, statusWithBody: number): ApiResponse {
    const entityId = `${this.base()}${def.set}(${String(row[def.key])})`;
    if (/return=representation/.test(req.headers.prefer ?? '')) {
      return json(
        statusWithBody,
        {
          '@odata.context': `${this.base()}$metadata#${def.set}/$entity`,
          ...this.project(def, row, req.query),
        },
        { 'OData-EntityId': entityId },
      );
    }
    return { status: 204, headers: { 'OData-EntityId': entityId } };
  }

  private mustFind(def: EntityDef, key: ReturnType<typeof parseKey>): Row {
    const row = this.store.find(def, key);
    if (!row) throw ERR.notFound(def.logical, key.kind === 'id' ? key.id : JSON.stringify(key.values));
    return row;
  }

  private checkIfMatch(row: Row, ifMatch: string | undefined): void {
    if (ifMatch === undefined || ifMatch === '*') return;
    if (ifMatch !== this.store.etag(row)) throw ERR.etag();
  }

  private view(def: EntityDef): TableView {
    const view = this.views.get(def.set) ?? tableView(this.metadata.store, def.set);
    if (!view) throw ERR.noSegment(def.set);
    this.views.set(def.set, view);
    return view;
  }

  private project(
    def: EntityDef,
    row: Row,
    q: Record<string, string>,
    annotations: AnnotationRequest | null = null,
  ): Row {
    return this.shape(def, row, parseSelect(q.$select), parseExpand(q.$expand), annotations);
  }

  private shape(
    def: EntityDef,
    row: Row,
    select: string[] | null,
    expand: ExpandItem[],
    annotations: AnnotationRequest | null,
  ): Row {
    const view = this.view(def);
    const out: Row = { '@odata.etag': this.store.etag(row) };
    if (select === null) Object.assign(out, row);
    else {
      checkReadable(view, select);
      for (const col of select) out[col] = row[col] ?? null;
      out[def.key] = row[def.key];
    }
    if (annotations)
      annotate(
        view,
        out,
        annotations,
        (t, id) => this.primaryName(t, id),
        (col, id) => this.lookupTarget(col.targets ?? [], id),
      );
    for (const item of expand) {
      const nav = navigation(view, item.nav);
      const targetSet = nav
        ? (this.metadata.store.entities.get(nav.target)?.meta.EntitySetName as string | undefined)
        : undefined;
      const target = targetSet ? entityBySet(targetSet) : undefined;
      if (!nav || !target) throw ERR.noProperty(item.nav, def.logical);
      const id = row[`_${nav.column.name}_value`];
      const related = typeof id === 'string' ? this.store.get(target, id) : undefined;
      out[item.nav] = related ? this.shape(target, related, item.select, item.expand, annotations) : null;
    }
    return out;
  }

  /** The table a lookup value points into (the first target holding the id). */
  private lookupTarget(targets: string[], id: string): string {
    for (const t of targets) {
      const set = this.metadata.store.entities.get(t)?.meta.EntitySetName as string | undefined;
      const def = set ? entityBySet(set) : undefined;
      if (def && this.store.get(def, id)) return t;
    }
    return targets[0] ?? '';
  }

  /** The entity set of a table this environment holds, by logical name. */
  private setOf(logical: string): string | undefined {
    return this.metadata.store.entities.get(logical)?.meta.EntitySetName as string | undefined;
  }

  private primaryName(target: string, id: string): string | null {
    const set = this.metadata.store.entities.get(target)?.meta.EntitySetName as string | undefined;
    const def = set ? entityBySet(set) : undefined;
    const view = def ? this.view(def) : undefined;
    const row = def ? this.store.get(def, id) : undefined;
    const name = row && view ? row[view.primaryName] : undefined;
    return typeof name === 'string' ? name : null;
  }
}

const GUID_TEXT = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The ids of a filter that is nothing but `<key> eq <guid>` joined by `or`; null for any other filter. */
function keyOnlyFilter(filter: string, key: string): string[] | null {
  const term = `${key}\\s+eq\\s+${GUID_TEXT}`;
  if (!new RegExp(`^\\s*${term}(?:\\s+or\\s+${term})*\\s*$`).test(filter)) return null;
  return [...new Set([...filter.matchAll(new RegExp(GUID_TEXT, 'g'))].map((m) => m[0].toLowerCase()))];
}

export const JSON_TYPE = 'application/json; odata.metadata=minimal';

function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', ...headers }, body };
}

function asObject(body: unknown): Row {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw ERR.badRequest('The request body must be a JSON object.');
  return body as Row;
}

function orderBy(rows: Row[], spec: string): Row[] {
  const keys = splitTopLevel(spec).map((s) => {
    const [col, dir] = s.split(/\s+/);
    return { col: col!, desc: dir === 'desc' };
  });
  return [...rows].sort((a, b) => {
    for (const { col, desc } of keys) {
      const [x, y] = [a[col], b[col]];
      if (x === y) continue;
      const cmp = x === undefined || x === null ? -1 : y === undefined || y === null ? 1 : x < y ? -1 : 1;
      return desc ? -cmp : cmp;
    }
    return 0;
  });
}
