/**
 * The master-data mirror's fields (src/app/masterData/records.ts) ↔ the vocabulary's columns: how each is
 * selected, read from a row and written (a plain value, or `@odata.bind` for a lookup). One table per
 * `eol_` table, so a field is mapped in exactly one place.
 */
import type {
  AdministrationFields,
  ExactState,
  LayoutFields,
  RelationFields,
} from '../../app/masterData/records';
import {
  ACCOUNT,
  ADMINISTRATION,
  EOL_TABLES,
  LAYOUT,
  OPTION_SETS,
  RELATION,
  wireName,
  type ColumnName,
  type TableDef,
} from './vocabulary';

type Row = Record<string, unknown>;

export interface FieldColumn<V> {
  /** The name in `$select` (`_x_value` for a lookup). */
  select: string;
  read(row: Row): V;
  write(value: V): Row;
}

export type FieldMap<F> = { [K in keyof F]-?: FieldColumn<F[K]> };

const [ACTIVE, GONE] = OPTION_SETS.eol_exactstate.options.map((o) => o.value);

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function plain<T extends TableDef, V>(
  table: T,
  column: ColumnName<T>,
  read: (v: unknown) => V,
  encode: (v: V) => unknown = (v) => v,
): FieldColumn<V> {
  return { select: column, read: (row) => read(row[column]), write: (v) => ({ [column]: encode(v) }) };
}

const text = <T extends TableDef>(t: T, c: ColumnName<T>) => plain(t, c, str);
const required = <T extends TableDef>(t: T, c: ColumnName<T>) => plain(t, c, (v) => str(v) ?? '');
const number = <T extends TableDef>(t: T, c: ColumnName<T>) => plain(t, c, num);

function state<T extends TableDef>(t: T): FieldColumn<ExactState | null> {
  return plain(
    t,
    'eol_exactstate' as ColumnName<T>,
    (v) => (v === ACTIVE ? 'active' : v === GONE ? 'gone' : null),
    (v) => (v === 'active' ? ACTIVE : v === 'gone' ? GONE : null),
  );
}

/** A lookup: read as `_x_value`, written as `x@odata.bind` to the target's entity set (null clears it). */
function bind<T extends TableDef>(table: T, lookup: ColumnName<T>): FieldColumn<string | null> {
  const c = table.columns[lookup];
  const target = [...EOL_TABLES, ACCOUNT].find((x) => c?.kind === 'lookup' && x.name === c.target);
  if (!target) throw new Error(`${table.name}.${lookup} is no lookup the mirror writes`);
  const select = wireName(table, lookup);
  return {
    select,
    read: (row) => str(row[select])?.toLowerCase() ?? null,
    write: (id) => ({ [`${lookup}@odata.bind`]: id === null ? null : `/${target.entitySet}(${id})` }),
  };
}

export const ADMINISTRATION_FIELDS: FieldMap<AdministrationFields> = {
  division: plain(ADMINISTRATION, 'eol_division', (v) => num(v) ?? 0),
  name: required(ADMINISTRATION, 'eol_name'),
  printInvoices: plain(ADMINISTRATION, 'eol_printinvoices', (v) => v === true),
  state: state(ADMINISTRATION),
  accountCursor: text(ADMINISTRATION, 'eol_accountcursor'),
  defaultLayoutId: bind(ADMINISTRATION, 'eol_defaultlayoutid'),
  defaultEmailLayoutId: bind(ADMINISTRATION, 'eol_defaultemaillayoutid'),
  legacyDefaultLayout: text(ADMINISTRATION, 'eol_defaultlayout'),
  legacyDefaultEmailLayout: text(ADMINISTRATION, 'eol_defaultemaillayout'),
};

export const LAYOUT_FIELDS: FieldMap<LayoutFields> = {
  administrationId: { ...bind(LAYOUT, 'eol_administrationid'), read: (row) => lower(row, LAYOUT) },
  exactId: plain(LAYOUT, 'eol_exactlayoutid', (v) => str(v)?.toLowerCase() ?? ''),
  name: required(LAYOUT, 'eol_name'),
  type: plain(
    LAYOUT,
    'eol_layouttype',
    (v) => (v === 2 ? 'email' : 'document'),
    (v) => (v === 'email' ? 2 : 1),
  ),
  language: text(LAYOUT, 'eol_language'),
  state: state(LAYOUT),
  inactive: plain(LAYOUT, 'eol_inactive', (v) => v === true),
};

export const RELATION_FIELDS: FieldMap<RelationFields> = {
  administrationId: { ...bind(RELATION, 'eol_administrationid'), read: (row) => lower(row, RELATION) },
  exactAccountId: plain(RELATION, 'eol_exactaccountid', (v) => str(v)?.toLowerCase() ?? ''),
  name: required(RELATION, 'eol_name'),
  state: state(RELATION),
  accountId: bind(RELATION, 'eol_accountid'),
  invoiceAccountId: bind(RELATION, 'eol_invoiceaccountid'),
  kvk: text(RELATION, 'eol_kvk'),
  vatNumber: text(RELATION, 'eol_vatnumber'),
  oin: text(RELATION, 'eol_oin'),
  language: text(RELATION, 'eol_language'),
  invoiceMethod: number(RELATION, 'eol_invoicemethod'),
  invoiceEmail: text(RELATION, 'eol_invoiceemail'),
  peppolId: text(RELATION, 'eol_peppolid'),
  exactInvoiceMethod: number(RELATION, 'eol_exactinvoicemethod'),
  exactInvoiceEmail: text(RELATION, 'eol_exactinvoiceemail'),
  exactPeppolId: text(RELATION, 'eol_exactpeppolid'),
  conflict: text(RELATION, 'eol_syncconflict'),
  layoutId: bind(RELATION, 'eol_layoutid'),
  emailLayoutId: bind(RELATION, 'eol_emaillayoutid'),
  legacyLayout: text(RELATION, 'eol_layout'),
  legacyEmailLayout: text(RELATION, 'eol_emaillayout'),
};

/** The administration lookup is required: a row without one is not the mirror's. */
function lower(row: Row, table: typeof LAYOUT | typeof RELATION): string {
  return str(row[wireName(table, 'eol_administrationid')])?.toLowerCase() ?? '';
}

export const selectOfFields = <F>(map: FieldMap<F>): string[] =>
  Object.values<FieldColumn<unknown>>(map).map((c) => c.select);

export function readFields<F>(map: FieldMap<F>, row: Row): F {
  const out: Partial<F> = {};
  for (const key of Object.keys(map) as Array<keyof F>) out[key] = map[key].read(row);
  return out as F;
}

export function writeFields<F>(map: FieldMap<F>, fields: Partial<F>): Row {
  const out: Row = {};
  for (const key of Object.keys(fields) as Array<keyof F>) {
    const value = fields[key];
    if (value !== undefined) Object.assign(out, map[key].write(value as F[keyof F]));
  }
  return out;
}
