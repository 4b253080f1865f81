/**
 * Exact's OAuth2 authorization-code flow as the reference records it (§1): single-use codes valid ~3 min,
 * 600 s access tokens, refresh only ≥570 s after the access token was issued, refresh tokens rotating on
 * every use (an old one → "Old refresh token used.", which cuts the connection until the user consents
 * again), 30 days idle expiry, and one token set per (app, user): a new login revokes the previous set.
 */
import { randomBytes } from 'node:crypto';
import type { Reply } from './http';
import type { Store } from './store';

const CODE_TTL_MS = 3 * 60_000;
const ACCESS_TTL_MS = 600_000;
const EARLY_REFRESH_MS = 570_000;
const REFRESH_IDLE_MS = 30 * 24 * 3600_000;

interface Grant {
  clientId: string;
  userId: string;
  generation: number;
}
interface AccessToken extends Grant {
  issuedAt: number;
  expiresAt: number;
}
interface RefreshToken extends Grant {
  accessIssuedAt: number;
  expiresAt: number;
  used: boolean;
}

/**
 * App scopes as Exact's App Center names them (PS env table's scope column; round2-facts §4.3, §4.5). The
 * registered app holds all of them unless told otherwise; only `documents/*` checks its scope here [choice].
 */
export const APP_SCOPES = [
  'Communication mailboxes',
  'Crm accounts',
  'Financial accounting',
  'Organization administration',
  'Organization documents',
  'Sales invoices',
];

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** The app's scopes; default APP_SCOPES. */
  scopes?: string[];
}

export type BearerCheck =
  | { ok: true; clientId: string; userId: string }
  | { ok: false; clientId: string | null; userId: string | null };

const tokenReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'Cache-Control': 'no-store', ...headers },
  body,
});

export class OAuth {
  private codes = new Map<string, Grant & { redirectUri: string; expiresAt: number; used: boolean }>();
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, RefreshToken>();
  /** Current generation per client|user; older generations are revoked by a new login. */
  private generations = new Map<string, number>();
  private issued: string[] = [];
  private appScopes: Set<string>;

  constructor(
    private cfg: OAuthConfig,
    private store: Store,
    private now: () => number,
  ) {
    this.issued.push(cfg.clientSecret);
    this.appScopes = new Set(cfg.scopes ?? APP_SCOPES);
  }

  /** Scopes belong to the app registration, so a change applies to tokens already issued. */
  scopes(): ReadonlySet<string> {
    return this.appScopes;
  }

  setScopes(scopes: string[]): void {
    this.appScopes = new Set(scopes);
  }

  issuedSecrets(): string[] {
    return [...this.issued];
  }

  reset(): void {
    this.appScopes = new Set(this.cfg.scopes ?? APP_SCOPES);
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
    this.generations.clear();
  }

  private secret(): string {
    const s = randomBytes(32).toString('base64url');
    this.issued.push(s);
    return s;
  }

  /** GET /api/oauth2/auth: auto-consents the chosen (default: first) sandbox user. */
  authorize(q: Record<string, string>): Reply {
    if (q.client_id !== this.cfg.clientId)
      return { status: 400, body: `Client with identifier '${q.client_id ?? ''}' not found.` };
    const redirectUri = q.redirect_uri ?? '';
    if (!this.cfg.redirectUris.includes(redirectUri))
      return { status: 400, body: 'The redirect URI is invalid.' };
    const url = new URL(redirectUri);
    if (q.state !== undefined) url.searchParams.set('state', q.state);
    if (q.response_type !== 'code') {
      url.searchParams.set('error', 'unsupported_response_type');
      return { status: 302, headers: { Location: url.toString() } };
    }
    const user = q.sandbox_user ? this.store.user(q.sandbox_user) : this.store.users[0];
    if (!user) return { status: 400, body: 'Unknown sandbox user.' };
    const code = this.secret();
    this.codes.set(code, {
      clientId: this.cfg.clientId,
      userId: user.UserID,
      generation: 0,
      redirectUri,
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
    });
    url.searchParams.set('code', code);
    return { status: 302, headers: { Location: url.toString() } };
  }

  /** POST /api/oauth2/token (form-urlencoded). */
  token(form: Record<string, string>): Reply {
    if (form.client_id !== this.cfg.clientId || form.client_secret !== this.cfg.clientSecret)
      return tokenReply(400, { error: 'invalid_client' });
    if (form.grant_type === 'authorization_code') return this.exchangeCode(form);
    if (form.grant_type === 'refresh_token') return this.rotate(form);
    return tokenReply(400, { error: 'unsupported_grant_type' });
  }

  private exchangeCode(form: Record<string, string>): Reply {
    const code = this.codes.get(form.code ?? '');
    if (!code || code.used || code.expiresAt <= this.now() || code.redirectUri !== form.redirect_uri)
      return tokenReply(400, { error: 'invalid_grant' });
    code.used = true;
    const key = `${code.clientId}|${code.userId}`;
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    return this.issue({ clientId: code.clientId, userId: code.userId, generation });
  }

  private rotate(form: Record<string, string>): Reply {
    const old = this.refresh.get(form.refresh_token ?? '');
    if (!old) return tokenReply(400, { error: 'invalid_grant' });
    const now = this.now();
    if (old.used || !this.current(old)) {
      // Reuse of a rotated token cuts the connection: the newest pair dies with it and only a new consent
      // (code exchange) connects again (§1 "Rotation": "the user must re-consent"). A token of a set that a
      // newer login already replaced does not touch the newer set [choice].
      if (this.current(old)) this.generations.set(`${old.clientId}|${old.userId}`, old.generation + 1);
      return tokenReply(401, { error: 'unauthorized_client', error_description: 'Old refresh token used.' });
    }
    if (old.expiresAt <= now)
      return tokenReply(400, {
        error: 'invalid_request',
        error_description: `The refresh token expired at ${new Date(old.expiresAt).toISOString()}`,
      });
    if (now - old.accessIssuedAt < EARLY_REFRESH_MS)
      return tokenReply(
        401,
        { error: 'invalid_request', error_description: 'Access Token not expired' },
        { Reason: 'Access Token not expired' },
      );
    old.used = true;
    return this.issue(old);
  }

  private issue(grant: Grant): Reply {
    const now = this.now();
    const accessToken = this.secret();
    const refreshToken = this.secret();
    const g = { clientId: grant.clientId, userId: grant.userId, generation: grant.generation };
    this.access.set(accessToken, { ...g, issuedAt: now, expiresAt: now + ACCESS_TTL_MS });
    this.refresh.set(refreshToken, {
      ...g,
      accessIssuedAt: now,
      expiresAt: now + REFRESH_IDLE_MS,
      used: false,
    });
    return tokenReply(200, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: String(ACCESS_TTL_MS / 1000),
      refresh_token: refreshToken,
    });
  }

  private current(g: Grant): boolean {
    return this.generations.get(`${g.clientId}|${g.userId}`) === g.generation;
  }

  /** The code flow without HTTP, for tests: consent, then exchange the code. */
  authorizeDirect(userId?: string): { accessToken: string; refreshToken: string } {
    const redirectUri = this.cfg.redirectUris[0] ?? '';
    const q: Record<string, string> = {
      client_id: this.cfg.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
    };
    if (userId) q.sandbox_user = userId;
    const consent = this.authorize(q);
    const code = consent.headers?.Location
      ? new URL(consent.headers.Location).searchParams.get('code')
      : null;
    if (!code) throw new Error(`sandbox authorize failed (${consent.status})`);
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
    const reply = this.token({ ...form, client_id: this.cfg.clientId, client_secret: this.cfg.clientSecret });
    const body = reply.body as { access_token?: string; refresh_token?: string };
    if (!body.access_token || !body.refresh_token)
      throw new Error(`sandbox token exchange failed (${reply.status})`);
    return { accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  bearer(authorization: string | undefined): BearerCheck {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const tok = m?.[1] ? this.access.get(m[1]) : undefined;
    if (!tok) return { ok: false, clientId: null, userId: null };
    if (tok.expiresAt <= this.now() || !this.current(tok))
      return { ok: false, clientId: tok.clientId, userId: tok.userId };
    return { ok: true, clientId: tok.clientId, userId: tok.userId };
  }
}
