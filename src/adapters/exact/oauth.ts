/**
 * Connecting a tenant to Exact Online: authorize URL for the tenant's region, single-use `state`,
 * browser binding, code exchange, the first reads (`current/Me`, `system/Divisions`) and the verdict on
 * them. The raw token calls live in tokenEndpoint.ts. Callable from the HTTP handlers of the connect flow.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../app/ports';
import { readDivisions, readMe } from './accountReads';
import { ExactConnectionLostError } from './errors';
import { postToken, type OAuthClient } from './tokenEndpoint';
import { STATE_TTL_MS, type OAuthStateStore } from './oauthState';

export { networkCode, readDivisions, readMe, sameOrigin } from './accountReads';
export { postToken, refreshTokens, type OAuthClient } from './tokenEndpoint';

/** Exact's country instances; apps, tokens and divisions do not move between them. */
export const EXACT_REGIONS = {
  nl: 'nl',
  be: 'be',
  de: 'de',
  'co.uk': 'co.uk',
  uk: 'co.uk',
  fr: 'fr',
  es: 'es',
  com: 'com',
  us: 'com',
} as const;
export type ExactRegion = keyof typeof EXACT_REGIONS;

export const ExactRegionSchema = z.enum(Object.keys(EXACT_REGIONS) as [ExactRegion, ...ExactRegion[]]);

/** `https://start.exactonline.<tld>`; `baseUrl` overrides it (sandbox, tests). */
export function exactBaseUrl(target: { region?: ExactRegion; baseUrl?: string }): string {
  if (target.baseUrl) return target.baseUrl.replace(/\/+$/, '');
  const region = ExactRegionSchema.parse(target.region ?? 'nl');
  return `https://start.exactonline.${EXACT_REGIONS[region]}`;
}

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

/** The browser key as stored with the state: only its digest, so a read of the table binds no browser. */
const browserDigest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('base64url');

/**
 * `await buildAuthorizeUrl({ region:'nl', clientId, redirectUri, connectionId:'t1', states })` → redirect the
 * browser to `.url` and give it `.browserKey` (an HttpOnly cookie): the callback must bring both back.
 */
export async function buildAuthorizeUrl(
  req: AuthorizeRequest,
): Promise<{ url: string; state: string; browserKey: string }> {
  const baseUrl = exactBaseUrl(req);
  const state = randomBytes(32).toString('base64url');
  const browserKey = randomBytes(32).toString('base64url');
  const now = (req.clock?.now() ?? new Date()).getTime();
  await req.states.put(state, {
    connectionId: req.connectionId,
    baseUrl,
    redirectUri: req.redirectUri,
    expiresAt: now + STATE_TTL_MS,
    browser: browserDigest(browserKey),
  });
  const q = new URLSearchParams({
    client_id: req.clientId,
    redirect_uri: req.redirectUri,
    response_type: 'code',
    state,
    force_login: req.forceLogin ? '1' : '0',
  });
  return { url: `${baseUrl}/api/oauth2/auth?${q.toString()}`, state, browserKey };
}

import { ConsentRefusedError, OAuthCodeError, OAuthStateError } from './consentErrors';

export { ConsentRefusedError, OAuthCodeError, OAuthStateError };

/** What the token store needs to keep a connection (the store seals the tokens). */
export interface TokenSink {
  save(
    connectionId: string,
    c: {
      baseUrl: string;
      accessToken: string;
      refreshToken: string;
      expiresInSec: number;
      /** The divisions the consent granted; the client prints in no other. */
      divisions?: number[];
      /** Exact's UserID of the consenting user. */
      userId?: string | null;
    },
  ): Promise<void>;
}

export interface CompleteRequest {
  state: string;
  code: string;
  /** The key the initiating browser brought back (its cookie); must match the state's. */
  browserKey: string | null;
  /**
   * Judges the granted divisions and the consenting user. Refused: nothing is stored for the state's
   * connection; `rescue` names a connection that gets the new tokens instead (see src/app/consent.ts).
   */
  judge?: (
    divisions: number[],
    userId: string | null,
  ) => Promise<{ ok: true } | { ok: false; refusal: string; rescue: string | null }>;
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

/**
 * The OAuth callback: verify and consume `state` and its browser binding, exchange `code`, read Me and
 * Divisions, let `accept` judge the divisions, and only then store the tokens: a refused consent leaves
 * the tenant's existing connection as it was.
 */
export async function completeConnection(req: CompleteRequest): Promise<ConnectionInfo> {
  const now = (req.clock?.now() ?? new Date()).getTime();
  const pending = await req.states.take(req.state);
  if (!pending) throw new OAuthStateError('unknown or already used OAuth state');
  if (pending.expiresAt < now) throw new OAuthStateError('OAuth state expired; start connecting again');
  if (!sameBrowser(pending.browser, req.browserKey)) {
    throw new OAuthStateError(
      'this consent was not started in this browser; start connecting again from the browser you consent in',
    );
  }

  const timeoutMs = req.timeoutMs ?? 30_000;
  let tokens;
  try {
    tokens = await exchangeCode(pending, req.code, req.client, timeoutMs, now);
  } catch (err) {
    // The token endpoint's refusals read as a lost refresh token; for a code they mean a bad code.
    if (err instanceof ExactConnectionLostError) throw new OAuthCodeError();
    throw err;
  }
  const me = await readMe(pending.baseUrl, tokens.access_token, timeoutMs);
  const divisions = await readDivisions(pending.baseUrl, tokens.access_token, me.CurrentDivision, timeoutMs);
  const codes = divisions.map((d) => d.Code);
  const verdict = (await req.judge?.(codes, me.UserID ?? null)) ?? { ok: true };
  const keeper = verdict.ok ? pending.connectionId : verdict.rescue;
  if (keeper) {
    await req.tokens.save(keeper, {
      baseUrl: pending.baseUrl,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresInSec: tokens.expires_in,
      divisions: codes,
      userId: me.UserID ?? null,
    });
  }
  if (!verdict.ok) throw new ConsentRefusedError(verdict.refusal);
  return {
    connectionId: pending.connectionId,
    baseUrl: pending.baseUrl,
    currentDivision: me.CurrentDivision,
    userName: me.UserName ?? null,
    fullName: me.FullName ?? null,
    divisions: divisions.map((d) => ({ code: d.Code, description: d.Description ?? null })),
  };
}

function exchangeCode(
  pending: { baseUrl: string; redirectUri: string },
  code: string,
  client: OAuthClient,
  timeoutMs: number,
  now: number,
) {
  const form = { grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri };
  return postToken(pending.baseUrl, form, client, timeoutMs, now);
}

function sameBrowser(stored: string, key: string | null): boolean {
  if (!key) return false;
  const given = Buffer.from(browserDigest(key));
  const want = Buffer.from(stored);
  return given.length === want.length && timingSafeEqual(given, want);
}
