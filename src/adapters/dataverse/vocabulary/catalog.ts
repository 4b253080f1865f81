import { EXTENDED_TABLES, LAYOUT } from './layout';
import { ADMINISTRATION, RELATION, SALES_INVOICE, type TableDef } from './tables';

export { ACCOUNT, CONTACT, EXTENDED_TABLES, LAYOUT, type TableExtensionDef } from './layout';

/**
 * In provisioning order. Tables and their plain columns are created first and lookups after them, so a
 * lookup may point at a table listed later (the administration's default layouts at eol_layout).
 */
export const EOL_TABLES: readonly TableDef[] = [ADMINISTRATION, LAYOUT, RELATION, SALES_INVOICE];

/**
 * The entity set of every table a lookup of the vocabulary points at, for `@odata.bind`: the `eol_` tables,
 * the extended system tables, and the system tables only pointed at (PRODUCT.md §12: the administration's
 * template and mailbox, the invoice's email activity; their sets per the Web API entity reference).
 */
export const LOOKUP_TARGET_SETS: Readonly<Record<string, string>> = {
  ...Object.fromEntries([...EOL_TABLES, ...EXTENDED_TABLES].map((t) => [t.name, t.entitySet])),
  email: 'emails',
  template: 'templates',
  queue: 'queues',
};
