/** Public surface of the Exact Online adapter (the integrator imports from here). */
export * from './errors';
export { createExactGateway, printBody, chunkIds, invoiceFilter, CHANNEL_ERROR_FIELD } from './exactClient';
export type { ExactClient, ExactGatewayOptions } from './exactClient';
export type { ExactConnectionOptions } from './context';
export { createExactMasterData, accountBody } from './masterData';
export { createExactWebhooks, ExactWebhookScopeError, WEBHOOKS_SCOPE } from './webhooks';
export { createExactDocuments, ExactScopeMissingError, DOCUMENTS_SCOPE } from './documents';
export type { ExactDocumentsClient } from './documents';
export type { ExactMasterDataClient, ExactMasterDataOptions } from './masterData';
export { peppolIdOf, peppolFields, PEPPOL_SCHEME_OF_TYPE } from './peppol';
export type { ExactCallStats } from './request';
export { createRateGovernor } from './rateGovernor';
export type { RateGovernor, GovernorKey, GovernorOptions, BudgetSnapshot, Permit } from './rateGovernor';
export { createTokenStore, needsRefresh } from './tokenStore';
export type { TokenStore, TokenStoreOptions, ExactTokenProvider, ConnectionStatus } from './tokenStore';
export {
  buildAuthorizeUrl,
  completeConnection,
  exactBaseUrl,
  ConsentRefusedError,
  OAuthCodeError,
  OAuthStateError,
  EXACT_REGIONS,
} from './oauth';
export type { ExactRegion, OAuthClient, ConnectionInfo, AuthorizeRequest, CompleteRequest } from './oauth';
export { createTableStateStore, createMemoryStateStore } from './oauthState';
export type { OAuthStateStore, PendingState } from './oauthState';
export { ExactLeaseBusyError } from './lease';
export type { ExactLog, ExactLogLevel } from './log';
