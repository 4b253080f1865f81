/**
 * One tenant's Exact Online side, wired from its settings: the token store, the gateway the dispatch prints
 * through, the master-data client the mirror and the receiver check read with, and the connection flow
 * (authorize URL, consent judged against every tenant, status).
 */
import { judgeConsent, type ConsentParty } from '../app/consent';
import type { Clock } from '../app/ports';
import type { Telemetry } from '../app/telemetry';
import type { Settings, TenantSettings } from '../config/settings';
import {
  buildAuthorizeUrl,
  completeConnection,
  createExactDocuments,
  createExactGateway,
  createExactMasterData,
  createExactWebhooks,
  createTokenStore,
  exactBaseUrl,
  type ExactClient,
  type ExactLog,
  type OAuthStateStore,
  type RateGovernor,
} from '../adapters/exact';
import type { TableClient } from '@azure/data-tables';
import { registerRotatingSecret } from './log';
import type { ExactConnection } from './runtimeTypes';
import type { ExactMasterData } from '../app/masterData/ports';
import type { ExactDocuments } from '../app/mail/ports';
import type { ExactWebhookSubscriptions } from '../app/exactSubscriptions';
import type { TokenStore } from '../adapters/exact';

/** What every tenant's Exact side shares in one process. */
export interface ExactShared {
  settings: Settings;
  tokenTable: TableClient;
  states: OAuthStateStore;
  governor: RateGovernor;
  exactClock: Clock;
  exactLog: ExactLog;
  telemetry: Telemetry;
  sleep?: (ms: number) => Promise<void>;
  /** Every tenant as the consent rules see it (filled as tenants are built). */
  parties: ConsentParty[];
}

export function exactOfTenant(
  name: string,
  ts: TenantSettings,
  shared: ExactShared,
): {
  tokens: TokenStore;
  exact: ExactClient;
  masterData: ExactMasterData;
  /** The PDFs Exact made, for the Dynamics 365 email route (issue 15). */
  documents: ExactDocuments;
  connection: ExactConnection;
  /** Exact's webhook subscriptions (decision 0127). */
  webhooks: ExactWebhookSubscriptions;
} {
  const { exactClock, states, parties } = shared;
  const client = { clientId: ts.ExactClientId, clientSecret: ts.ExactClientSecret };
  const tokens = createTokenStore({
    table: shared.tokenTable,
    encryptionKey: shared.settings.TokenEncryptionKey,
    client,
    clock: exactClock,
    log: shared.exactLog,
    onSecret: registerRotatingSecret,
  });
  const connectionOptions = {
    baseUrl: exactBaseUrl({ region: ts.ExactRegion, baseUrl: ts.ExactBaseUrl }),
    connectionId: name,
    tokens,
    governor: shared.governor,
    clock: exactClock,
    sleep: shared.sleep,
    log: shared.exactLog,
    telemetry: shared.telemetry,
  };
  const connection: ExactConnection = {
    authorizeUrl: async () =>
      buildAuthorizeUrl({
        region: ts.ExactRegion,
        baseUrl: ts.ExactBaseUrl,
        clientId: ts.ExactClientId,
        redirectUri: ts.ExactRedirectUri,
        connectionId: name,
        states,
        clock: exactClock,
      }),
    complete: async (code, state, browserKey, from) => {
      const judge = (granted: number[], userId: string | null) =>
        judgeConsent(
          parties.find((p) => p.name === name)!,
          parties,
          granted,
          userId,
        );
      const info = await completeConnection({
        state,
        code,
        browserKey,
        judge,
        client,
        states: from ?? states,
        tokens,
        clock: exactClock,
      });
      return { divisions: info.divisions.map((d) => d.code), user: info.userName ?? info.fullName ?? '' };
    },
    isConnected: async () => (await tokens.status(name)).state === 'active',
  };
  return {
    tokens,
    exact: createExactGateway(connectionOptions),
    masterData: createExactMasterData(connectionOptions),
    documents: createExactDocuments(connectionOptions),
    webhooks: createExactWebhooks(connectionOptions),
    connection,
  };
}
