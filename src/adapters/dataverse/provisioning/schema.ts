/**
 * The Dataverse schema of PRODUCT.md §2 as provisioning sees it: what `npm run dataverse -- provision`
 * makes exist, derived from the one definition in ../vocabulary (tables, columns, option sets).
 * System columns (owner, status) come with every user-owned table and are not provisioned.
 */
import {
  EOL_TABLES,
  EXTENDED_TABLES,
  OPTION_SETS,
  type ColumnDef,
  type KeySpec,
  type OptionSpec,
  type TableDef,
} from '../vocabulary';

export type { KeySpec, OptionSpec };

type Provisioned = Exclude<ColumnDef, { kind: 'system' }>;
type WithoutWire<C> = C extends unknown ? Omit<C, 'wire'> & { name: string } : never;

export type ColumnSpec = WithoutWire<Provisioned>;

export interface TableSpec {
  name: string;
  entitySet: string;
  label: string;
  pluralLabel: string;
  description: string;
  /** Emails are sent regarding invoices (failure notifications), so eol_salesinvoice needs activities. */
  hasActivities: boolean;
  primaryName: { name: string; label: string; maxLength: number };
  columns: ColumnSpec[];
  keys: KeySpec[];
}

export interface GlobalOptionSetSpec {
  name: string;
  label: string;
  options: OptionSpec[];
}

function columnSpec(name: string, def: Provisioned): ColumnSpec {
  const { wire: _wire, ...spec } = def;
  return { name, ...spec } as ColumnSpec;
}

function tableSpec(t: TableDef): TableSpec {
  const primary = t.columns[t.primaryName];
  if (primary?.kind !== 'text')
    throw new Error(`${t.name}: primary name ${t.primaryName} must be a text column`);
  const columns = Object.entries(t.columns).filter(
    (e): e is [string, Provisioned] => e[0] !== t.primaryName && e[1].kind !== 'system',
  );
  return {
    name: t.name,
    entitySet: t.entitySet,
    label: t.label,
    pluralLabel: t.pluralLabel,
    description: t.description,
    hasActivities: t.hasActivities,
    primaryName: { name: t.primaryName, label: primary.label, maxLength: primary.maxLength },
    columns: columns.map(([name, def]) => columnSpec(name, def)),
    keys: t.keys.map((k) => ({ ...k, columns: [...k.columns] })),
  };
}

export const GLOBAL_OPTION_SETS: readonly GlobalOptionSetSpec[] = Object.values(OPTION_SETS).map((s) => ({
  name: s.name,
  label: s.label,
  options: s.options.map((o) => ({ ...o })),
}));

export const TABLES: readonly TableSpec[] = EOL_TABLES.map(tableSpec);

/** Columns the connector adds to a system table (Dynamics' `account`): created or compared, never the table. */
export interface ExtensionSpec {
  name: string;
  entitySet: string;
  columns: ColumnSpec[];
}

export const EXTENSIONS: readonly ExtensionSpec[] = EXTENDED_TABLES.map((t) => ({
  name: t.name,
  entitySet: t.entitySet,
  columns: Object.entries(t.columns)
    .filter((e): e is [string, Provisioned] => e[1].kind !== 'system')
    .map(([name, def]) => columnSpec(name, def)),
}));
