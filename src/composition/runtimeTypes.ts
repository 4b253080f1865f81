import type { TenantSettings, Settings } from '../config/settings';
import type { DispatchLine, TenantContext } from '../app/dispatch';
import type { AwaitingNumbers } from '../app/awaitingNumbers';
import type { RecentReads } from '../app/recentReads';
import type { ExactChangeTable } from '../adapters/store/exactChangeTable';
import type {
  Clock,
  DispatchQueue,
  ExactGateway,
  InvoiceRecords,
  Ledger,
  Notifier,
  TenantDirectory,
} from '../app/ports';
import type { Telemetry } from '../app/telemetry';
import type { ExactMasterData } from '../app/masterData/ports';
import type { MasterDataRecords } from '../app/masterData/records';
import type { PeppolReceivers } from '../app/peppol/ports';
import type { DynamicsMail, ExactDocuments } from '../app/mail/ports';
import type { AuditLog } from '../app/operator/ports';
import type { ExactWebhookSubscriptions } from '../app/exactSubscriptions';
import type { Logger } from './log';
import type { BudgetSnapshot, OAuthStateStore } from '../adapters/exact';

/**
 * The composition root's product: every adapter wired once per process, handed to the functions.
 * Functions import this and the use cases; nothing else reads configuration.
 */
export interface TenantRuntime {
  name: string;
  settings: TenantSettings;
  context: TenantContext;
  exact: ExactGateway;
  /** Exact's divisions, layouts, accounts and contacts (the master-data mirror; the pre-print receiver read). */
  masterData: ExactMasterData;
  /** The Dataverse side of the mirror (administrations, layouts, relations as synced). */
  mirror: MasterDataRecords;
  records: InvoiceRecords;
  directory: TenantDirectory;
  notifier: Notifier;
  /** Email from Dynamics 365 (issue 15): Exact's printed documents and Dataverse's email activities. */
  mail: { documents: ExactDocuments; dynamics: DynamicsMail };
  /** Exact connection lifecycle (connect / callback). */
  connection: ExactConnection;
  /** Exact's webhook subscriptions of this tenant's connection (decision 0127). */
  webhooks: ExactWebhookSubscriptions;
  /** Exact's recent answers, reused while its webhooks say nothing changed; absent without webhooks (0155). */
  recent?: RecentReads;
  /** This process's view of a division's remaining Exact budget (the operator's ETA). */
  budget(division: number): BudgetSnapshot;
  /** Switches an administration on with a backlog date (the operator's activate). */
  activateAdministration(administrationId: string, activeFrom: string): Promise<void>;
}

export interface ExactConnection {
  /**
   * URL to send the Exact user to; `state` is single-use and bound to this tenant, and to the browser
   * that holds `browserKey` (the callback must bring it back, as a cookie).
   */
  authorizeUrl(): Promise<{ url: string; browserKey: string }>;
  /** Completes the OAuth flow (state taken from `states`, default the shared store); returns the divisions the user can reach. */
  complete(
    code: string,
    state: string,
    browserKey: string | null,
    states?: OAuthStateStore,
  ): Promise<{ divisions: number[]; user: string }>;
  isConnected(): Promise<boolean>;
}

export interface Runtime {
  settings: Settings;
  tenants: TenantRuntime[];
  ledger: Ledger;
  /** The Peppol receiver lookup (SML, SMP, cache). */
  peppol: PeppolReceivers;
  queue: DispatchQueue;
  clock: Clock;
  /** This instance's prints awaiting their invoice number (see AwaitingNumbers). */
  awaiting: AwaitingNumbers;
  /** The Exact webhooks every instance answered (decision 0155). */
  exactChanges: ExactChangeTable;
  log: Logger;
  /** Application Insights, or the no-op port without a connection string (decision 0063). */
  telemetry: Telemetry;
  /** Who did what in the operator's console and CLI, when (issue 18). */
  audit: AuditLog;
  /** Called for every dispatch outcome (local console lines, counters). */
  onDispatch(line: DispatchLine): void;
  /** Local extras for GET /api/status. */
  describe?(): Record<string, unknown>;
  /** Completes an Exact OAuth callback: the stored, single-use state names the tenant. */
  completeExactConnection(
    code: string,
    state: string,
    browserKey: string | null,
  ): Promise<{ tenant: string; divisions: number[] }>;
}
