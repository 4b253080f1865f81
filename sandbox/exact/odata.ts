/**
 * Collection queries the way Exact answers them: `$filter`, `$select`, `$top`, key order with
 * `$skiptoken=guid'<last key>'`, and `{"d":{"results":[…],"__next":"<absolute URL>"}}` (reference §3).
 * Every entity carries `__metadata` like Exact's OData v2 verbose JSON.
 */
import { HttpError, dateOnlyMs, wireDate } from './http';
import { type Row, checkFields, evaluate, keyLiterals, parseFilter } from './filter';
import { checkTypes, nullable } from './filterTypes';
import { orderRows } from './order';

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
  /** Navigation properties `$select` may name (their value is added by the caller, not by `fields`). */
  navigations?: string[];
  /** CLR types where the sample value does not tell (references to other entities, Int16 codes, nullable numbers). */
  types?: Record<string, string>;
}

/** A field's CLR type: declared, a string key = Guid, a date field = DateTime?, else from the sample value. */
export function fieldType<T>(set: EntitySet<T>, name: string, sample: Record<string, unknown>): string {
  const declared = set.types?.[name];
  if (declared) return declared;
  const v = sample[name];
  if (name === set.key && typeof v === 'string') return 'System.Guid';
  if (set.dateFields?.includes(name)) return nullable('System.DateTime');
  if (typeof v === 'number') return 'System.Int32';
  if (typeof v === 'boolean') return 'System.Boolean';
  return 'System.String';
}

export interface Query {
  filter?: string;
  select?: string;
  top?: string;
  skiptoken?: string;
  orderby?: string;
  inlinecount?: string;
  expand?: string;
}

export function queryOf(q: Record<string, string>): Query {
  return {
    filter: q.$filter,
    select: q.$select,
    top: q.$top,
    skiptoken: q.$skiptoken,
    orderby: q.$orderby,
    inlinecount: q.$inlinecount,
    expand: q.$expand,
  };
}

export function selected<T>(
  set: EntitySet<T>,
  select: string | undefined,
  sample: Record<string, unknown>,
): string[] | null {
  if (!select) return null;
  const names = select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!(n in sample) && !set.navigations?.includes(n))
      throw new HttpError(400, `No property '${n}' exists in type '${set.type}'`);
  return names.filter((n) => !set.navigations?.includes(n));
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

/**
 * One page of a collection. Rows come in key order unless `$orderby` says otherwise; `__next` carries
 * `$skiptoken=guid'<last key>'` whenever a page is full. `$inlinecount=allpages` adds `__count` (a string,
 * as OData v2 verbose JSON writes it). With `$top`, `d` is the bare array of rows and there is no `__next`
 * (what picqer's find()/findId() read as `$records[0]`; BU reads `d` as an array too).
 */
export function page<T>(
  set: EntitySet<T>,
  items: T[],
  q: Query,
  pageSize: number,
  nextUrl: (skiptoken: string, top: number | null) => string,
  expand?: (item: T, wire: Record<string, unknown>) => void,
): unknown {
  const sample = set.fields(set.sample);
  const select = selected(set, q.select, sample);
  const node = q.filter ? parseFilter(q.filter) : null;
  if (node) checkFields(node, (n) => n in sample, set.type);
  if (node) checkTypes(node, (n) => fieldType(set, n, sample));
  if (q.inlinecount !== undefined && q.inlinecount !== 'allpages' && q.inlinecount !== 'none')
    throw new HttpError(
      400,
      `Query option '$inlinecount' value '${q.inlinecount}' is not valid; 'allpages' or 'none' is expected.`,
    );
  const keys = node && set.keyOf ? keyLiterals(node, set.key) : null;
  const candidates =
    keys && set.keyOf ? items.filter((item) => keys.has(set.keyOf!(item).toLowerCase())) : items;
  let rows = candidates.map((item) => ({ item, row: set.fields(item) as Row }));
  if (node) rows = rows.filter(({ row }) => Boolean(evaluate(node, row)));
  const keyOf = (r: Row): string => String(r[set.key]).toLowerCase();
  rows = orderRows(rows, q.orderby, set.key, (n) => n in sample, set.type);
  const total = rows.length;
  if (q.skiptoken) {
    const after = /guid'([^']+)'$/i.exec(q.skiptoken)?.[1]?.toLowerCase() ?? q.skiptoken.toLowerCase();
    const at = rows.findIndex(({ row }) => keyOf(row) === after);
    rows = at >= 0 ? rows.slice(at + 1) : q.orderby ? [] : rows.filter(({ row }) => keyOf(row) > after);
  }
  const top = q.top === undefined ? null : Number(q.top);
  if (top !== null && !(Number.isInteger(top) && top >= 0))
    throw new HttpError(400, `Invalid $top value '${q.top}'`);
  const take = Math.min(pageSize, top ?? Infinity);
  const pageRows = rows.slice(0, take);
  const wire = pageRows.map(({ item }) => {
    const w = toWire(set, item, select);
    expand?.(item, w);
    return w;
  });
  if (top !== null && q.inlinecount !== 'allpages') return { d: wire };
  const d: Record<string, unknown> = { results: wire };
  if (q.inlinecount === 'allpages') d.__count = String(total);
  const last = pageRows[pageRows.length - 1];
  // Exact hands out a next link whenever the page is full, so an exact multiple costs one extra call (PS).
  if (last && top === null && pageRows.length === pageSize)
    d.__next = nextUrl(`guid'${keyOf(last.row)}'`, null);
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
