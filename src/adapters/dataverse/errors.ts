import { IntegrationError } from '../../app/errors';
import type { ReasonCode } from '../../domain/reasons';

/**
 * Dataverse errors, classified once here. Messages carry the operation, the HTTP status and
 * Dataverse's own code/message, never a token or the client secret (they are redacted defensively).
 */
export abstract class DataverseError extends IntegrationError {
  /** A permanent Dataverse fault fails the invoice as "Dynamics 365 refused …"; the message names the operation. */
  readonly reason: ReasonCode = 'dataverse_rejected';
  /** HTTP status, when Dataverse answered. */
  status?: number;
  /** Dataverse error code such as `0x80040217`. */
  code?: string;
}

/** Raised when Dataverse kept answering 429 (service protection limits) after the bounded retries. */
export class DataverseThrottledError extends DataverseError {
  readonly transient = true;
}

/** Raised on network faults, timeouts and 5xx: a later attempt may succeed. */
export class DataverseTransientError extends DataverseError {
  readonly transient = true;
}

/** Raised when the row (or a row a lookup binds to) does not exist. */
export class DataverseNotFoundError extends DataverseError {
  readonly transient = false;
}

/** Raised when Dataverse rejects the request itself (400, 412 concurrency, bad schema, unexpected answer). */
export class DataverseValidationError extends DataverseError {
  readonly transient = false;
}

/** Raised when Entra ID or Dataverse refuses the application's credentials (401/403, bad secret). */
export class DataverseAuthError extends DataverseError {
  readonly transient = false;
}

interface WireError {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  headers?: unknown;
  errorCode?: unknown;
}

/** Replaces every known secret in `text` (client secret, tokens handed out) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join('***');
  // Anything shaped like a bearer token that slipped through (e.g. echoed by a proxy).
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]{10,}/g, 'Bearer ***');
}

export function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as WireError | null)?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  const raw =
    (headers as Record<string, unknown>)['retry-after'] ??
    (headers as Record<string, unknown>)['Retry-After'];
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function statusOf(err: unknown): number | undefined {
  const s = (err as WireError | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

/** Maps whatever dynamics-web-api or msal threw to one DataverseError subclass. */
export function classifyDataverseError(
  operation: string,
  err: unknown,
  secrets: readonly string[],
): DataverseError {
  if (err instanceof DataverseError) return err;
  const e = (
    Array.isArray(err) ? err.find((x) => x instanceof Error || (x && typeof x === 'object')) : err
  ) as WireError | undefined;
  const status = statusOf(e);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const detail = typeof e?.message === 'string' && e.message ? e.message : 'no message';
  const text = redact(
    `Dataverse ${operation} failed${status ? ` (${status}${code ? ` ${code}` : ''})` : ''}: ${detail}`,
    secrets,
  );
  let out: DataverseError;
  if (e && isMsalError(e)) out = msalError(text, e);
  else if (status === 429) out = new DataverseThrottledError(text);
  else if (status === 401 || status === 403) out = new DataverseAuthError(text);
  else if (status === 404) out = new DataverseNotFoundError(text);
  else if (status !== undefined && status >= 500) out = new DataverseTransientError(text);
  else if (status !== undefined) out = new DataverseValidationError(text);
  else out = new DataverseTransientError(text);
  if (status !== undefined) out.status = status;
  if (code !== undefined) out.code = code;
  const wait = retryAfterMs(e);
  if (wait !== undefined) out.retryAfterMs = wait;
  return out;
}

function isMsalError(e: WireError | undefined): boolean {
  return !!e && typeof e.errorCode === 'string';
}

/** msal: `invalid_client`/`unauthorized_client`/`invalid_scope` are configuration faults; network ones are transient. */
function msalError(text: string, e: WireError): DataverseError {
  const code = String(e.errorCode);
  if (/network|timed_out|timeout|endpoints_resolution|openid_config/i.test(code))
    return new DataverseTransientError(text);
  return new DataverseAuthError(text);
}
