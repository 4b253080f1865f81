import { createHash, timingSafeEqual } from 'node:crypto';
import type { Settings, TenantSettings } from '../config/settings';
import type { DispatchDeps, DispatchLine, TenantContext } from '../app/dispatch';
import type { SweepDeps } from '../app/sweep';
import type { AwaitingNumbers } from '../app/awaitingNumbers';
import type { Clock, DispatchQueue, ExactGateway, InvoiceRecords, Ledger, Notifier, TenantDirectory } from '../app/ports';
import type { Logger } from './log';
import type { OAuthStateStore } from '../adapters/exact';

/**
 * The composition root's product: every adapter wired once per process, handed to the functions.
 * Functions import this and the use cases; nothing else reads configuration.
 */
export interface TenantRuntime {
  name: string;
  settings: TenantSettings;
  context: TenantContext;
  exact: ExactGateway;
  records: InvoiceRecords;
  directory: TenantDirectory;
  notifier: Notifier;
  /** Exact connection lifecycle (connect / callback). */
  connection: ExactConnection;
}

export interface ExactConnection {
  /**
   * URL to send the Exact user to; `state` is single-use and bound to this tenant, and to the browser
   * that holds `browserKey` (the callback must bring it back, as a cookie).
   */
  authorizeUrl(): Promise<{ url: string; browserKey: string }>;
  /** Completes the OAuth flow (state taken from `states`, default the shared store); returns the divisions the user can reach. */
  complete(code: string, state: string, browserKey: string | null, states?: OAuthStateStore): Promise<{ divisions: number[]; user: string }>;
  isConnected(): Promise<boolean>;
}

export interface Runtime {
  settings: Settings;
  tenants: TenantRuntime[];
  ledger: Ledger;
  queue: DispatchQueue;
  clock: Clock;
  /** This instance's prints awaiting their invoice number (see AwaitingNumbers). */
  awaiting: AwaitingNumbers;
  log: Logger;
  /** Called for every dispatch outcome (local console lines, counters). */
  onDispatch(line: DispatchLine): void;
  /** Local extras for GET /api/status. */
  describe?(): Record<string, unknown>;
  /** Completes an Exact OAuth callback: the stored, single-use state names the tenant. */
  completeExactConnection(code: string, state: string, browserKey: string | null): Promise<{ tenant: string; divisions: number[] }>;
}

export function dispatchDeps(rt: Runtime, t: TenantRuntime): DispatchDeps {
  return {
    tenant: t.context,
    exact: t.exact,
    records: t.records,
    notifier: t.notifier,
    ledger: rt.ledger,
    queue: rt.queue,
    clock: rt.clock,
    leaseMs: rt.settings.DispatchLeaseMs,
    awaiting: rt.awaiting,
    log: (line) => rt.onDispatch(line),
  };
}

export function sweepDeps(rt: Runtime, t: TenantRuntime): SweepDeps {
  return { tenant: t.context, exact: t.exact, records: t.records, directory: t.directory, ledger: rt.ledger, queue: rt.queue, clock: rt.clock };
}

export function tenantById(rt: Runtime, tenantId: string): TenantRuntime | undefined {
  return rt.tenants.find((t) => t.name === tenantId);
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Finds the tenant whose webhook secret matches, comparing every candidate in constant time
 * (digests make the lengths equal; no early exit reveals which tenant matched).
 */
export function tenantByWebhookKey(rt: Runtime, key: string | null | undefined): TenantRuntime | undefined {
  if (!key) return undefined;
  const given = digest(key);
  let found: TenantRuntime | undefined;
  for (const t of rt.tenants) {
    if (timingSafeEqual(given, digest(t.settings.WebhookSecret)) && !found) found = t;
  }
  return found;
}

let current: Promise<Runtime> | undefined;
let factory: (() => Promise<Runtime>) | undefined;

/** The local host (and tests) install their runtime; in Azure the first call builds it from app settings. */
export function setRuntime(rt: Runtime | Promise<Runtime>): void {
  current = Promise.resolve(rt);
}

export function setRuntimeFactory(f: () => Promise<Runtime>): void {
  factory = f;
}

/**
 * In Azure nothing installs a runtime: the first invocation parses the app settings (the only read of
 * process.env) and builds it. A bad setting fails every invocation with the setting's name.
 */
export function getRuntime(): Promise<Runtime> {
  if (!current) {
    current = factory
      ? factory()
      : import('./createRuntime').then(async ({ createRuntime }) => {
          const { parseSettings } = await import('../config/settings');
          return createRuntime(parseSettings(process.env));
        });
  }
  return current;
}

export function clearRuntime(): void {
  current = undefined;
}
