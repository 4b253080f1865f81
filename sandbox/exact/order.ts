/** `$orderby=Field [asc|desc], …` over wire rows; key order when absent (and as the last tie-breaker). */
import type { Row } from './filter';
import { HttpError } from './http';

export function orderRows<R extends { row: Row }>(
  rows: R[],
  spec: string | undefined,
  key: string,
  has: (n: string) => boolean,
  typeName: string,
): R[] {
  const keys = (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [field = '', dir = 'asc', extra] = s.split(/\s+/);
      if (!has(field)) throw new HttpError(400, `No property '${field}' exists in type '${typeName}'`);
      if (extra !== undefined || !['asc', 'desc'].includes(dir.toLowerCase()))
        throw new HttpError(400, `Syntax error in $orderby '${spec}'.`);
      return { field, desc: dir.toLowerCase() === 'desc' };
    });
  keys.push({ field: key, desc: false });
  const norm = (v: Row[string]) => (typeof v === 'string' ? v.toLowerCase() : v);
  return [...rows].sort((a, b) => {
    for (const { field, desc } of keys) {
      const [x, y] = [norm(a.row[field] ?? null), norm(b.row[field] ?? null)];
      if (x === y) continue;
      // Nulls sort first, as SQL Server orders them.
      const cmp = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return desc ? -cmp : cmp;
    }
    return 0;
  });
}
