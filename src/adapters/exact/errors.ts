/**
 * Exact Online errors: a small hierarchy built by ONE pure function (`mapExactError`), a pure retry
 * predicate and a pure backoff. Callers branch on the class, never on message text.
 * Messages carry Exact's own text (never a token, secret or Authorization header).
 */
import { IntegrationError } from '../../app/errors';
import type { ReasonCode } from '../../domain/reasons';

export type Headers = Record<string, string | string[] | number | undefined>;

/** Raised on 429: the minutely (or daily) budget was exceeded; retry after the reset. */
export class ExactRateLimitError extends IntegrationError {
  readonly transient = true;
  readonly reason: ReasonCode = 'exact_rejected';
  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Raised on 401/403: the token was refused or the user/division is not allowed. */
export class ExactAuthError extends IntegrationError {
  readonly transient: boolean;
  readonly reason: ReasonCode = 'exact_rejected';
  constructor(
    message: string,
    readonly status: number,
    /** A 401 on a data call can be cured by one forced refresh; a 403 never. */
    readonly refreshable: boolean,
  ) {
    super(message);
    this.transient = refreshable;
  }
}

/** Raised when the refresh token is rejected (old/used, expired, revoked): a person must re-connect. */
export class ExactConnectionLostError extends IntegrationError {
  readonly transient = false;
  override readonly reason: ReasonCode = 'exact_connection_lost';
}

export function isLostConnection(err: unknown): err is ExactConnectionLostError {
  return err instanceof ExactConnectionLostError;
}

/** Raised on 400/4xx, or a 500 with a message that kept coming back (Exact reports validation as 500). */
export class ExactValidationError extends IntegrationError {
  readonly transient = false;
  readonly reason: ReasonCode = 'exact_rejected';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Raised on 404: the entity or endpoint does not exist in this division. */
export class ExactNotFoundError extends IntegrationError {
  readonly transient = false;
  readonly reason: ReasonCode = 'exact_rejected';
}

/** Raised on 5xx (and on the first 500s that carry a message, which may still be transient). */
export class ExactServerError extends IntegrationError {
  readonly transient = true;
  readonly reason: ReasonCode = 'exact_rejected';
  constructor(
    message: string,
    readonly status: number,
    /** A 500 with a message: after `VALIDATION_500_LIMIT` of them it is classified as validation. */
    readonly suspectedValidation = false,
  ) {
    super(message);
  }
}

/** Raised when no answer arrived (timeout, reset). On a write `answerLost` says it may have been done. */
export class ExactTimeoutError extends IntegrationError {
  readonly transient = true;
  readonly reason: ReasonCode = 'exact_rejected';
  constructor(message: string, answerLost: boolean) {
    super(message);
    this.answerLost = answerLost;
  }
}

/** Raised by the rate governor when the division's daily budget is used up. The caller schedules tomorrow. */
export class ExactDailyBudgetError extends IntegrationError {
  readonly transient = true;
  override readonly reason: ReasonCode = 'daily_budget_exhausted';
  constructor(readonly resetAt: Date, now: Date) {
    super(`Exact daily call budget exhausted until ${resetAt.toISOString()}`);
    this.retryAfterMs = Math.max(0, resetAt.getTime() - now.getTime());
  }
}

/** Raised by the rate governor when an endpoint kept erroring: paused before Exact blocks the key. */
export class ExactEndpointPausedError extends IntegrationError {
  readonly transient = true;
  readonly reason: ReasonCode = 'exact_rejected';
  constructor(endpoint: string, retryAfterMs: number) {
    super(`Exact endpoint ${endpoint} paused after repeated errors`);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A 500 carrying a message is treated as transient this many times, then as validation. */
export const VALIDATION_500_LIMIT = 3;

export interface MapContext {
  method?: string;
  /** 1-based count of answers of this kind for this request (retries, or earlier prints of one invoice). */
  attempt?: number;
  /** The token endpoint speaks OAuth (`error_description`), and its refusals mean the connection is lost. */
  tokenEndpoint?: boolean;
  now?: number;
}

/** `{"error":{"message":{"value":…}}}`, `{"error":{"message":"…"}}` or OAuth `{"error_description":…}`. */
export function exactMessage(body: unknown): string | null {
  if (typeof body === 'string') {
    try {
      return body.trim().startsWith('{') ? exactMessage(JSON.parse(body)) : null;
    } catch {
      return null;
    }
  }
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  if (typeof b.error_description === 'string') return b.error_description;
  const err = b.error;
  if (err && typeof err === 'object') {
    const msg = (err as Record<string, unknown>).message;
    if (typeof msg === 'string') return msg || null;
    if (msg && typeof msg === 'object') {
      const value = (msg as Record<string, unknown>).value;
      if (typeof value === 'string' && value) return value;
    }
  }
  if (typeof err === 'string') return err;
  return null;
}

export function header(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted || v === undefined) continue;
    return Array.isArray(v) ? v[0] : String(v);
  }
  return undefined;
}

/** How long Exact's error-limit block lasts: "The block will automatically be lifted after one hour". */
export const ERROR_BLOCK_MS = 3_600_000;

/** A 429 that announces no budget reset (neither minutely nor daily): the hour-long error block, not a budget. */
export function isErrorBlock(headers: Headers): boolean {
  return header(headers, 'x-ratelimit-minutely-reset') === undefined && header(headers, 'x-ratelimit-reset') === undefined;
}

/** ms until the reset announced in the 429 (epoch ms), minutely first; an hour for the error block. */
export function retryAfterFrom429(headers: Headers, now: number): number {
  const minutely = Number(header(headers, 'x-ratelimit-minutely-reset'));
  const minutelyRemaining = header(headers, 'x-ratelimit-minutely-remaining');
  const daily = Number(header(headers, 'x-ratelimit-reset'));
  // A 429 without the reset of an exhausted budget is the error-limit block (more than 10 errors on an
  // endpoint in an hour), "lifted after one hour" (reference §4, Exact's announcement quoted by Invantive).
  if (isErrorBlock(headers)) {
    const retryAfter = Number(header(headers, 'retry-after'));
    return Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : ERROR_BLOCK_MS;
  }
  const reset =
    Number.isFinite(minutely) && minutely > 0 && minutelyRemaining !== undefined && Number(minutelyRemaining) <= 0
      ? minutely
      : Number.isFinite(daily) && daily > 0
        ? daily
        : Number.isFinite(minutely) && minutely > 0
          ? minutely
          : now + 60_000;
  return Math.max(0, reset - now);
}

const LOST_CONNECTION = /old refresh token|refresh token expired|refresh token .*(revoked|invalid)|invalid_grant/i;

/** Network-level failure codes for which the request certainly never reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'EHOSTUNREACH']);

/**
 * The one place an Exact answer (or its absence: `status` null, `cause` = `{ code }`) becomes an error.
 * `cause` is kept only as `{ code }`: an axios error would carry the Authorization header and form body.
 */
export function mapExactError(
  status: number | null,
  body: unknown,
  headers: Headers,
  cause?: { code?: string; message?: string },
  ctx: MapContext = {},
): IntegrationError {
  const method = (ctx.method ?? 'GET').toUpperCase();
  const now = ctx.now ?? Date.now();
  const text = exactMessage(body);
  const reasonHeader = header(headers, 'reason');
  const detail = [text, reasonHeader && `Reason: ${reasonHeader}`].filter(Boolean).join(' | ');
  const described = (s: number): string => `Exact answered ${s}${detail ? `: ${detail}` : ''}`;

  if (status === null) {
    const code = cause?.code ?? 'ERR_NETWORK';
    const maybeDone = method !== 'GET' && !NEVER_SENT.has(code);
    const err = new ExactTimeoutError(`no answer from Exact (${code})`, maybeDone);
    return err;
  }
  if (ctx.tokenEndpoint && (status === 400 || status === 401)) {
    // "Access Token not expired", or the header Reason: TooEarlyToRefreshTokens (round2-facts §4.8) whatever
    // the text: we asked too early (< 570 s); the refresh token is still good.
    const early = (text && /not expired/i.test(text)) || /^TooEarlyToRefreshTokens$/i.test(reasonHeader ?? '');
    if (early && !LOST_CONNECTION.test(text ?? '')) {
      const tooEarly = new ExactAuthError(described(status), status, true);
      tooEarly.retryAfterMs = 30_000;
      return tooEarly;
    }
    return new ExactConnectionLostError(`Exact refused the refresh token (${status}${text ? `: ${text}` : ''})`);
  }
  if (status === 429) return new ExactRateLimitError(described(429), retryAfterFrom429(headers, now));
  if (status === 401) return new ExactAuthError(described(401), 401, true);
  if (status === 403) return new ExactAuthError(described(403), 403, false);
  if (status === 404) return new ExactNotFoundError(described(404));
  if (status === 408) return new ExactTimeoutError(described(408), method !== 'GET');
  if (status >= 400 && status < 500) return new ExactValidationError(described(status), status);
  // Exact reports validation problems of a write as 500 with a text; a read has nothing to validate.
  if (status === 500 && text && method !== 'GET') {
    return (ctx.attempt ?? 1) >= VALIDATION_500_LIMIT
      ? new ExactValidationError(described(500), 500)
      : new ExactServerError(described(500), 500, true);
  }
  return new ExactServerError(described(status), status);
}

/** Whether the client itself may repeat the request. A write whose answer was lost never. */
export function shouldRetry(err: unknown, method: string, attempt: number, maxAttempts: number): boolean {
  if (!(err instanceof IntegrationError)) return false;
  if (err.answerLost) return false;
  if (err instanceof ExactRateLimitError) return true;
  if (method.toUpperCase() !== 'GET') return false;
  if (err instanceof ExactDailyBudgetError || err instanceof ExactEndpointPausedError) return false;
  if (err instanceof ExactAuthError) return false;
  return err.transient && attempt < maxAttempts;
}

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  floorMs?: number;
  /** [0,1); injectable so the result is deterministic in tests. */
  random?: () => number;
}

/** Exponential (attempt 1 → base), capped, "equal jitter" (half fixed, half random), never below the floor. */
export function backoffMs(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 500;
  const cap = opts.capMs ?? 30_000;
  const floor = opts.floorMs ?? 250;
  const random = opts.random ?? Math.random;
  const exp = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.max(floor, Math.round(exp / 2 + (exp / 2) * random()));
}
