/**
 * The in-process half of local mode, shared by the demo stack and the configured one: the in-process queue
 * feeding the real dispatch worker, and a runtime built by the same composition root as in Azure.
 */
import axios from 'axios';
import type { Clock } from '../app/ports';
import type { DispatchLine } from '../app/dispatch';
import { DISPATCH_BATCH_MAX, InProcessQueue } from '../adapters/queue/inProcessQueue';
import { DISPATCH_MAX_DELIVERY_COUNT } from '../config/queueLimits';
import type { Timers } from '../adapters/queue/clock';
import type { Settings } from '../config/settings';
import { createRuntime, type BuiltRuntime } from '../composition/createRuntime';
import { masterDataPorts, setRuntime, subscribeDeps } from '../composition/runtime';
import { afterConnect, type Connected } from '../app/connected';
import type { Logger } from '../composition/log';
import { dispatchReceived } from '../../functions/dispatchWorker';

export interface WireOptions {
  clock?: Clock;
  timers?: Timers;
  exactClock?: Clock;
  log?: Logger;
  onDispatch?: (line: DispatchLine) => void;
  dataverseSleep?: (ms: number) => Promise<void>;
  exactSleep?: (ms: number) => Promise<void>;
  /** Sessions dispatched at once (one Functions instance: host.json maxConcurrentSessions, 8). */
  maxConcurrentSessions?: number;
}

export async function wireRuntime(
  settings: Settings,
  options: WireOptions,
  describe: (queue: InProcessQueue) => Record<string, unknown>,
): Promise<{ runtime: BuiltRuntime; queue: InProcessQueue }> {
  const queue = new InProcessQueue({
    clock: options.clock,
    timers: options.timers,
    maxDeliveryCount: DISPATCH_MAX_DELIVERY_COUNT,
  });
  try {
    const runtime = await createRuntime(settings, {
      clock: options.clock,
      exactClock: options.exactClock,
      queue,
      log: options.log,
      onDispatch: options.onDispatch,
      dataverseSleep: options.dataverseSleep,
      exactSleep: options.exactSleep,
      describe: () => describe(queue),
    });
    setRuntime(runtime);
    // As the Functions host with `cardinality: 'many'`: a session's ready messages in one delivery, but
    // each settled by its own result (decision 0100).
    queue.processBatch(
      (batch) =>
        dispatchReceived(
          batch.map(({ body, ctx }) => ({
            body,
            messageId: ctx.messageId,
            deliveryCount: ctx.deliveryCount,
          })),
          (line) => runtime.log.error(line),
        ),
      { maxBatch: DISPATCH_BATCH_MAX, maxConcurrentSessions: options.maxConcurrentSessions },
    );
    queue.onDeadLetter((dl) =>
      runtime.log.warn(`dead-lettered ${dl.messageId}: ${dl.reason}: ${dl.description}`),
    );
    return { runtime, queue };
  } catch (err) {
    await queue.close();
    throw err;
  }
}

/**
 * The real OAuth code flow against an Exact sandbox, whose consent page answers at once for `sandboxUser`,
 * followed by what the connect callback does next (the master-data sync, resumed invoices).
 */
export async function connectBySandboxConsent(
  runtime: BuiltRuntime,
  tenantName: string,
  sandboxUser?: string,
  /** Why the master data must not be synced from this Exact (a sandbox Exact before a real Dataverse). */
  skipSync?: string,
): Promise<Connected> {
  const tenant = runtime.tenants.find((x) => x.name === tenantName);
  if (!tenant) throw new Error(`no tenant ${tenantName}`);
  const user = sandboxUser ? `&sandbox_user=${sandboxUser}` : '';
  const { url, browserKey } = await tenant.connection.authorizeUrl();
  const consent = await axios.get(`${url}${user}`, { maxRedirects: 0, validateStatus: (s) => s === 302 });
  const back = new URL(String(consent.headers.location));
  await runtime.completeExactConnection(
    back.searchParams.get('code') ?? '',
    back.searchParams.get('state') ?? '',
    browserKey,
  );
  return afterConnect(
    skipSync ? { skip: skipSync } : masterDataPorts(tenant),
    {
      tenant: tenant.context,
      directory: tenant.directory,
      ledger: runtime.ledger,
      queue: runtime.queue,
      clock: runtime.clock,
    },
    subscribeDeps(runtime, tenant),
  );
}
