/**
 * Process crashes, injected where they hurt: between any two port calls of a dispatch or a sweep.
 * Each delivery runs in an AsyncLocalStorage "life" on one worker. A crash plan names the n-th port call
 * of that delivery and whether the process dies just before it (nothing happened) or just after it
 * (it happened, nobody learnt the answer). A crash kills the whole worker: every other delivery in flight on
 * it fails at its next port call, as a real process exit would, and the worker comes back with a fresh
 * runtime (empty token cache, unknown rate budget). Nothing the dying process does after the crash reaches
 * a port, even code that swallows errors.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BuiltRuntime } from '../../src/composition/createRuntime';

export class CrashError extends Error {
  constructor(point: string) {
    super(`simulated process crash (${point})`);
    this.name = 'CrashError';
  }
}

export interface Worker {
  id: number;
  rt: BuiltRuntime;
  generation: number;
  restarting: boolean;
}

export interface CrashPlan {
  atCall: number;
  when: 'before' | 'after';
  /** Count only calls of these `port.method`s (e.g. the email steps); absent: every port call. */
  only?: ReadonlySet<string>;
}

interface Life {
  worker: Worker;
  generation: number;
  plan: CrashPlan | null;
  calls: number;
}

export interface CrashStats {
  crashes: number;
  byPoint: Record<string, number>;
  killedInFlight: number;
}

const life = new AsyncLocalStorage<Life>();

export function runInLife<T>(worker: Worker, plan: CrashPlan | null, fn: () => Promise<T>): Promise<T> {
  return life.run({ worker, generation: worker.generation, plan, calls: 0 }, fn);
}

export function createCrasher(onCrash: (w: Worker) => void) {
  const stats: CrashStats = { crashes: 0, byPoint: {}, killedInFlight: 0 };
  const die = (l: Life, point: string): never => {
    stats.crashes++;
    stats.byPoint[point] = (stats.byPoint[point] ?? 0) + 1;
    l.worker.generation++;
    l.generation = -1;
    onCrash(l.worker);
    throw new CrashError(point);
  };
  const alive = (l: Life, port: string) => {
    if (l.generation !== l.worker.generation) {
      if (l.generation !== -1) stats.killedInFlight++;
      l.generation = -1;
      throw new CrashError(`${port}: worker ${l.worker.id} died`);
    }
  };

  /** Wraps every async method of a port; async iterables (Exact's listing) only check the worker is alive. */
  function wrap<T extends object>(target: T, port: string): T {
    return new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const fn = value as (...a: unknown[]) => unknown;
        if (['listOpenInvoices', 'stats', 'calls'].includes(prop)) {
          return (...args: unknown[]) => {
            const l = life.getStore();
            if (l) alive(l, port);
            return fn.apply(obj, args);
          };
        }
        return async (...args: unknown[]) => {
          const l = life.getStore();
          if (!l) return fn.apply(obj, args);
          alive(l, `${port}.${prop}`);
          const counted = !l.plan?.only || l.plan.only.has(`${port}.${prop}`);
          const n = counted ? ++l.calls : -1;
          if (l.plan?.atCall === n && l.plan.when === 'before') die(l, `before ${port}.${prop}`);
          const result = await fn.apply(obj, args);
          alive(l, `${port}.${prop}`);
          if (l.plan?.atCall === n && l.plan.when === 'after') die(l, `after ${port}.${prop}`);
          return result;
        };
      },
    });
  }

  /** Puts every port of a runtime behind the crash wrapper (ledger, and per tenant Exact, records, directory, notifier, mail). */
  function instrument(rt: BuiltRuntime): BuiltRuntime {
    rt.ledger = wrap(rt.ledger, 'ledger');
    for (const t of rt.tenants) {
      t.exact = wrap(t.exact, 'exact');
      t.records = wrap(t.records, 'records');
      t.directory = wrap(t.directory, 'directory');
      t.notifier = wrap(t.notifier, 'notifier');
      // The Dynamics route (issue 15): Exact's document fetch and every email step (createDraft, attach,
      // send, states), so a crash falls between them, and after one Dataverse did but nobody heard of.
      t.mail = { documents: wrap(t.mail.documents, 'documents'), dynamics: wrap(t.mail.dynamics, 'mail') };
    }
    return rt;
  }

  return { stats, instrument };
}
