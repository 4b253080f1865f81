/**
 * A small OData v2 `$filter` parser/evaluator: comparisons (eq ne gt ge lt le), and/or/not, parentheses,
 * literals (numbers, 'text', guid'…', datetime'…', true/false/null) and the functions trim/tolower/toupper,
 * substringof and startswith. Enough for what the connector and Exact clients send; anything else is a
 * 400 like Exact's.
 */
import { HttpError } from './http';

type Value = string | number | boolean | null;
export type Row = Record<string, Value>;
type Node =
  /** `kind`: how the literal was written (`guid'…'`, `datetime'…'`, a quoted string, a number, …). */
  | { t: 'lit'; v: Value; kind?: string }
  | { t: 'field'; name: string }
  | { t: 'call'; fn: string; args: Node[] }
  /** `at`: offset of the operator in the filter text (Exact's errors name it: "… at position 8."). */
  | { t: 'bin'; op: string; l: Node; r: Node; at?: number }
  | { t: 'not'; e: Node };

const TOKEN =
  /\s*(?:(\()|(\))|(,)|(guid|datetime)'([^']*)'|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?[mdMD]?)(?![\w])|([A-Za-z_][\w/]*))/y;

/** Tokens as [kind, text, offset]. */
function tokenize(src: string): string[][] {
  const out: string[][] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new HttpError(400, `Syntax error at position ${at}.`);
    const pos = String(at + (m[0].length - m[0].trimStart().length));
    if (m[1]) out.push(['(', '', pos]);
    else if (m[2]) out.push([')', '', pos]);
    else if (m[3]) out.push([',', '', pos]);
    else if (m[4]) out.push([m[4], m[5] ?? '', pos]);
    else if (m[6] !== undefined) out.push(['str', m[6].replace(/''/g, "'"), pos]);
    else if (m[7]) out.push(['num', m[7].replace(/[mdMD]$/, ''), pos]);
    else out.push(['word', m[8] ?? '', pos]);
  }
  return out;
}

const syntax = (detail: string): HttpError => new HttpError(400, `Error in $filter: ${detail}`);

const COMPARE = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

export function parseFilter(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): string[] | undefined => toks[i];
  const isWord = (w: string): boolean => peek()?.[0] === 'word' && peek()?.[1]?.toLowerCase() === w;
  const expect = (kind: string): void => {
    if (peek()?.[0] !== kind) throw syntax(`expected '${kind}'`);
    i++;
  };
  const or = (): Node => {
    let l = and();
    while (isWord('or')) {
      i++;
      l = { t: 'bin', op: 'or', l, r: and() };
    }
    return l;
  };
  const and = (): Node => {
    let l = unary();
    while (isWord('and')) {
      i++;
      l = { t: 'bin', op: 'and', l, r: unary() };
    }
    return l;
  };
  const unary = (): Node => {
    if (isWord('not')) return (i++, { t: 'not', e: unary() });
    const l = operand();
    const op = peek()?.[0] === 'word' ? peek()?.[1]?.toLowerCase() : undefined;
    const at = Number(peek()?.[2] ?? 0);
    if (op && COMPARE.includes(op)) return (i++, { t: 'bin', op, l, r: operand(), at });
    return l;
  };
  const operand = (): Node => {
    const tok = toks[i++];
    if (!tok) throw syntax('unexpected end');
    const [kind, text = ''] = tok;
    if (kind === '(') {
      const e = or();
      expect(')');
      return e;
    }
    if (kind === 'str') return { t: 'lit', v: text, kind: 'str' };
    if (kind === 'num') return { t: 'lit', v: Number(text), kind: text.includes('.') ? 'double' : 'num' };
    if (kind === 'guid') return { t: 'lit', v: text.toLowerCase(), kind: 'guid' };
    if (kind === 'datetime') {
      const ms = Date.parse(
        /[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}${text.length <= 10 ? 'T00:00:00' : ''}Z`,
      );
      if (Number.isNaN(ms)) throw syntax(`bad datetime '${text}'`);
      return { t: 'lit', v: ms, kind: 'datetime' };
    }
    if (kind !== 'word') throw syntax(`unexpected '${kind}'`);
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === 'false') return { t: 'lit', v: lower === 'true', kind: 'bool' };
    if (lower === 'null') return { t: 'lit', v: null };
    if (peek()?.[0] === '(') {
      i++;
      const args: Node[] = [];
      if (peek()?.[0] !== ')') {
        args.push(or());
        while (peek()?.[0] === ',') {
          i++;
          args.push(or());
        }
      }
      expect(')');
      return { t: 'call', fn: lower, args };
    }
    return { t: 'field', name: text };
  };
  const node = or();
  if (i < toks.length) throw new HttpError(400, `Syntax error at position ${toks[i]?.[2] ?? 0}.`);
  return node;
}

/** Checks every field name against the entity's properties before any row is read. */
export type FilterNode = Node;

export function checkFields(node: Node, has: (name: string) => boolean, typeName: string): void {
  if (node.t === 'field' && !has(node.name))
    throw new HttpError(400, `No property '${node.name}' exists in type '${typeName}'`);
  if (node.t === 'bin') {
    checkFields(node.l, has, typeName);
    checkFields(node.r, has, typeName);
  }
  if (node.t === 'not') checkFields(node.e, has, typeName);
  if (node.t === 'call') node.args.forEach((a) => checkFields(a, has, typeName));
}

/**
 * The key values a filter is limited to, when it is nothing but `key eq literal` joined by `or` (a status
 * call for up to 60 invoices); null for any other filter. Lets a collection skip rows without evaluating.
 */
export function keyLiterals(node: Node, key: string): Set<string> | null {
  if (node.t !== 'bin') return null;
  if (node.op === 'or') {
    const l = keyLiterals(node.l, key);
    const r = l && keyLiterals(node.r, key);
    return l && r ? new Set([...l, ...r]) : null;
  }
  if (node.op !== 'eq') return null;
  const [field, lit] = node.l.t === 'field' ? [node.l, node.r] : [node.r, node.l];
  if (field.t !== 'field' || lit.t !== 'lit' || field.name !== key || lit.v === null) return null;
  return new Set([String(lit.v).toLowerCase()]);
}

const norm = (v: Value): Value => (typeof v === 'string' ? v.toLowerCase() : v);

export function evaluate(node: Node, row: Row): Value {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'field':
      return row[node.name] ?? null;
    case 'not':
      return !evaluate(node.e, row);
    case 'call': {
      const [a, b] = node.args.map((n) => evaluate(n, row));
      const s = (v: Value | undefined): string => (v === null || v === undefined ? '' : String(v));
      if (node.fn === 'trim') return s(a).trim();
      if (node.fn === 'tolower') return s(a).toLowerCase();
      if (node.fn === 'toupper') return s(a).toUpperCase();
      if (node.fn === 'substringof') return s(b).toLowerCase().includes(s(a).toLowerCase());
      if (node.fn === 'startswith') return s(a).toLowerCase().startsWith(s(b).toLowerCase());
      throw syntax(`unknown function '${node.fn}'`);
    }
    case 'bin': {
      if (node.op === 'and') return Boolean(evaluate(node.l, row)) && Boolean(evaluate(node.r, row));
      if (node.op === 'or') return Boolean(evaluate(node.l, row)) || Boolean(evaluate(node.r, row));
      // Exact compares text case-insensitively (SQL Server collation), which also covers GUID casing.
      const l = norm(evaluate(node.l, row));
      const r = norm(evaluate(node.r, row));
      if (node.op === 'eq') return l === r;
      if (node.op === 'ne') return l !== r;
      if (l === null || r === null) return false;
      if (node.op === 'gt') return l > r;
      if (node.op === 'ge') return l >= r;
      if (node.op === 'lt') return l < r;
      return l <= r;
    }
  }
}
