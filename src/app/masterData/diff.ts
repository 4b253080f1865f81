/** Compare-before-write: the fields of `desired` that differ from `current` (all of them for a new row). */
const blank = (v: unknown): boolean => v === null || v === undefined || v === '';

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (blank(a) && blank(b));
}

export function changedFields<T extends object>(current: T | undefined, desired: Partial<T>): Partial<T> {
  if (!current) return { ...desired };
  const out: Partial<T> = {};
  for (const key of Object.keys(desired) as Array<keyof T>) {
    if (!sameValue(current[key], desired[key])) out[key] = desired[key];
  }
  return out;
}

export const isEmpty = (o: object): boolean => Object.keys(o).length === 0;
