/**
 * Exact compares typed values: a GUID column against `guid'…'`, a number column against a number.
 * Anything else is refused before a row is read, as Exact's OData (WCF Data Services) refuses it:
 * 400 "Operator 'eq' incompatible with operand types 'System.Nullable`1[[System.Guid, mscorlib, …]]' and
 * 'System.String' at position 8." (picqer/exact-php-client#52, `Account eq '…'`).
 */
import type { FilterNode } from './filter';
import { HttpError } from './http';

const MSCORLIB = 'mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089';
export const nullable = (clr: string): string => `System.Nullable\`1[[${clr}, ${MSCORLIB}]]`;

const LITERAL: Record<string, string> = {
  str: 'System.String',
  num: 'System.Int32',
  double: 'System.Double',
  guid: 'System.Guid',
  datetime: 'System.DateTime',
  bool: 'System.Boolean',
};

const NUMERIC = [
  'System.Byte',
  'System.Int16',
  'System.Int32',
  'System.Int64',
  'System.Double',
  'System.Decimal',
];

/** The CLR type without Nullable`1[[…]]. */
const base = (clr: string): string => /^System\.Nullable`1\[\[([\w.]+),/.exec(clr)?.[1] ?? clr;

function compatible(column: string, literal: string): boolean {
  const c = base(column);
  if (NUMERIC.includes(c)) return NUMERIC.includes(literal);
  return c === literal;
}

export function checkTypes(node: FilterNode, typeOf: (field: string) => string): void {
  if (node.t === 'not') return checkTypes(node.e, typeOf);
  if (node.t !== 'bin') return;
  if (node.op === 'and' || node.op === 'or') return (checkTypes(node.l, typeOf), checkTypes(node.r, typeOf));
  const side = (n: FilterNode): string | null => {
    if (n.t === 'field') return typeOf(n.name);
    if (n.t === 'lit' && n.v !== null && n.kind) return LITERAL[n.kind] ?? null;
    return null;
  };
  const [l, r] = [side(node.l), side(node.r)];
  const field = node.l.t === 'field' ? l : node.r.t === 'field' ? r : null;
  const literal = node.l.t === 'lit' ? l : node.r.t === 'lit' ? r : null;
  if (l && r && field && literal && !compatible(field, literal))
    throw new HttpError(
      400,
      `Operator '${node.op}' incompatible with operand types '${l}' and '${r}' at position ${node.at ?? 0}.`,
    );
}
