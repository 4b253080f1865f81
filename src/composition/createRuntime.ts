import { AwaitingNumbers } from '../app/awaitingNumbers';
import { RecentReads, rememberingMasterData } from '../app/recentReads';
import { createExactChangeClient, tableExactChangeLog } from '../adapters/store/exactChangeTable';
import type { ConsentParty } from '../app/consent';
import type { DispatchLine, TenantContext } from '../app/dispatch';
import type { Clock, DispatchQueue } from '../app/ports';
import type { Settings, TenantSettings } from '../config/settings';
import { createDataverseGateway } from '../adapters/dataverse';
import {
  createMemoryStateStore,
  createRateGovernor,
  createTableStateStore,
  OAuthStateError,
  type ExactClient,
  type ExactLog,
  type OAuthStateStore,
  type RateGovernor,
} from '../adapters/exact';
import { createTelemetry, type AppInsightsOptions } from '../adapters/telemetry';
import { createPeppolLookup } from '../adapters/peppol';
import type { Telemetry } from '../app/telemetry';
import { createTableLedger } from '../adapters/store/tableLedger';
import { createTableAudit } from '../adapters/store/auditTable';
import { createTableClient } from '../adapters/store/tables';
import { ServiceBusQueue } from '../adapters/queue/serviceBusQueue';
import { ManagedIdentityCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { TableConnection } from '../adapters/store/tables';
import { verifyLicence } from '../domain';
import type { LicenceCheck } from '../domain/types';
import { consoleSink, createLogger, registerSecret, type Logger } from './log';
import type { Runtime, TenantRuntime } from './runtimeTypes';
import { exactOfTenant } from './exactOfTenant';

export interface RuntimeOverrides {
  /** The connector's clock (decisions, schedules, ledger). */
  clock?: Clock;
  /** Exact's clock for token age and rate windows (the sandbox clock in tests). */
  exactClock?: Clock;
  exactSleep?: (ms: number) => Promise<void>;
  dataverseSleep?: (ms: number) => Promise<void>;
  queue?: DispatchQueue;
  log?: Logger;
  onDispatch?: (line: DispatchLine) => void;
  describe?: () => Record<string, unknown>;
  /** Exporters added to Application Insights' own (the tests' in-memory ones); used only with a connection string. */
  telemetryExporters?: AppInsightsOptions['extra'];
}

export interface BuiltRuntime extends Runtime {
  exactClients: Map<string, ExactClient>;
  dataverseCalls(): number;
  close(): Promise<void>;
}

/** Licence verification is offline and cheap, but runs per dispatch batch: cache a verdict for a minute. */
const LICENCE_CACHE_MS = 60_000;

/**
 * The composition root: one adapter per port, wired once per process from parsed settings.
 * Secrets are registered with the logger before anything can log them.
 */
export async function createRuntime(
  settings: Settings,
  overrides: RuntimeOverrides = {},
): Promise<BuiltRuntime> {
  for (const t of Object.values(settings.Tenants)) {
    [t.ClientSecret, t.WebhookSecret, t.Licence, t.ExactClientSecret, t.ExactWebhookSecret].forEach(
      registerSecret,
    );
  }
  registerSecret(settings.TokenEncryptionKey);
  registerSecret(settings.ServiceBusConnection);
  registerSecret(/AccountKey=([^;]+)/.exec(settings.Storage__ConnectionString)?.[1]);
  registerSecret(/SharedAccessKey=([^;]+)/.exec(settings.ServiceBusConnection ?? '')?.[1]);
  registerSecret(settings.APPLICATIONINSIGHTS_CONNECTION_STRING);

  const log = overrides.log ?? createLogger(consoleSink);
  const clock = overrides.clock ?? { now: () => new Date() };
  const exactClock = overrides.exactClock ?? clock;
  const telemetry = await createTelemetry(settings.APPLICATIONINSIGHTS_CONNECTION_STRING, {
    clock,
    // App Insights has local authentication off in the Bicep: the exporter signs in as the app's identity.
    ...(settings.ManagedIdentityClientId ? { credential: () => credential(settings) } : {}),
    ...(overrides.telemetryExporters ? { extra: overrides.telemetryExporters } : {}),
  });
  const exactLog: ExactLog = (level, message, fields) =>
    log[level === 'debug' ? 'debug' : level](message, fields);
  const storage = tableConnection(settings);
  const ledger = createTableLedger(storage, { clock });
  const exactChanges = tableExactChangeLog(createExactChangeClient(storage));
  // Asked before Peppol is chosen (PRODUCT.md §13); cached in the ledger's storage account.
  const peppol = createPeppolLookup({
    storage,
    clock,
    zone: settings.PeppolZone,
    ...(settings.PeppolDnsServers ? { dnsServers: settings.PeppolDnsServers } : {}),
    ...(settings.PeppolSmpCaPem ? { smpCa: settings.PeppolSmpCaPem } : {}),
  });
  const queue = overrides.queue ?? connectServiceBus(settings);
  const states = createTableStateStore(createTableClient(storage, 'exactoauthstate'));
  const tokenTable = createTableClient(storage, 'exacttokens');
  const governor = createRateGovernor({ clock: exactClock, sleep: overrides.exactSleep });
  const exactClients = new Map<string, ExactClient>();
  const parties: ConsentParty[] = [];
  const dataverse: Array<() => number> = [];

  const tenants: TenantRuntime[] = Object.entries(settings.Tenants).map(([name, ts]) => {
    const dv = createDataverseGateway({
      serverUrl: ts.DataverseUrl,
      authority: ts.Authority,
      tenantId: new URL(ts.Authority).pathname.split('/')[1] ?? '',
      clientId: ts.ClientId,
      clientSecret: ts.ClientSecret,
      extraCaPem: ts.ExtraCaPem,
      language: ts.Language,
      sleep: overrides.dataverseSleep,
      onCall: (call) => telemetry.dependency({ ...call, tenant: name }),
      exactConnection: () => tokens.status(name),
    });
    dataverse.push(() => dv.calls());
    const { tokens, exact, masterData, documents, connection, webhooks } = exactOfTenant(name, ts, {
      settings,
      tokenTable,
      states,
      governor,
      exactClock,
      exactLog,
      telemetry,
      sleep: overrides.exactSleep,
      parties,
    });
    exactClients.set(name, exact);
    const recent = ts.ExactWebhookSecret
      ? new RecentReads({
          tenantId: name,
          log: exactChanges,
          clock,
          invoiceMs: settings.ExactInvoiceReuseMs,
          accountMs: settings.ExactAccountReuseMs,
        })
      : undefined;
    parties.push({
      name,
      administrations: async () =>
        (await dv.directory.administrations()).map((a) => ({
          division: a.division,
          active: a.printInvoices,
        })),
      grantedDivisions: () => tokens.grantedDivisions(name),
      connectionUser: async () => {
        const s = await tokens.status(name);
        return s.state === 'active' ? s.userId : null;
      },
    });
    const context: TenantContext = {
      tenantId: name,
      organizationId: ts.OrganizationId,
      licence: cachedLicence(ts, settings.LicencePublicKey, (days, check, now) => {
        telemetry.metric('licenceDaysLeft', days, { tenant: name });
        void dv.adminNotices.licenceChecked(check, now);
      }),
      language: () => dv.directory.organizationLanguage(),
    };
    return {
      name,
      settings: ts,
      context,
      exact,
      masterData: recent ? rememberingMasterData(masterData, recent, clock) : masterData,
      ...(recent ? { recent } : {}),
      mirror: dv.masterData,
      records: dv.records,
      directory: dv.directory,
      notifier: dv.notifier,
      mail: { documents, dynamics: dv.mail },
      budget: (division) => governor.snapshot({ connectionId: name, division }),
      activateAdministration: (id, from) => dv.activate(id, from),
      connection,
      webhooks,
    };
  });

  return {
    settings,
    tenants,
    ledger,
    peppol,
    queue,
    clock,
    awaiting: new AwaitingNumbers(),
    exactChanges,
    log,
    telemetry,
    audit: createTableAudit(createTableClient(storage, 'operatoraudit')),
    onDispatch: outcomeTo(telemetry, overrides.onDispatch ?? ((line) => log.info(formatLine(line)))),
    describe: overrides.describe,
    exactClients,
    dataverseCalls: () => dataverse.reduce((sum, f) => sum + f(), 0),
    completeExactConnection: (code, state, browserKey) =>
      completeByState(tenants, states, code, state, browserKey),
    close: async () => {
      if (queue instanceof ServiceBusQueue) await queue.close();
      await telemetry.close();
    },
  };
}

async function completeByState(
  tenants: TenantRuntime[],
  states: OAuthStateStore,
  code: string,
  state: string,
  browserKey: string | null,
): Promise<{ tenant: string; divisions: number[] }> {
  // The stored state names the tenant; hand it to that tenant's flow through a one-shot store.
  const pending = await states.take(state);
  if (!pending) throw new OAuthStateError('unknown or already used OAuth state');
  const tenant = tenants.find((t) => t.name === pending.connectionId);
  if (!tenant) throw new OAuthStateError('OAuth state names no configured tenant');
  const once = createMemoryStateStore();
  await once.put(state, pending);
  const { divisions } = await tenant.connection.complete(code, state, browserKey, once);
  return { tenant: tenant.name, divisions };
}

/** Every dispatch outcome is an `InvoiceOutcome` event as well as a line. */
function outcomeTo(
  telemetry: Telemetry,
  onDispatch: (line: DispatchLine) => void,
): (line: DispatchLine) => void {
  return (line) => {
    telemetry.outcome(line);
    onDispatch(line);
  };
}

/** Each fresh verdict of a valid licence also reports the days it has left (`LicenceDaysLeft`). */
function cachedLicence(
  ts: TenantSettings,
  publicKeyPem: string,
  daysLeft: (days: number, check: LicenceCheck, now: Date) => void,
): (now: Date) => Promise<LicenceCheck> {
  let cached: { at: number; check: LicenceCheck } | undefined;
  return async (now) => {
    if (!cached || Math.abs(now.getTime() - cached.at) > LICENCE_CACHE_MS) {
      cached = {
        at: now.getTime(),
        check: await verifyLicence(ts.Licence, publicKeyPem, ts.OrganizationId, now),
      };
      const c = cached.check;
      if (c.ok) daysLeft((c.expiresAt.getTime() - now.getTime()) / 86_400_000, c, now);
    }
    return cached.check;
  };
}

/**
 * In Azure, storage and Service Bus are reached by the app's managed identity (shared keys are off);
 * a connection string (Azurite, or a deliberate choice) still works.
 */
function credential(settings: Settings): TokenCredential {
  const clientId = settings.ManagedIdentityClientId;
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}

function tableConnection(settings: Settings): TableConnection {
  const value = settings.Storage__ConnectionString;
  return /^https:\/\//.test(value) ? { endpoint: value, credential: credential(settings) } : value;
}

function connectServiceBus(settings: Settings): DispatchQueue {
  if (settings.ServiceBusConnection)
    return ServiceBusQueue.connect(settings.ServiceBusConnection, settings.DispatchQueueName);
  return ServiceBusQueue.connect(
    {
      fullyQualifiedNamespace: settings.ServiceBusConnection__fullyQualifiedNamespace!,
      credential: credential(settings),
    },
    settings.DispatchQueueName,
  );
}

export function formatLine(line: DispatchLine): string {
  const channel = line.channel ?? '-';
  return `${line.outcome.padEnd(9)} ${line.invoice.slice(0, 34).padEnd(34)} ${line.relation.slice(0, 26).padEnd(26)} ${channel.padEnd(7)} ${line.reason}`;
}

export type { RateGovernor };
