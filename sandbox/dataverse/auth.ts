import { randomBytes } from 'node:crypto';

/**
 * Entra ID, as far as @azure/msal-node's client-credentials flow needs it: OIDC discovery and the v2.0
 * token endpoint. Tokens are opaque random strings the Web API side checks on every call.
 */
export interface AuthConfig {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Audience the scope must name: the Web API server root without trailing slash. */
  resource: () => string;
  /** `https://127.0.0.1:<port>` */
  issuerOrigin: () => string;
}

export interface AuthResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const LIFETIME_S = 3599;

export class TokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(private readonly cfg: AuthConfig) {}

  issued(): string[] {
    return [...this.tokens.keys()];
  }

  /** Every token issued so far is refused from now on (still listed by `issued`). */
  revokeAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** True when `authorization` is `Bearer <a token we issued that has not expired>`. */
  accepts(authorization: string | undefined): boolean {
    const m = /^Bearer (\S+)$/.exec(authorization ?? '');
    const expires = m ? this.tokens.get(m[1]!) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  /** Handles `/{tenant}/…` paths; returns null for paths it does not own. */
  handle(method: string, path: string, form: URLSearchParams): AuthResponse | null {
    const origin = this.cfg.issuerOrigin();
    const t = this.cfg.tenantId;
    if (method === 'GET' && path === `/${t}/v2.0/.well-known/openid-configuration`) {
      return ok({
        token_endpoint: `${origin}/${t}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${origin}/${t}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${origin}/${t}/v2.0`,
        request_uri_parameter_supported: false,
        authorization_endpoint: `${origin}/${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${origin}/${t}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${origin}/${t}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      });
    }
    if (method === 'GET' && path === `/${t}/discovery/v2.0/keys`) return ok({ keys: [] });
    if (method === 'GET' && path === '/common/discovery/instance') {
      const host = new URL(origin).host;
      return ok({
        tenant_discovery_endpoint: `${origin}/${t}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
    }
    if (method === 'POST' && path === `/${t}/oauth2/v2.0/token`) return this.token(form);
    return null;
  }

  private token(form: URLSearchParams): AuthResponse {
    if (form.get('grant_type') !== 'client_credentials')
      return aadError(
        400,
        'unsupported_grant_type',
        'AADSTS70003: The app requested an unsupported grant type.',
      );
    if (form.get('client_id') !== this.cfg.clientId) {
      return aadError(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`,
      );
    }
    if (form.get('client_secret') !== this.cfg.clientSecret) {
      return aadError(
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.cfg.clientId}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    const resource = scope
      .split(' ')
      .find((s) => s.endsWith('/.default'))
      ?.replace(/\/+\.default$/, '');
    if (resource?.replace(/\/+$/, '') !== this.cfg.resource()) {
      return aadError(
        400,
        'invalid_scope',
        `AADSTS500011: The resource principal named ${resource ?? '(none)'} was not found in the tenant.`,
      );
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + LIFETIME_S * 1000);
    return ok({
      token_type: 'Bearer',
      expires_in: LIFETIME_S,
      ext_expires_in: LIFETIME_S,
      access_token: token,
    });
  }
}

function ok(body: unknown): AuthResponse {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache' },
    body,
  };
}

function aadError(status: number, error: string, description: string): AuthResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: {
      error,
      error_description: description,
      error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
      timestamp: new Date().toISOString(),
    },
  };
}
