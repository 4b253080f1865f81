/** What every Exact client of one connection is built from, and the request context made of it. */
import type { Clock } from '../../app/ports';
import { silentLog, type ExactLog } from './log';
import type { RateGovernor } from './rateGovernor';
import type { RequestContext } from './request';
import type { ExactTokenProvider } from './tokenStore';

export interface ExactConnectionOptions {
  /** `https://start.exactonline.nl` (see exactBaseUrl) or the sandbox URL. */
  baseUrl: string;
  connectionId: string;
  tokens: ExactTokenProvider;
  governor: RateGovernor;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  log?: ExactLog;
  random?: () => number;
  /** GET attempts on transient errors; default 4. */
  maxGetAttempts?: number;
  /** Dependency and rate telemetry of every request (decision 0063). */
  telemetry?: RequestContext['telemetry'];
}

export function createRequestContext(opts: ExactConnectionOptions): RequestContext {
  return {
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    connectionId: opts.connectionId,
    tokens: opts.tokens,
    governor: opts.governor,
    now: () => (opts.clock?.now() ?? new Date()).getTime(),
    sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    timeoutMs: opts.timeoutMs ?? 30_000,
    log: opts.log ?? silentLog,
    random: opts.random ?? Math.random,
    maxGetAttempts: opts.maxGetAttempts ?? 4,
    max429: 30,
    stats: { calls: 0, byStatus: {}, rateLimited: 0, lostAnswers: 0 },
    ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
  };
}
