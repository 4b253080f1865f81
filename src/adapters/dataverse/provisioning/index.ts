export { planSchema } from './provision';
export {
  planWebhookRegistration,
  planWebhookRemoval,
  checkWebhookUrl,
  secretFingerprint,
  authValue,
  WEBHOOK_NAME,
  WEBHOOK_HEADER,
  type WebhookConfig,
} from './webhook';
export { applyPlan, describeChange, type Change, type Conflict, type Plan, type PlanOutcome } from './plan';
export { MetadataApi } from './metadataApi';
export {
  TABLES,
  GLOBAL_OPTION_SETS,
  type TableSpec,
  type ColumnSpec,
  type GlobalOptionSetSpec,
} from './schema';
