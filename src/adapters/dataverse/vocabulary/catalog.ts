import { LAYOUT } from './layout';
import { ADMINISTRATION, RELATION, SALES_INVOICE, type TableDef } from './tables';

export { ACCOUNT, EXTENDED_TABLES, LAYOUT, type TableExtensionDef } from './layout';

/**
 * In provisioning order. Tables and their plain columns are created first and lookups after them, so a
 * lookup may point at a table listed later (the administration's default layouts at eol_layout).
 */
export const EOL_TABLES: readonly TableDef[] = [ADMINISTRATION, LAYOUT, RELATION, SALES_INVOICE];
