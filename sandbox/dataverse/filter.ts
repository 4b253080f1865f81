import { ERR, GUID, ODataError, type Row } from './model';

/**
 * The `$filter` subset the connector and its tests use: eq ne gt ge lt le, and, or, not, parentheses,
 * contains/startswith/endswith, literals (string, number, true/false, null, GUID, date-time).
 * Strings compare case-insensitively, as Dataverse's SQL collation does.
 */
export type Predicate = (row: Row) => boolean;

type Token = {
  kind: 'ident' | 'literal' | 'op' | 'lparen' | 'rparen' | 'comma';
  text: string;
  value?: unknown;
};
type Operand = { kind: 'prop'; name: string } | { kind: 'value'; value: unknown };

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\s+/))) {
      i += m[0].length;
    } else if (rest[0] === '(' || rest[0] === ')' || rest[0] === ',') {
      out.push({ kind: rest[0] === '(' ? 'lparen' : rest[0] === ')' ? 'rparen' : 'comma', text: rest[0] });
      i += 1;
    } else if ((m = rest.match(/^'((?:[^']|'')*)'/))) {
      out.push({ kind: 'literal', text: m[0], value: m[1]!.replace(/''/g, "'") });
      i += m[0].length;
    } else if ((m = rest.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/i))) {
      out.push({ kind: 'literal', text: m[0], value: m[0].toLowerCase() });
      i += m[0].length;
    } else if ((m = rest.match(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?/))) {
      out.push({ kind: 'literal', text: m[0], value: m[0] });
      i += m[0].length;
    } else if ((m = rest.match(/^-?\d+(\.\d+)?/))) {
      out.push({ kind: 'literal', text: m[0], value: Number(m[0]) });
      i += m[0].length;
    } else if ((m = rest.match(/^[A-Za-z_][\w.]*/))) {
      const word = m[0];
      if (word === 'true' || word === 'false')
        out.push({ kind: 'literal', text: word, value: word === 'true' });
      else if (word === 'null') out.push({ kind: 'literal', text: word, value: null });
      else if (['and', 'or', 'not', ...COMPARISONS].includes(word)) out.push({ kind: 'op', text: word });
      else out.push({ kind: 'ident', text: word });
      i += word.length;
    } else {
      throw ERR.syntax(`Syntax error at position ${i} in '${src}'.`);
    }
  }
  return out;
}

function norm(v: unknown): unknown {
  if (typeof v === 'string') return GUID.test(v) ? v.toLowerCase() : v.toLowerCase();
  return v;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const x = norm(a ?? null);
  const y = norm(b ?? null);
  if (op === 'eq') return x === y;
  if (op === 'ne') return x !== y;
  if (x === null || y === null) return false;
  const [p, q] = typeof x === 'number' && typeof y === 'number' ? [x, y] : [String(x), String(y)];
  if (op === 'gt') return p > q;
  if (op === 'ge') return p >= q;
  if (op === 'lt') return p < q;
  return p <= q;
}

const OPERATOR_KIND: Record<string, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

/** The EDM type of a literal as the OData parser names it in its errors. */
function literalType(t: Token): string {
  if (typeof t.value === 'number') return Number.isInteger(t.value) ? 'Edm.Int32' : 'Edm.Decimal';
  if (typeof t.value === 'boolean') return 'Edm.Boolean';
  if (GUID.test(t.text)) return 'Edm.Guid';
  if (/^\d{4}-\d{2}-\d{2}/.test(t.text)) return t.text.length > 10 ? 'Edm.DateTimeOffset' : 'Edm.Date';
  return 'Edm.String';
}

/**
 * `navigationType(name)` names the entity type of a single-valued navigation property: comparing one with a
 * value is refused as Dataverse refuses it ("A binary operator with incompatible types was detected. Found
 * operand types 'Microsoft.Dynamics.CRM.x' and 'Edm.Guid' for operator kind 'Equal'.",
 * AleksandrRogov/DynamicsWebApi#32); the lookup's value is `_x_value`.
 */
export function parseFilter(
  src: string,
  unknownProperty: (name: string) => boolean = () => false,
  logical = 'entity',
  navigationType: (name: string) => string | undefined = () => undefined,
): Predicate {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const t = tokens[pos++];
    if (!t) throw ERR.syntax(`Unexpected end of $filter '${src}'.`);
    return t;
  };
  const expect = (kind: Token['kind']): Token => {
    const t = next();
    if (t.kind !== kind) throw ERR.syntax(`Expected ${kind} but found '${t.text}' in $filter '${src}'.`);
    return t;
  };
  const operand = (): Operand => {
    const t = next();
    if (t.kind === 'ident') {
      if (unknownProperty(t.text)) throw ERR.noProperty(t.text, logical);
      return { kind: 'prop', name: t.text };
    }
    if (t.kind === 'literal') return { kind: 'value', value: t.value };
    throw ERR.syntax(`Unexpected '${t.text}' in $filter '${src}'.`);
  };
  const read = (o: Operand, row: Row): unknown => (o.kind === 'prop' ? row[o.name] : o.value);

  const primary = (): Predicate => {
    const t = peek();
    if (t?.kind === 'lparen') {
      next();
      const inner = orExpr();
      expect('rparen');
      return inner;
    }
    if (t?.kind === 'op' && t.text === 'not') {
      next();
      const inner = primary();
      return (row) => !inner(row);
    }
    if (t?.kind === 'ident' && FUNCTIONS.has(t.text) && tokens[pos + 1]?.kind === 'lparen') {
      next();
      expect('lparen');
      const a = operand();
      expect('comma');
      const b = operand();
      expect('rparen');
      return (row) => {
        const x = read(a, row);
        const y = read(b, row);
        if (typeof x !== 'string' || typeof y !== 'string') return false;
        const [s, n] = [x.toLowerCase(), y.toLowerCase()];
        return t.text === 'contains'
          ? s.includes(n)
          : t.text === 'startswith'
            ? s.startsWith(n)
            : s.endsWith(n);
      };
    }
    const navType = t?.kind === 'ident' ? navigationType(t.text) : undefined;
    if (
      navType &&
      tokens[pos + 1]?.kind === 'op' &&
      COMPARISONS.has(tokens[pos + 1]!.text) &&
      tokens[pos + 2]?.kind === 'literal' &&
      tokens[pos + 2]!.value !== null
    ) {
      const [opText, lit] = [tokens[pos + 1]!.text, tokens[pos + 2]!];
      throw new ODataError(
        400,
        '0x0',
        `A binary operator with incompatible types was detected. Found operand types 'Microsoft.Dynamics.CRM.${navType}' and '${literalType(lit)}' for operator kind '${OPERATOR_KIND[opText]}'.`,
      );
    }
    const left = operand();
    const op = next();
    if (op.kind !== 'op' || !COMPARISONS.has(op.text))
      throw ERR.syntax(`Expected a comparison after '${t?.text}' in $filter '${src}'.`);
    const right = operand();
    return (row) => compare(op.text, read(left, row), read(right, row));
  };
  const andExpr = (): Predicate => {
    let left = primary();
    while (peek()?.kind === 'op' && peek()?.text === 'and') {
      next();
      const l = left;
      const r = primary();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const orExpr = (): Predicate => {
    let left = andExpr();
    while (peek()?.kind === 'op' && peek()?.text === 'or') {
      next();
      const l = left;
      const r = andExpr();
      left = (row) => l(row) || r(row);
    }
    return left;
  };
  const result = orExpr();
  if (pos !== tokens.length) throw ERR.syntax(`Unexpected '${tokens[pos]?.text}' in $filter '${src}'.`);
  return result;
}
