/**
 * Connecting a tenant to Exact Online: authorize URL for the tenant's region, single-use `state`,
 * code exchange, and the first reads (`current/Me`, `system/Divisions`). Also the raw token calls the
 * token store uses. Callable from the HTTP handlers of the connect flow.
 */
import axios from 'axios';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../app/ports';
import { mapExactError, type Headers } from './errors';
import {
  ExactDivisionSchema,
  ExactMeSchema,
  ExactTokenResponseSchema,
  envelopeSchema,
  type ExactDivision,
  type ExactTokenResponse,
} from './schemas';
import type { OAuthStateStore } from './oauthState';

/** Exact's country instances; apps, tokens and divisions do not move between them. */
export const EXACT_REGIONS = { nl: 'nl', be: 'be', de: 'de', 'co.uk': 'co.uk', uk: 'co.uk', fr: 'fr', es: 'es', com: 'com', us: 'com' } as const;
export type ExactRegion = keyof typeof EXACT_REGIONS;

export const ExactRegionSchema = z.enum(Object.keys(EXACT_REGIONS) as [ExactRegion, ...ExactRegion[]]);

/** `https://start.exactonline.<tld>`; `baseUrl` overrides it (sandbox, tests). */
export function exactBaseUrl(target: { region?: ExactRegion; baseUrl?: string }): string {
  if (target.baseUrl) return target.baseUrl.replace(/\/+$/, '');
  const region = ExactRegionSchema.parse(target.region ?? 'nl');
  return `https://start.exactonline.${EXACT_REGIONS[region]}`;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

const STATE_TTL_MS = 10 * 60_000;

export interface AuthorizeRequest {
  region?: ExactRegion;
  baseUrl?: string;
  clientId: string;
  redirectUri: string;
  /** The connection (tenant) the consent is for; returned by `completeConnection`. */
  connectionId: string;
  states: OAuthStateStore;
  /** true re-prompts a user who is already signed in to Exact (to connect as another user). */
  forceLogin?: boolean;
  clock?: Clock;
}

/** `await buildAuthorizeUrl({ region:'nl', clientId, redirectUri, connectionId:'t1', states })` → redirect the browser to `.url`. */
export async function buildAuthorizeUrl(req: AuthorizeRequest): Promise<{ url: string; state: string }> {
  const baseUrl = exactBaseUrl(req);
  const state = randomBytes(32).toString('base64url');
  const now = (req.clock?.now() ?? new Date()).getTime();
  await req.states.put(state, {
    connectionId: req.connectionId,
    baseUrl,
    redirectUri: req.redirectUri,
    expiresAt: now + STATE_TTL_MS,
  });
  const q = new URLSearchParams({
    client_id: req.clientId,
    redirect_uri: req.redirectUri,
    response_type: 'code',
    state,
    force_login: req.forceLogin ? '1' : '0',
  });
  return { url: `${baseUrl}/api/oauth2/auth?${q.toString()}`, state };
}

/** Raised when the `state` of a callback is unknown, expired or already used (CSRF, replay, double click). */
export class OAuthStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthStateError';
  }
}

/** What the token store needs to keep a connection (the store seals the tokens). */
export interface TokenSink {
  save(connectionId: string, c: { baseUrl: string; accessToken: string; refreshToken: string; expiresInSec: number }): Promise<void>;
}

export interface CompleteRequest {
  state: string;
  code: string;
  client: OAuthClient;
  states: OAuthStateStore;
  tokens: TokenSink;
  clock?: Clock;
  timeoutMs?: number;
}

export interface ConnectionInfo {
  connectionId: string;
  baseUrl: string;
  /** The division last opened in Exact's UI: only a default, the connector pins divisions itself. */
  currentDivision: number;
  userName: string | null;
  fullName: string | null;
  divisions: { code: number; description: string | null }[];
}

/** The OAuth callback: verify and consume `state`, exchange `code`, store tokens, read Me and Divisions. */
export async function completeConnection(req: CompleteRequest): Promise<ConnectionInfo> {
  const now = (req.clock?.now() ?? new Date()).getTime();
  const pending = await req.states.take(req.state);
  if (!pending) throw new OAuthStateError('unknown or already used OAuth state');
  if (pending.expiresAt < now) throw new OAuthStateError('OAuth state expired; start connecting again');

  const timeoutMs = req.timeoutMs ?? 30_000;
  const tokens = await postToken(
    pending.baseUrl,
    { grant_type: 'authorization_code', code: req.code, redirect_uri: pending.redirectUri },
    req.client,
    timeoutMs,
    now,
  );
  await req.tokens.save(pending.connectionId, {
    baseUrl: pending.baseUrl,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresInSec: tokens.expires_in,
  });
  const me = await readMe(pending.baseUrl, tokens.access_token, timeoutMs);
  const divisions = await readDivisions(pending.baseUrl, tokens.access_token, me.CurrentDivision, timeoutMs);
  return {
    connectionId: pending.connectionId,
    baseUrl: pending.baseUrl,
    currentDivision: me.CurrentDivision,
    userName: me.UserName ?? null,
    fullName: me.FullName ?? null,
    divisions: divisions.map((d) => ({ code: d.Code, description: d.Description ?? null })),
  };
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
  const body = new URLSearchParams({ ...form, client_id: client.clientId, client_secret: client.clientSecret });
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
    throw mapExactError(null, null, {}, { code: networkCode(err) }, { method: 'POST', tokenEndpoint: true, now });
  }
  const data = parseJson(res.data);
  if (res.status < 200 || res.status >= 300) {
    throw mapExactError(res.status, data, res.headers as Headers, undefined, { method: 'POST', tokenEndpoint: true, now });
  }
  const parsed = ExactTokenResponseSchema.safeParse(data);
  if (!parsed.success) throw mapExactError(502, { error: { message: 'token answer has an unexpected shape' } }, {}, undefined, { method: 'POST' });
  return parsed.data;
}

export function refreshTokens(baseUrl: string, refreshToken: string, client: OAuthClient, timeoutMs: number, now?: number) {
  return postToken(baseUrl, { grant_type: 'refresh_token', refresh_token: refreshToken }, client, timeoutMs, now);
}

async function getJson(url: string, accessToken: string, timeoutMs: number): Promise<unknown> {
  let res;
  try {
    res = await axios.get(url, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` },
      timeout: timeoutMs,
      validateStatus: () => true,
    });
  } catch (err) {
    throw mapExactError(null, null, {}, { code: networkCode(err) });
  }
  if (res.status < 200 || res.status >= 300) throw mapExactError(res.status, res.data, res.headers as Headers);
  return res.data;
}

export async function readMe(baseUrl: string, accessToken: string, timeoutMs = 30_000) {
  const data = await getJson(`${baseUrl}/api/v1/current/Me?$select=CurrentDivision,UserID,UserName,FullName,Email`, accessToken, timeoutMs);
  const me = envelopeSchema(ExactMeSchema).parse(data).d.results[0];
  if (!me) throw mapExactError(502, { error: { message: 'current/Me returned no row' } }, {});
  return me;
}

/** All divisions the consent covers (division scoping), following `__next`. */
export async function readDivisions(baseUrl: string, accessToken: string, division: number, timeoutMs = 30_000) {
  const out: ExactDivision[] = [];
  let url: string | undefined = `${baseUrl}/api/v1/${division}/system/Divisions?$select=Code,Description,HID`;
  while (url) {
    const data: unknown = await getJson(url, accessToken, timeoutMs);
    const page: { results: ExactDivision[]; __next?: string | undefined } = envelopeSchema(ExactDivisionSchema).parse(data).d;
    out.push(...page.results);
    url = page.__next && sameOrigin(page.__next, baseUrl) ? page.__next : undefined;
  }
  return out;
}

/** `__next` is an absolute URL: follow it only to the host the token belongs to. */
export function sameOrigin(url: string, baseUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

export function networkCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERR_NETWORK';
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
