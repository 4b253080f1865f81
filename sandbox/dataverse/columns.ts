import type { Row } from './model';
import type { MetadataStore } from './metadataStore';
import type { Label } from './metadataTypes';

/** One column as the data API enforces it, read from the held metadata. */
export interface Column {
  name: string;
  /** AttributeType: String, Memo, Integer, BigInt, Boolean, Picklist, Virtual (multi-select), DateTime, Lookup, Owner, Uniqueidentifier, State, Status. */
  type: string;
  maxLength?: number;
  min?: number;
  max?: number;
  dateOnly?: boolean;
  /** Choice values → English label (choices, state, status); [false, true] labels of a Boolean. */
  options?: Map<number, string>;
  booleanLabels?: [string, string];
  targets?: string[];
}

/** A table as the data API sees it: its columns, lookups (navigation → column) and deep-insert collections. */
export interface TableView {
  logical: string;
  set: string;
  primaryName: string;
  columns: Map<string, Column>;
  collections: Set<string>;
}

export const LOOKUP_TYPES = new Set(['Lookup', 'Owner', 'Customer']);

/** The view of the table behind an entity set, or undefined when the environment has no such table. */
export function tableView(store: MetadataStore, set: string): TableView | undefined {
  const entry = [...store.entities.values()].find((e) => e.meta.EntitySetName === set);
  if (!entry) return undefined;
  const columns = new Map<string, Column>();
  for (const a of entry.attributes) columns.set(String(a.LogicalName), column(store, a));
  const collections = new Set((entry.meta.CollectionNavigations as string[] | undefined) ?? []);
  return {
    logical: String(entry.meta.LogicalName),
    set,
    primaryName: String(entry.meta.PrimaryNameAttribute),
    columns,
    collections,
  };
}

function column(store: MetadataStore, a: Row): Column {
  const c: Column = { name: String(a.LogicalName), type: String(a.AttributeType) };
  if (typeof a.MaxLength === 'number') c.maxLength = a.MaxLength;
  if (typeof a.MinValue === 'number') c.min = a.MinValue;
  if (typeof a.MaxValue === 'number') c.max = a.MaxValue;
  if (a.AttributeType === 'DateTime') c.dateOnly = a.Format === 'DateOnly';
  if (Array.isArray(a.Targets)) c.targets = a.Targets.map(String);
  const setId = store.attributeOptionSet.get(String(a.MetadataId));
  const set = setId ? store.optionSets.get(setId) : undefined;
  if (set)
    c.options = new Map((set.Options as Row[]).map((o) => [Number(o.Value), english(o.Label as Label)]));
  const labels = store.booleanLabels.get(String(a.MetadataId));
  if (labels) c.booleanLabels = labels;
  return c;
}

function english(label: Label | undefined): string {
  const all = label?.LocalizedLabels ?? [];
  return String((all.find((l) => l.LanguageCode === 1033) ?? all[0])?.Label ?? '');
}

/** The names `$select`, `$filter` and `$orderby` may use: columns, lookups as `_x_value`. */
export function readableName(view: TableView, name: string): Column | undefined {
  const lookup = /^_(\w+)_value$/.exec(name);
  if (lookup) {
    const c = view.columns.get(lookup[1]!);
    return c && LOOKUP_TYPES.has(c.type) ? c : undefined;
  }
  const c = view.columns.get(name);
  return c && !LOOKUP_TYPES.has(c.type) ? c : undefined;
}

/** A single-valued navigation property (`nav`, or `nav_<target>` for a polymorphic lookup) → its lookup column and target table. */
export function navigation(view: TableView, nav: string): { column: Column; target: string } | undefined {
  const direct = view.columns.get(nav);
  if (direct && LOOKUP_TYPES.has(direct.type) && direct.targets?.length)
    return { column: direct, target: direct.targets[0]! };
  for (const c of view.columns.values()) {
    if (!LOOKUP_TYPES.has(c.type) || !nav.startsWith(`${c.name}_`)) continue;
    const target = nav.slice(c.name.length + 1);
    if (c.targets?.includes(target)) return { column: c, target };
  }
  return undefined;
}
