import { ERR } from './model';

/**
 * `$expand=nav($select=a,b;$expand=other($select=c))` items: nested `$expand` of single-valued lookups is a
 * documented join (PAD `webapi/query-data-web-api`, "Join tables": nested expansion); other nested options
 * are rejected (README choice 4).
 */
export interface ExpandItem {
  nav: string;
  select: string[] | null;
  expand: ExpandItem[];
}

/** Splits on commas that are not inside parentheses or quotes. */
export function splitTopLevel(src: string, sep = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(src.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(src.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseSelect(src: string | undefined): string[] | null {
  if (src === undefined) return null;
  return splitTopLevel(src);
}

export function parseExpand(src: string | undefined): ExpandItem[] {
  if (src === undefined) return [];
  return splitTopLevel(src).map((item) => {
    const m = item.match(/^([A-Za-z_]\w*)(?:\((.*)\))?$/s);
    if (!m) throw ERR.syntax(`Invalid $expand item '${item}'.`);
    let select: string[] | null = null;
    let expand: ExpandItem[] = [];
    for (const opt of splitTopLevel(m[2] ?? '', ';')) {
      const [name, value] = [opt.slice(0, opt.indexOf('=')), opt.slice(opt.indexOf('=') + 1)];
      if (name === '$select') select = splitTopLevel(value);
      else if (name === '$expand') expand = parseExpand(value);
      else throw ERR.syntax(`The sandbox supports only $select and $expand inside $expand, got '${opt}'.`);
    }
    return { nav: m[1]!, select, expand };
  });
}

/** `(<guid>)`, `(name=value)` or `(a=1,b='x')` → a key description. */
export type KeySpec = { kind: 'id'; id: string } | { kind: 'alt'; values: Record<string, unknown> };

export function parseKey(src: string): KeySpec {
  const guid = src.match(/^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i);
  if (guid) return { kind: 'id', id: guid[1]!.toLowerCase() };
  const values: Record<string, unknown> = {};
  for (const pair of splitTopLevel(src)) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw ERR.badRequest(`Invalid key '${src}'.`);
    const name = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    values[name] = literal(raw);
  }
  return { kind: 'alt', values };
}

function literal(raw: string): unknown {
  if (raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === 'null') return null;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw.toLowerCase();
}
