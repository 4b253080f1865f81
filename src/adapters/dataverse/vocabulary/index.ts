/**
 * The one home of the Dataverse vocabulary (PRODUCT.md §2): `eol_` tables, columns, option sets.
 * Provisioning derives its specs from it; the gateway's selects, row schemas and writes are built on it.
 */
export { MAX_WHOLE_NUMBER, USER_OWNED, type ColumnDef, type OptionSpec } from './columns';
export { ADMINISTRATION, OPTION_SETS, RELATION, SALES_INVOICE, type KeySpec, type TableDef } from './tables';
export {
  ACCOUNT,
  CONTACT,
  EOL_TABLES,
  EXTENDED_TABLES,
  LAYOUT,
  LOOKUP_TARGET_SETS,
  type TableExtensionDef,
} from './catalog';
export {
  bindOf,
  expandOf,
  rowShape,
  selectOf,
  wireName,
  type ColumnName,
  type Lookups,
  type RowShape,
  type RowWrite,
  type WireName,
  type Writable,
} from './wire';
