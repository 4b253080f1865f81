/** The master-data mirror (PRODUCT.md §11, issue 14): Exact → Dataverse, and Dynamics edits → Exact. */
export { syncAdministrations, type AdministrationsSynced } from './syncAdministrations';
export { syncLayouts, type LayoutsSynced } from './syncLayouts';
export { syncRelations, type RelationsSynced } from './syncRelations';
export { syncTenant, type SyncSummary } from './syncTenant';
export { writeBackRelation, type RelationWrittenBack } from './writeBackRelation';
export { summaryLines } from './summaryText';
export type { MasterDataPorts } from './types';
export type * from './records';
