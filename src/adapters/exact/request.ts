/**
 * One Exact REST call with everything around it: pacing, token, mandatory headers, error mapping,
 * 401 → one forced refresh, 429 → wait for the reset and go again, GET retries with backoff.
 * A write is never repeated once it may have reached Exact (answer lost, 5xx): the caller confirms.
 */
import axios from 'axios';
import { IntegrationError } from '../../app/errors';
import type { Telemetry } from '../../app/telemetry';
import { backoffMs, header, isErrorBlock, mapExactError, shouldRetry, type Headers } from './errors';
import type { ExactLog } from './log';
import { networkCode } from './oauth';
import type { RateGovernor } from './rateGovernor';
import type { ExactTokenProvider } from './tokenStore';

export interface ExactCallStats {
  /** HTTP requests that reached the wire (answered or not). */
  calls: number;
  byStatus: Record<string, number>;
  rateLimited: number;
  lostAnswers: number;
}

export interface RequestContext {
  baseUrl: string;
  connectionId: string;
  tokens: ExactTokenProvider;
  governor: RateGovernor;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  log: ExactLog;
  random: () => number;
  maxGetAttempts: number;
  /** 429s tolerated for one call before giving up (each is waited out until the announced reset). */
  max429: number;
  stats: ExactCallStats;
  /** One dependency per request on the wire, 429s and the remaining daily budget (decision 0063). */
  telemetry?: Pick<Telemetry, 'dependency' | 'metric'>;
}

export interface ExactCall {
  method: 'GET' | 'POST' | 'PUT';
  /** null only for `current/Me`. */
  division: number | null;
  /** Relative to `/api/v1/{division}/`, with its query string; or an absolute `__next` URL. */
  path: string;
  body?: unknown;
  /** Earlier 500-with-message answers to this same write (see VALIDATION_500_LIMIT). */
  prior500s?: number;
  /**
   * Awaited after every wait (rate budget, token) and immediately before the request goes on the wire;
   * a throw stops the call before anything is sent. The print's claim is taken or renewed here.
   */
  beforeSend?: () => Promise<void>;
}

export interface ExactAnswer {
  status: number;
  data: unknown;
  headers: Headers;
}

/**
 * `salesinvoice/SalesInvoices` for both relative paths and absolute `__next` URLs (counts errors per endpoint).
 * A key (`crm/Accounts(guid'…')`) is not part of it: Exact's error block is per endpoint, and telemetry
 * names carry no ids.
 */
export function endpointOf(path: string): string {
  const p = /^https?:/i.test(path) ? new URL(path).pathname : path;
  return p
    .replace(/^\/?api\/v1\//, '')
    .replace(/^\d+\//, '')
    .split('?')[0]!
    .replace(/\(.*\)$/, '');
}

export async function exactRequest(ctx: RequestContext, call: ExactCall): Promise<ExactAnswer> {
  const url = /^https?:/i.test(call.path)
    ? call.path
    : `${ctx.baseUrl}/api/v1/${call.division === null ? '' : `${call.division}/`}${call.path}`;
  const endpoint = endpointOf(call.path);
  const key = { connectionId: ctx.connectionId, division: call.division ?? 0 };
  let failures = 0;
  let rateLimited = 0;
  let rejected: string | undefined;
  let refreshed = false;
  for (;;) {
    const permit = await ctx.governor.acquire(key, endpoint);
    let token: string;
    try {
      token = await ctx.tokens.getAccessToken(
        ctx.connectionId,
        rejected === undefined ? undefined : { rejected },
      );
    } catch (err) {
      permit.release({ status: null, sent: false });
      throw err;
    }
    rejected = undefined;
    if (call.beforeSend) {
      try {
        await call.beforeSend();
      } catch (err) {
        permit.release({ status: null, sent: false });
        throw err;
      }
    }
    const started = ctx.now();
    let answer: ExactAnswer | null = null;
    let code: string | undefined;
    try {
      const res = await axios.request({
        method: call.method,
        url,
        data: call.body === undefined ? undefined : JSON.stringify(call.body),
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Prefer: 'return=representation',
          Authorization: `Bearer ${token}`,
        },
        timeout: ctx.timeoutMs,
        maxRedirects: 0,
        validateStatus: () => true,
      });
      answer = { status: res.status, data: res.data, headers: res.headers as Headers };
    } catch (err) {
      code = networkCode(err);
    }
    ctx.stats.calls++;
    permit.release(answer ? { status: answer.status, headers: answer.headers } : { status: null });
    observe(ctx, call, new URL(url).host, endpoint, started, answer);
    const statusKey = answer ? String(answer.status) : 'none';
    ctx.stats.byStatus[statusKey] = (ctx.stats.byStatus[statusKey] ?? 0) + 1;
    ctx.log('debug', 'exact call', {
      method: call.method,
      endpoint,
      division: call.division,
      status: answer?.status ?? null,
      code: code ?? null,
      ms: ctx.now() - started,
    });
    if (answer && answer.status >= 200 && answer.status < 300) return answer;

    if (answer?.status === 429) {
      ctx.stats.rateLimited++;
      // The governor has learnt the reset from this answer; its next admission waits for it.
      // A 429 without a budget reset is the hour-long error block: hand it to the caller (transient,
      // retryAfterMs) instead of knocking on a blocked endpoint.
      const blocked = isErrorBlock(answer.headers);
      if (!blocked && ++rateLimited <= ctx.max429) continue;
      throw mapExactError(429, answer.data, answer.headers, undefined, {
        method: call.method,
        now: ctx.now(),
      });
    }
    if (answer?.status === 401 && !refreshed) {
      refreshed = true;
      rejected = token;
      continue;
    }
    const err: IntegrationError = answer
      ? mapExactError(answer.status, answer.data, answer.headers, undefined, {
          method: call.method,
          attempt: (call.prior500s ?? 0) + failures + 1,
          now: ctx.now(),
        })
      : mapExactError(null, null, {}, { code }, { method: call.method, now: ctx.now() });
    if (err.answerLost) ctx.stats.lostAnswers++;
    failures++;
    if (shouldRetry(err, call.method, failures, ctx.maxGetAttempts)) {
      const wait = err.retryAfterMs ?? backoffMs(failures, { random: ctx.random });
      ctx.log('warn', 'exact call failed, retrying', {
        endpoint,
        status: answer?.status ?? null,
        code: code ?? null,
        waitMs: wait,
      });
      await ctx.sleep(wait);
      continue;
    }
    ctx.log('warn', 'exact call failed', {
      endpoint,
      division: call.division,
      error: err.name,
      message: err.message,
      answerLost: err.answerLost,
    });
    throw err;
  }
}

/** Telemetry of one request: `GET salesinvoice/SalesInvoices` on the host, never the query string or the token. */
function observe(
  ctx: RequestContext,
  call: ExactCall,
  host: string,
  endpoint: string,
  started: number,
  answer: ExactAnswer | null,
): void {
  if (!ctx.telemetry) return;
  const status = answer?.status ?? null;
  const tenant = ctx.connectionId;
  ctx.telemetry.dependency({
    type: 'Exact',
    target: host,
    name: `${call.method} ${endpoint}`,
    startedAt: started,
    durationMs: ctx.now() - started,
    resultCode: status,
    success: status !== null && status < 400,
    tenant,
  });
  if (status === 429) ctx.telemetry.metric('exact429', 1, { tenant });
  const said = answer ? header(answer.headers, 'x-ratelimit-remaining') : undefined;
  const remaining = said === undefined || said === '' ? NaN : Number(said);
  if (Number.isFinite(remaining)) {
    ctx.telemetry.metric('exactBudgetRemaining', remaining, {
      tenant,
      administration: String(call.division ?? ''),
    });
  }
}
