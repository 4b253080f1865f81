/** Exact's token endpoint: the code exchange and the refresh, mapped to the adapter's errors. */
import axios from 'axios';
import { parseUntrustedJson } from '../untrustedJson';
import { networkCode } from './accountReads';
import { mapExactError, type Headers } from './errors';
import { ExactTokenResponseSchema, type ExactTokenResponse } from './schemas';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/**
 * `POST /api/oauth2/token` (form-urlencoded). Refusals map to ExactConnectionLostError; no answer to
 * ExactTimeoutError. The form (secret, tokens) never reaches an error or a log.
 */
export async function postToken(
  baseUrl: string,
  form: Record<string, string>,
  client: OAuthClient,
  timeoutMs: number,
  now: number = Date.now(),
): Promise<ExactTokenResponse> {
  const body = new URLSearchParams({
    ...form,
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  let res;
  try {
    res = await axios.post(`${baseUrl}/api/oauth2/token`, body.toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      timeout: timeoutMs,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (d: unknown) => d,
    });
  } catch (err) {
    throw mapExactError(
      null,
      null,
      {},
      { code: networkCode(err) },
      { method: 'POST', tokenEndpoint: true, now },
    );
  }
  const data = parseJson(res.data);
  if (res.status < 200 || res.status >= 300) {
    throw mapExactError(res.status, data, res.headers as Headers, undefined, {
      method: 'POST',
      tokenEndpoint: true,
      now,
    });
  }
  const parsed = ExactTokenResponseSchema.safeParse(data);
  if (!parsed.success)
    throw mapExactError(502, { error: { message: 'token answer has an unexpected shape' } }, {}, undefined, {
      method: 'POST',
    });
  return parsed.data;
}

export function refreshTokens(
  baseUrl: string,
  refreshToken: string,
  client: OAuthClient,
  timeoutMs: number,
  now?: number,
) {
  return postToken(
    baseUrl,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    client,
    timeoutMs,
    now,
  );
}

/** A refresh, retried on transient failures without a server hint (at most 3 attempts). */
export async function refreshTokensWithRetry(
  baseUrl: string,
  refreshToken: string,
  client: OAuthClient,
  timeoutMs: number,
  now: () => number,
): Promise<ExactTokenResponse> {
  // A refresh whose answer was lost is retried with the same token: either it was never carried out,
  // or Exact answers "Old refresh token used" and the connection is (already) lost.
  for (let attempt = 1; ; attempt++) {
    try {
      return await refreshTokens(baseUrl, refreshToken, client, timeoutMs, now());
    } catch (err) {
      const transient =
        (err as { transient?: boolean }).transient === true &&
        !(err as { retryAfterMs?: number }).retryAfterMs;
      if (!transient || attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return parseUntrustedJson(data);
  } catch {
    return data;
  }
}
