/**
 * FetchXml as Dataverse checks and runs it, for the conditions, orders and attributes the AutoInvoice
 * views use: `eq`, `ne`, `in`, `not-in`, `null`, `not-null`, `gt`, `ge`, `lt`, `le`, `last-x-days`,
 * `on-or-after` (Microsoft's fetchxml reference, "condition" operators). An attribute the table does not
 * have is refused as Dataverse refuses it (error 0x80041103 QueryBuilderNoAttribute, web service error
 * codes page). link-entity and aggregates are not supported: such a query is refused (a choice).
 * Paging as FetchXml pages (page-large-result-sets-with-fetchxml): `count` rows a page (5,000 when
 * absent, Dataverse's page size), `page` from 1, and a `paging-cookie` that must be a `<cookie page="N">`
 * element; rows are picked by page number, which is what the cookie gives while the rows do not change
 * (Dataverse ignores a cookie of a non-consecutive page). `top` together with `page` or `count` is refused.
 */
import { XMLParser } from 'fast-xml-parser';
import { LOOKUP_TYPES, type TableView } from './columns';
import { ODataError, type Row } from './model';

interface Condition {
  attribute: string;
  operator: string;
  values: string[];
}

export interface FetchQuery {
  entity: string;
  attributes: string[];
  orders: Array<{ attribute: string; descending: boolean }>;
  conditions: Condition[];
  top: number | null;
  paging: { page: number; count: number; cookie: string | null } | null;
}

/** Dataverse's page size for FetchXml without `count`. */
export const FETCH_PAGE_SIZE = 5000;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['attribute', 'order', 'condition', 'value', 'filter', 'link-entity'].includes(name),
});

const OPERATORS = new Set([
  'eq',
  'ne',
  'in',
  'not-in',
  'null',
  'not-null',
  'gt',
  'ge',
  'lt',
  'le',
  'last-x-days',
  'on-or-after',
]);

export const noAttribute = (entity: string, attribute: string) =>
  new ODataError(
    400,
    '0x80041103',
    `'${entity}' entity doesn't contain attribute with Name = '${attribute}' and NameMapping = 'Logical'.`,
  );

const invalid = (msg: string) => new ODataError(400, '0x80040203', `Invalid FetchXml: ${msg}`);

type XmlNode = Record<string, unknown>;
const nodes = (v: unknown): XmlNode[] => (Array.isArray(v) ? (v as XmlNode[]) : []);

export function parseFetch(xml: string): FetchQuery {
  let doc: XmlNode;
  try {
    doc = parser.parse(xml, true) as XmlNode;
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : 'not XML');
  }
  const fetch = doc.fetch as XmlNode | undefined;
  const entity = fetch?.entity as XmlNode | undefined;
  if (!fetch || !entity || typeof entity['@name'] !== 'string')
    throw invalid('a fetch needs one entity with a name');
  if (fetch['@aggregate'] === 'true' || entity['link-entity'])
    throw new ODataError(400, '0x80040203', 'The sandbox runs no link-entity or aggregate FetchXml.');
  const filters = nodes(entity.filter);
  if (filters.some((f) => f['@type'] === 'or' || f.filter))
    throw invalid('the sandbox runs "and" filters without nesting');
  const conditions = filters
    .flatMap((f) => nodes(f.condition))
    .map((c) => {
      const operator = String(c['@operator'] ?? '');
      if (!OPERATORS.has(operator)) throw invalid(`operator '${operator}' is not supported`);
      const listed = (Array.isArray(c.value) ? (c.value as unknown[]) : []).map(text);
      const values = c['@value'] !== undefined ? [String(c['@value'])] : listed;
      return { attribute: String(c['@attribute'] ?? ''), operator, values };
    });
  return {
    entity: entity['@name'],
    attributes: nodes(entity.attribute).map((a) => String(a['@name'])),
    orders: nodes(entity.order).map((o) => ({
      attribute: String(o['@attribute']),
      descending: o['@descending'] === 'true',
    })),
    conditions,
    top: fetch['@top'] !== undefined ? Number(fetch['@top']) : null,
    paging: pagingOf(fetch),
  };
}

function pagingOf(fetch: XmlNode): FetchQuery['paging'] {
  const [page, count, cookie] = ['@page', '@count', '@paging-cookie'].map((k) =>
    fetch[k] === undefined ? undefined : String(fetch[k]),
  );
  if (page === undefined && count === undefined && cookie === undefined) return null;
  if (fetch['@top'] !== undefined) throw invalid('top cannot be combined with page or count');
  const whole = (v: string | undefined, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    if (!/^[1-9]\d*$/.test(v)) throw invalid(`${name} must be a whole number from 1, not '${v}'`);
    return Number(v);
  };
  if (cookie !== undefined && !/^<cookie page="\d+"[\s\S]*<\/cookie>$/.test(cookie))
    throw invalid('the paging-cookie is not a cookie element');
  return {
    page: whole(page, 'page', 1),
    count: whole(count, 'count', FETCH_PAGE_SIZE),
    cookie: cookie ?? null,
  };
}

/** The paging cookie of a page, as the Web API's fetchxmlpagingcookie annotation holds it (URL-encoded twice). */
export function pagingCookie(page: number, key: string, rows: Row[]): string {
  const inner = `<cookie page="${page}"><${key} last="{${String(rows.at(-1)?.[key] ?? '').toUpperCase()}}" first="{${String(rows[0]?.[key] ?? '').toUpperCase()}}" /></cookie>`;
  const twice = encodeURIComponent(encodeURIComponent(inner));
  return `<cookie pagenumber="${page + 1}" pagingcookie="${twice}" istracking="False" />`;
}

function text(v: unknown): string {
  return typeof v === 'object' && v !== null && '#text' in v ? String((v as XmlNode)['#text']) : String(v);
}

/** Every attribute the query names exists on the table (else Dataverse's QueryBuilderNoAttribute). */
export function checkFetch(q: FetchQuery, view: TableView): void {
  if (q.entity !== view.logical) throw invalid(`the fetch is on ${q.entity}, the request on ${view.logical}`);
  for (const name of [
    ...q.attributes,
    ...q.orders.map((o) => o.attribute),
    ...q.conditions.map((c) => c.attribute),
  ])
    if (!view.columns.has(name)) throw noAttribute(view.logical, name);
}

const DAY = 86_400_000;

export function runFetch(
  q: FetchQuery,
  view: TableView,
  rows: Row[],
  key: string,
  now: Date,
): { rows: Row[]; more: boolean } {
  checkFetch(q, view);
  const stored = (name: string) => (LOOKUP_TYPES.has(view.columns.get(name)!.type) ? `_${name}_value` : name);
  const matched = rows.filter((r) => q.conditions.every((c) => holds(c, r[stored(c.attribute)], view, now)));
  matched.sort((a, b) => {
    for (const o of q.orders) {
      const d = compare(a[stored(o.attribute)], b[stored(o.attribute)]);
      if (d !== 0) return o.descending ? -d : d;
    }
    return 0;
  });
  const from = q.paging ? (q.paging.page - 1) * q.paging.count : 0;
  const to = q.paging ? from + q.paging.count : (q.top ?? matched.length);
  const rowsOut = matched.slice(from, to).map((r) => {
    const out: Row = { [key]: r[key] };
    for (const a of q.attributes) out[stored(a)] = r[stored(a)] ?? null;
    return out;
  });
  return { rows: rowsOut, more: q.paging !== null && matched.length > to };
}

function holds(c: Condition, value: unknown, view: TableView, now: Date): boolean {
  const type = view.columns.get(c.attribute)!.type;
  const typed = (s: string): unknown =>
    type === 'Boolean'
      ? s === '1' || s === 'true'
      : ['Integer', 'Picklist', 'State', 'Status'].includes(type)
        ? Number(s)
        : s;
  const v = typeof value === 'string' && LOOKUP_TYPES.has(type) ? value.toLowerCase() : value;
  const vals = c.values.map((s) =>
    LOOKUP_TYPES.has(type) ? s.replace(/[{}]/g, '').toLowerCase() : typed(s),
  );
  switch (c.operator) {
    case 'null':
      return v === null || v === undefined;
    case 'not-null':
      return v !== null && v !== undefined;
    case 'eq':
      return v === vals[0];
    case 'ne':
      return v !== null && v !== undefined && v !== vals[0];
    case 'in':
      return vals.includes(v);
    case 'not-in':
      return v !== null && v !== undefined && !vals.includes(v);
    case 'last-x-days': {
      if (typeof v !== 'string') return false;
      const start =
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - Number(vals[0]) * DAY;
      const t = Date.parse(v);
      return t >= start && t <= now.getTime();
    }
    default: {
      if (v === null || v === undefined) return false;
      const d = compare(v, vals[0]);
      return c.operator === 'gt'
        ? d > 0
        : c.operator === 'lt'
          ? d < 0
          : c.operator === 'le'
            ? d <= 0
            : d >= 0;
    }
  }
}

/** SQL order: null first ascending; dates as instants. */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const da = typeof a === 'string' ? Date.parse(a) : NaN;
  const db = typeof b === 'string' ? Date.parse(b) : NaN;
  if (!Number.isNaN(da) && !Number.isNaN(db) && /^\d{4}-/.test(String(a))) return da - db;
  return a < b ? -1 : 1;
}
