import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MasterDataPorts } from '../app/masterData';
import type { DispatchDeps } from '../app/dispatch';
import type { SweepDeps } from '../app/sweep';
import type { SubscribeDeps } from '../app/exactSubscriptions';
import type { WorkerDeps } from '../app/worker';
import { DISPATCH_MAX_DELIVERY_COUNT } from '../config/queueLimits';
import type { Runtime, TenantRuntime } from './runtimeTypes';

export type { ExactConnection, Runtime, TenantRuntime } from './runtimeTypes';

/**
 * Hands the composition root's product (runtimeTypes.ts) to the functions: the installed or lazily built
 * runtime, and the per-use-case dependencies cut from it. Functions import this and the use cases.
 */
export function dispatchDeps(rt: Runtime, t: TenantRuntime): DispatchDeps {
  return {
    tenant: t.context,
    exact: t.exact,
    masterData: t.masterData,
    mirror: t.mirror,
    records: t.records,
    notifier: t.notifier,
    ledger: rt.ledger,
    peppol: rt.peppol,
    mail: t.mail,
    queue: rt.queue,
    clock: rt.clock,
    leaseMs: rt.settings.DispatchLeaseMs,
    awaiting: rt.awaiting,
    ...(t.recent ? { recent: t.recent } : {}),
    log: (line) => rt.onDispatch(line),
  };
}

/** The master-data sync's ports for one tenant (Exact's master data, the Dataverse mirror). */
export function masterDataPorts(t: TenantRuntime): MasterDataPorts {
  return { exact: t.masterData, records: t.mirror, newId: randomUUID };
}

/**
 * The subscribe step after a connect (decision 0127): the callback on the redirect URI's origin (Exact wants the
 * same domain), naming the tenant; null without the tenant's ExactWebhookSecret (no webhooks, the sweep only).
 */
export function subscribeDeps(rt: Runtime, t: TenantRuntime): SubscribeDeps | null {
  if (!t.settings.ExactWebhookSecret) return null;
  const origin = new URL(t.settings.ExactRedirectUri).origin;
  return {
    webhooks: t.webhooks,
    directory: t.directory,
    callbackUrl: `${origin}/api/exact/webhook?tenant=${encodeURIComponent(t.name)}`,
    changes: { log: rt.exactChanges, tenantId: t.name, clock: rt.clock },
    warn: (line) => rt.log.warn(line),
  };
}

export function sweepDeps(rt: Runtime, t: TenantRuntime): SweepDeps {
  return {
    tenant: t.context,
    exact: t.exact,
    records: t.records,
    directory: t.directory,
    ledger: rt.ledger,
    queue: rt.queue,
    clock: rt.clock,
  };
}

export function workerDeps(rt: Runtime, t: TenantRuntime): WorkerDeps {
  return {
    dispatch: dispatchDeps(rt, t),
    sweep: sweepDeps(rt, t),
    maxDeliveryCount: DISPATCH_MAX_DELIVERY_COUNT,
    info: (line) => rt.log.info(line),
    warn: (line) => rt.log.warn(line),
    error: (line) => rt.log.error(line),
  };
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

/** The local host (and tests) install their runtime; in Azure the first call builds it from app settings. */
export function setRuntime(rt: Runtime | Promise<Runtime>): void {
  current = Promise.resolve(rt);
}

/**
 * In Azure nothing installs a runtime: the first invocation parses the app settings (the only read of
 * process.env) and builds it. A bad setting fails every invocation with the setting's name.
 */
export function getRuntime(): Promise<Runtime> {
  if (!current) {
    current = import('./createRuntime').then(async ({ createRuntime }) => {
      const { parseSettings } = await import('../config/settings');
      return createRuntime(parseSettings(process.env));
    });
  }
  return current;
}
