/**
 * Collection queries the way Exact answers them: `$filter`, `$select`, `$top`, key order with
 * `$skiptoken=guid'<last key>'`, and `{"d":{"results":[…],"__next":"<absolute URL>"}}` (reference §3).
 * Every entity carries `__metadata` like Exact's OData v2 verbose JSON.
 */
import { HttpError, dateOnlyMs, wireDate } from './http';
import { type Row, checkFields, evaluate, keyLiterals, parseFilter } from './filter';

export interface EntitySet<T> {
  /** OData type name, e.g. `Exact.Web.Api.Models.SalesInvoice`. */
  type: string;
  key: string;
  /** Wire fields in Exact's order; date fields are ms numbers here, `/Date(ms)/` on the wire. */
  fields: (item: T) => Record<string, string | number | boolean | null>;
  dateFields?: string[];
  /** Absolute URI of one entity, for `__metadata.uri`. */
  uri: (key: string) => string;
  /** Any item of the type, so `$select`/`$filter` names are checked even on an empty collection. */
  sample: T;
  /** The key of an item without building all its fields: a filter on keys alone then skips the others. */
  keyOf?: (item: T) => string;
}

export interface Query {
  filter?: string;
  select?: string;
  top?: string;
  skiptoken?: string;
}

export function queryOf(q: Record<string, string>): Query {
  return { filter: q.$filter, select: q.$select, top: q.$top, skiptoken: q.$skiptoken };
}

function selected<T>(set: EntitySet<T>, select: string | undefined, sample: Record<string, unknown>): string[] | null {
  if (!select) return null;
  const names = select.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names)
    if (!(n in sample)) throw new HttpError(400, `No property '${n}' exists in type '${set.type}'`);
  return names;
}

export function toWire<T>(set: EntitySet<T>, item: T, select: string[] | null): Record<string, unknown> {
  const all = set.fields(item);
  const keyValue = String(all[set.key]);
  const out: Record<string, unknown> = { __metadata: { uri: set.uri(keyValue), type: set.type } };
  for (const name of select ?? Object.keys(all)) {
    const v = all[name] ?? null;
    out[name] = set.dateFields?.includes(name) && typeof v === 'number' ? wireDate(v) : v;
  }
  return out;
}

/** One page of a collection, with `__next` when more rows follow. */
export function page<T>(
  set: EntitySet<T>,
  items: T[],
  q: Query,
  pageSize: number,
  nextUrl: (skiptoken: string, top: number | null) => string,
): unknown {
  const sample = set.fields(set.sample);
  const select = selected(set, q.select, sample);
  const node = q.filter ? parseFilter(q.filter) : null;
  if (node) checkFields(node, (n) => n in sample, set.type);
  const keys = node && set.keyOf ? keyLiterals(node, set.key) : null;
  const candidates = keys && set.keyOf ? items.filter((item) => keys.has(set.keyOf!(item).toLowerCase())) : items;
  let rows = candidates.map((item) => ({ item, row: set.fields(item) as Row }));
  if (node) rows = rows.filter(({ row }) => Boolean(evaluate(node, row)));
  const keyOf = (r: Row): string => String(r[set.key]).toLowerCase();
  rows.sort((a, b) => (keyOf(a.row) < keyOf(b.row) ? -1 : keyOf(a.row) > keyOf(b.row) ? 1 : 0));
  if (q.skiptoken) {
    const after = /^guid'([^']+)'$/i.exec(q.skiptoken)?.[1]?.toLowerCase() ?? q.skiptoken.toLowerCase();
    rows = rows.filter(({ row }) => keyOf(row) > after);
  }
  const top = q.top === undefined ? null : Number(q.top);
  if (top !== null && !(Number.isInteger(top) && top >= 0)) throw new HttpError(400, `Invalid $top value '${q.top}'`);
  const take = Math.min(pageSize, top ?? Infinity);
  const pageRows = rows.slice(0, take);
  const d: Record<string, unknown> = { results: pageRows.map(({ item }) => toWire(set, item, select)) };
  const last = pageRows[pageRows.length - 1];
  // Exact hands out a next link whenever the page is full, so an exact multiple costs one extra call (PS).
  if (last && pageRows.length === pageSize && (top === null || top > take))
    d.__next = nextUrl(`guid'${keyOf(last.row)}'`, top === null ? null : top - take);
  return { d };
}

export function nextLink(base: string, pathname: string, q: Record<string, string>) {
  return (skiptoken: string, top: number | null): string => {
    const params = { ...q, $skiptoken: skiptoken } as Record<string, string>;
    if (top !== null) params.$top = String(top);
    const qs = Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`)
      .join('&');
    return `${base}${pathname}?${qs}`;
  };
}

export { dateOnlyMs };
