/**
 * Shared by the vocabulary tests (not a test file): which columns of which entity set the gateway's Web API
 * requests name, read from the Dataverse sandbox's request log — `$select`, `$expand` (with the target's
 * nested `$select`), `$filter` operands, the key of a single-row path, and the body keys of POST/PATCH
 * (`x@odata.bind` counts as column x). `$batch` requests are logged with their inner requests.
 */
import type { SandboxRequest } from '../../../sandbox/dataverse';

const API = '/api/data/v9.2/';

export interface ColumnUse {
  /** Entity set the column belongs to (a lookup's nested select belongs to the target's set). */
  set: string;
  column: string;
  how: 'select' | 'expand' | 'filter' | 'write' | 'bind';
  /** For a bind: the entity set of the row it binds to (`/eol_salesinvoices(<id>)`). */
  boundTo?: string;
}

interface Logged {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** `_x_value` is how a lookup x is read. */
const logical = (wire: string): string => /^_(\w+)_value$/.exec(wire)?.[1] ?? wire;

/** Splits on commas outside parentheses: `a($select=b,c),d` → ['a($select=b,c)', 'd']. */
function topLevel(list: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === sep && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  out.push(list.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

function filterColumns(filter: string): string[] {
  const names = [...filter.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s+(?:eq|ne|gt|ge|lt|le)\s/g)].map(
    (m) => m[1]!,
  );
  return names.filter((n) => n !== 'and' && n !== 'or' && n !== 'not');
}

/**
 * Every column use in `requests`; `navTarget(set, nav)` names the entity set a navigation property of
 * `set` points at (the vocabulary's lookups).
 */
export function columnsUsed(
  requests: readonly SandboxRequest[],
  navTarget: (set: string, nav: string) => string | undefined,
): ColumnUse[] {
  const inner: Logged[] = requests.flatMap((r) =>
    r.path === `${API}$batch` && Array.isArray(r.body)
      ? (r.body as Logged[])
      : r.path.startsWith(API)
        ? [r]
        : [],
  );
  const uses: ColumnUse[] = [];
  for (const r of inner) {
    const rest = r.path.slice(API.length);
    const set = /^(\w+)/.exec(rest)?.[1];
    if (!set || set === '$batch') continue;
    const q = r.query ?? {};
    for (const c of (q.$select ?? '').split(',').filter(Boolean))
      uses.push({ set, column: logical(c), how: 'select' });
    uses.push(...expandUses(set, q.$expand ?? '', navTarget));
    for (const c of filterColumns(q.$filter ?? '')) uses.push({ set, column: logical(c), how: 'filter' });
    if (
      (r.method === 'POST' || r.method === 'PATCH') &&
      r.body &&
      typeof r.body === 'object' &&
      !Array.isArray(r.body)
    ) {
      for (const [key, value] of Object.entries(r.body)) {
        const bound = /^(\w+)@odata\.bind$/.exec(key)?.[1];
        const boundTo = /^\/?(\w+)\(/.exec(String(value))?.[1] ?? String(value);
        uses.push(bound ? { set, column: bound, how: 'bind', boundTo } : { set, column: key, how: 'write' });
      }
    }
  }
  return uses;
}

/** `nav($select=a,b;$expand=other($select=c))`: the nav on `set`, its selects and nested expands on the target. */
function expandUses(
  set: string,
  expand: string,
  navTarget: (set: string, nav: string) => string | undefined,
): ColumnUse[] {
  const uses: ColumnUse[] = [];
  for (const e of topLevel(expand)) {
    const nav = /^(\w+)/.exec(e)![1]!;
    uses.push({ set, column: nav, how: 'expand' });
    const target = navTarget(set, nav) ?? `(unknown target of ${set}.${nav})`;
    const options = /^\w+\((.*)\)$/s.exec(e)?.[1] ?? '';
    for (const option of topLevel(options, ';')) {
      if (option.startsWith('$select='))
        for (const c of option.slice(8).split(',').filter(Boolean))
          uses.push({ set: target, column: logical(c), how: 'select' });
      else if (option.startsWith('$expand=')) uses.push(...expandUses(target, option.slice(8), navTarget));
    }
  }
  return uses;
}
