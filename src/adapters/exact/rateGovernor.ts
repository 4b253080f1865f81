/**
 * Paces calls per (connection, division) from Exact's own rate-limit headers, so steady state causes no 429.
 * Admissions are serialised per key (FIFO), so any number of concurrent callers in one process share the
 * budget. Instances do NOT share it: with several instances, Exact's 429 (and this governor's wait until the
 * announced reset) is the backstop; the dispatch queue's sessions (tenant:administration) keep one consumer per
 * division in practice.
 */
import type { Clock } from '../../app/ports';
import { ExactDailyBudgetError, ExactEndpointPausedError, header, type Headers } from './errors';

export interface GovernorKey {
  connectionId: string;
  division: number;
}

export interface Permit {
  /**
   * Report the answer (status null = no answer; `sent: false` = the request never left, e.g. no token).
   * Exactly once per permit; later calls are ignored.
   */
  release(answer: { status: number | null; headers?: Headers; sent?: boolean }): void;
}

export interface RateGovernor {
  /** Waits until the call may go; throws ExactDailyBudgetError or ExactEndpointPausedError. */
  acquire(key: GovernorKey, endpoint: string): Promise<Permit>;
  snapshot(key: GovernorKey): BudgetSnapshot;
}

export interface BudgetSnapshot {
  minutely: { limit: number; remaining: number; resetAt: number | null };
  daily: { limit: number; remaining: number; resetAt: number | null };
  inFlight: number;
  waits: number;
}

export interface GovernorOptions {
  clock?: Clock;
  /** Real timers by default; tests pass one that advances the sandbox clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Added after a reset: Exact's minute and ours are not the same clock (picqer/exact-php-client#521). */
  marginMs?: number;
  /** Budgets assumed before the first answer carries headers. */
  defaults?: { minutely: number; daily: number };
  /** Exact blocks an endpoint for an hour at 10 counted errors (400/401/403/404) an hour; stop before. */
  errorThreshold?: number;
  errorWindowMs?: number;
}

interface Window {
  limit: number;
  remaining: number;
  resetAt: number | null;
}
interface KeyState {
  minutely: Window;
  daily: Window;
  inFlight: number;
  waits: number;
  errors: Map<string, number[]>;
  admission: Promise<void>;
  changed: (() => void)[];
}

const COUNTED_ERRORS = new Set([400, 401, 403, 404]);

export function createRateGovernor(opts: GovernorOptions = {}): RateGovernor {
  const now = (): number => (opts.clock?.now() ?? new Date()).getTime();
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const margin = opts.marginMs ?? 1000;
  const threshold = opts.errorThreshold ?? 8;
  const errorWindow = opts.errorWindowMs ?? 3_600_000;
  const states = new Map<string, KeyState>();

  const stateOf = (key: GovernorKey): KeyState => {
    const id = `${key.connectionId}|${key.division}`;
    let s = states.get(id);
    if (!s) {
      const m = opts.defaults?.minutely ?? 60;
      const d = opts.defaults?.daily ?? 5000;
      s = {
        minutely: { limit: m, remaining: m, resetAt: null },
        daily: { limit: d, remaining: d, resetAt: null },
        inFlight: 0,
        waits: 0,
        errors: new Map(),
        admission: Promise.resolve(),
        changed: [],
      };
      states.set(id, s);
    }
    return s;
  };

  const nextChange = (s: KeyState): Promise<void> => new Promise((r) => s.changed.push(r));

  async function admit(s: KeyState, endpoint: string): Promise<void> {
    for (;;) {
      const t = now();
      roll(s.minutely, t);
      roll(s.daily, t);
      const errors = (s.errors.get(endpoint) ?? []).filter((at) => at > t - errorWindow);
      s.errors.set(endpoint, errors);
      if (errors.length >= threshold)
        throw new ExactEndpointPausedError(endpoint, errors[0]! + errorWindow - t);
      if (s.daily.remaining - s.inFlight <= 0) {
        if (s.inFlight > 0) {
          await nextChange(s);
          continue;
        }
        // Unknown reset (no header seen): Exact's day is assumed to turn at 00:00 UTC.
        s.daily.resetAt ??= nextUtcMidnight(t);
        throw new ExactDailyBudgetError(new Date(s.daily.resetAt), new Date(t));
      }
      if (s.minutely.remaining - s.inFlight > 0) {
        s.inFlight++;
        return;
      }
      if (s.inFlight > 0) {
        // Answers in flight will tell the true remaining budget; waiting for them beats guessing.
        await nextChange(s);
        continue;
      }
      s.waits++;
      // Unknown reset (answers without headers): a minute from now, so the window does roll over.
      s.minutely.resetAt ??= t + 60_000;
      await sleep(Math.max(0, s.minutely.resetAt - t) + margin);
    }
  }

  function learn(s: KeyState, endpoint: string, status: number | null, headers: Headers): void {
    const minutely = readWindow(headers, 'x-ratelimit-minutely-');
    const daily = readWindow(headers, 'x-ratelimit-');
    if (minutely) apply(s.minutely, minutely);
    if (daily) apply(s.daily, daily);
    if (status === 429) {
      const errorBlock = !minutely && !daily;
      // A minutely 429 carries only the minutely headers (the daily ones read 0): trust what is there.
      // The error-limit block (no budget headers) concerns one endpoint, not the division's budget.
      if (errorBlock) return;
      if (minutely || !daily) {
        s.minutely.remaining = 0;
        s.minutely.resetAt = minutely?.resetAt ?? s.minutely.resetAt ?? now() + 60_000;
      } else if (daily.remaining <= 0) {
        s.daily.remaining = 0;
      }
    } else if (!minutely) {
      // No headers (no answer, or a stack that drops them): assume the call counted.
      s.minutely.remaining = Math.max(0, s.minutely.remaining - 1);
      if (!daily) s.daily.remaining = Math.max(0, s.daily.remaining - 1);
    }
    if (status !== null && COUNTED_ERRORS.has(status)) {
      const list = s.errors.get(endpoint) ?? [];
      list.push(now());
      s.errors.set(endpoint, list);
    }
  }

  return {
    async acquire(key, endpoint) {
      const s = stateOf(key);
      const previous = s.admission;
      let done!: () => void;
      s.admission = new Promise<void>((r) => (done = r));
      await previous;
      try {
        await admit(s, endpoint);
      } finally {
        done();
      }
      let released = false;
      return {
        release(answer) {
          if (released) return;
          released = true;
          s.inFlight--;
          if (answer.sent !== false) learn(s, endpoint, answer.status, answer.headers ?? {});
          for (const wake of s.changed.splice(0)) wake();
        },
      };
    },
    snapshot(key) {
      const s = stateOf(key);
      return { minutely: { ...s.minutely }, daily: { ...s.daily }, inFlight: s.inFlight, waits: s.waits };
    },
  };
}

function roll(w: Window, t: number): void {
  if (w.resetAt !== null && t >= w.resetAt) {
    w.remaining = w.limit;
    w.resetAt = null;
  }
}

function readWindow(headers: Headers, prefix: string): Window | null {
  const limit = Number(header(headers, `${prefix}limit`));
  const remaining = Number(header(headers, `${prefix}remaining`));
  const reset = Number(header(headers, `${prefix}reset`));
  if (!Number.isFinite(remaining) || header(headers, `${prefix}remaining`) === undefined) return null;
  return {
    limit: Number.isFinite(limit) && limit > 0 ? limit : NaN,
    remaining: Math.max(0, remaining),
    resetAt: Number.isFinite(reset) && reset > 0 ? reset : null,
  };
}

/** Answers arrive out of order: within one window the lowest remaining wins; a later window replaces. */
function apply(w: Window, seen: Window): void {
  if (Number.isFinite(seen.limit)) w.limit = seen.limit;
  if (w.resetAt === null || (seen.resetAt !== null && seen.resetAt > w.resetAt)) {
    w.remaining = seen.remaining;
    w.resetAt = seen.resetAt;
  } else if (seen.resetAt === w.resetAt) {
    w.remaining = Math.min(w.remaining, seen.remaining);
  }
}

export function nextUtcMidnight(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}
