import { attributeBody, metadataType } from './bodies';
import { compareColumn } from './compare';
import type { MetadataApi } from './metadataApi';
import type { Change, Conflict } from './plan';
import { EXTENSIONS, type ColumnSpec, type ExtensionSpec, type TableSpec } from './schema';

/**
 * The columns the connector adds to system tables (decision 0077: `account.eol_kvk`, `account.eol_vatnumber`):
 * created when missing, compared like the `eol_` tables' columns otherwise (a column of another type is a
 * conflict: Dataverse cannot change a column's type). The table itself is Dynamics' and never changed.
 */
export async function planExtensions(
  api: MetadataApi,
  changes: Change[],
  conflicts: Conflict[],
  extensions: readonly ExtensionSpec[] = EXTENSIONS,
): Promise<void> {
  for (const ext of extensions) {
    if (!(await api.entity(ext.name))) {
      conflicts.push({
        what: `table ${ext.name}`,
        why: 'the environment has no such table (Dynamics 365 Sales)',
      });
      continue;
    }
    const attributes = new Map((await api.attributes(ext.name)).map((a) => [a.LogicalName, a]));
    const table = asTable(ext);
    for (const col of ext.columns) {
      const actual = attributes.get(col.name);
      if (actual) compareColumn(api, table, col, actual, undefined, changes, conflicts);
      else changes.push(createColumn(api, ext, col));
    }
  }
}

function createColumn(api: MetadataApi, ext: ExtensionSpec, col: ColumnSpec): Change {
  if (col.kind === 'choice' || col.kind === 'choices' || col.kind === 'lookup')
    throw new Error(`${ext.name}.${col.name}: only plain columns can be added to a system table`);
  return {
    action: 'create',
    what: `column ${ext.name}.${col.name}`,
    detail: `${metadataType(col).replace('AttributeMetadata', '').toLowerCase()} on Dynamics' ${ext.name}`,
    publishes: { entity: ext.name },
    apply: () =>
      api.createAttribute(
        ext.name,
        attributeBody(col, () => ''),
      ),
  };
}

/** compareColumn names the table and publishes it; nothing else of a TableSpec is read. */
const asTable = (ext: ExtensionSpec): TableSpec => ({
  name: ext.name,
  entitySet: ext.entitySet,
  label: ext.name,
  pluralLabel: ext.name,
  description: '',
  hasActivities: false,
  primaryName: { name: 'name', label: 'Name', maxLength: 160 },
  columns: ext.columns,
  keys: [],
});
