import {
  attributeBody,
  entityBody,
  globalOptionSetBody,
  keyBody,
  relationshipBody,
} from '../../src/adapters/dataverse/provisioning/bodies';
import { EXTENSIONS, GLOBAL_OPTION_SETS, TABLES } from '../../src/adapters/dataverse/provisioning/schema';
import type { MetadataSandbox } from './metadata';

/**
 * Installs the AutoInvoice solution's metadata: the very bodies `npm run dataverse -- provision` sends
 * (choices, tables, columns, relationships, keys, in its order), handled by the metadata endpoints.
 * So the data API enforces exactly what provisioning creates, no more.
 */
export function installSolution(metadata: MetadataSandbox): void {
  const post = (path: string, body: Record<string, unknown>): string => {
    const res = metadata.handle({ method: 'POST', path, query: {}, headers: {}, body });
    const id = /\(([0-9a-f-]{36})\)$/i.exec(res?.headers['OData-EntityId'] ?? '')?.[1];
    if (!res || res.status >= 400 || !id)
      throw new Error(`sandbox: installing the solution failed at POST ${path}`);
    return id;
  };
  const globalIds = new Map<string, string>();
  for (const set of GLOBAL_OPTION_SETS)
    globalIds.set(set.name, post('GlobalOptionSetDefinitions', globalOptionSetBody(set)));
  const globalId = (name: string): string => globalIds.get(name) ?? '';
  for (const table of TABLES) {
    post('EntityDefinitions', entityBody(table));
    for (const col of table.columns.filter((c) => c.kind !== 'lookup'))
      post(`EntityDefinitions(LogicalName='${table.name}')/Attributes`, attributeBody(col, globalId));
  }
  for (const ext of EXTENSIONS)
    for (const col of ext.columns)
      post(`EntityDefinitions(LogicalName='${ext.name}')/Attributes`, attributeBody(col, globalId));
  for (const table of TABLES)
    for (const col of table.columns)
      if (col.kind === 'lookup') post('RelationshipDefinitions', relationshipBody(table, col));
  for (const table of TABLES)
    for (const key of table.keys) post(`EntityDefinitions(LogicalName='${table.name}')/Keys`, keyBody(key));
}
