/**
 * How the gateway names the vocabulary's columns on the wire: `$select` lists, zod row shapes,
 * `$expand` entries and `@odata.bind` lookups, all derived from tables.ts so that a column the gateway
 * reads or writes is a column provisioning creates (test/adapters/dataverse/vocabulary.test.ts).
 */
import { z } from 'zod';
import type { ColumnDef } from './columns';
import { LOOKUP_TARGET_SETS } from './catalog';
import type { TableDef } from './tables';

export type ColumnName<T extends TableDef> = keyof T['columns'] & string;

type ReadAsValue<C> = C extends { kind: 'lookup' }
  ? true
  : C extends { kind: 'system'; lookup: true }
    ? true
    : false;

/** A lookup is read as `_<name>_value`; every other column under its own name. */
export type WireName<T extends TableDef, K extends ColumnName<T>> =
  ReadAsValue<T['columns'][K]> extends true ? `_${K}_value` : K;

export type RowShape<T extends TableDef, K extends ColumnName<T>> = {
  [P in T['primaryId']]: z.ZodString;
} & { [P in K as WireName<T, P>]: T['columns'][P]['wire'] };

/** The columns a PATCH or POST may set by name (lookups are bound instead, system columns never set). */
export type Writable<T extends TableDef> = {
  [K in ColumnName<T>]: T['columns'][K] extends { kind: 'lookup' | 'system' } ? never : K;
}[ColumnName<T>];
export type Lookups<T extends TableDef> = {
  [K in ColumnName<T>]: T['columns'][K] extends { kind: 'lookup' } ? K : never;
}[ColumnName<T>];
export type RowWrite<T extends TableDef> = Partial<Record<Writable<T>, unknown>> &
  Partial<Record<`${Lookups<T>}@odata.bind`, string>>;

const readAsValue = (c: ColumnDef): boolean => c.kind === 'lookup' || (c.kind === 'system' && c.lookup);

function column(table: TableDef, name: string): ColumnDef {
  const c = table.columns[name];
  if (!c) throw new Error(`${table.name} has no column ${name}`);
  return c;
}

export function wireName<T extends TableDef, K extends ColumnName<T>>(table: T, name: K): WireName<T, K> {
  return (readAsValue(column(table, name)) ? `_${name}_value` : name) as WireName<T, K>;
}

/** `$select` for `columns` (not the primary id: ask for it where it is needed, Dataverse always sends it). */
export function selectOf<T extends TableDef, const K extends ColumnName<T>>(
  table: T,
  columns: readonly K[],
): WireName<T, K>[] {
  return columns.map((c) => wireName(table, c));
}

/** The zod shape of a row read with `selectOf(table, columns)`, with its primary id. */
export function rowShape<T extends TableDef, const K extends ColumnName<T>>(
  table: T,
  columns: readonly K[],
): RowShape<T, K> {
  const shape: Record<string, z.ZodType> = { [table.primaryId]: z.string() };
  for (const c of columns) shape[wireName(table, c)] = column(table, c).wire;
  return shape as RowShape<T, K>;
}

/** `$expand` of a lookup with the target's columns. */
export function expandOf<
  T extends TableDef,
  L extends Lookups<T>,
  U extends TableDef,
  const K extends ColumnName<U>,
>(table: T, lookup: L, target: U, columns: readonly K[]): { property: L; select: WireName<U, K>[] } {
  const c = column(table, lookup);
  if (c.kind !== 'lookup' || c.target !== target.name)
    throw new Error(`${table.name}.${lookup} does not point at ${target.name}`);
  return { property: lookup, select: selectOf(target, columns) };
}

/**
 * `{ 'eol_administrationid@odata.bind': '/eol_administrations(<id>)' }` for a lookup; a lookup to a system
 * table binds its entity set the same way (`eol_emailid@odata.bind: /emails(<activityid>)`).
 */
export function bindOf<T extends TableDef, L extends Lookups<T>>(
  table: T,
  lookup: L,
  id: string,
): Record<`${L}@odata.bind`, string> {
  const c = column(table, lookup);
  const set = c.kind === 'lookup' ? LOOKUP_TARGET_SETS[c.target] : undefined;
  if (!set) throw new Error(`${table.name}.${lookup} is no lookup to a known table`);
  return { [`${lookup}@odata.bind`]: `/${set}(${id})` } as Record<`${L}@odata.bind`, string>;
}
