import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { afterConnect } from '../src/app/connected';
import { ConsentRefusedError, OAuthStateError } from '../src/adapters/exact/consentErrors';
import { getRuntime, masterDataPorts, subscribeDeps, tenantById } from '../src/composition/runtime';

/** Holds the browser key of a pending consent: HttpOnly, sent to the callback only, gone after 10 minutes. */
const COOKIE = 'autoinvoice_exact_consent';
const CALLBACK_PATH = '/api/exact/callback';

function consentCookie(value: string, secure: boolean, maxAge: number): string {
  // Lax, not Strict: Exact's redirect back is a cross-site top-level navigation, which Strict would strip.
  return `${COOKIE}=${value}; Path=${CALLBACK_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

function cookieValue(request: HttpRequest): string | null {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=') || null;
  }
  return null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a person sees in the browser when Exact sent them back and the connection was not made. */
function refusalPage(status: number, title: string, detail: string, secure: boolean): HttpResponseInit {
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>AutoInvoice: ${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p><p>Nothing was changed: an existing connection stays as it was.</p></html>`;
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'set-cookie': consentCookie('', secure, 0) },
    body,
  };
}

/** Exact sends `?error=…` instead of a code when the consent did not happen (RFC 6749 §4.1.2.1). */
function exactError(request: HttpRequest): { title: string; detail: string } | null {
  const error = request.query.get('error');
  if (!error) return null;
  if (error === 'access_denied') {
    return {
      title: 'Connecting was declined in Exact',
      detail:
        'The Exact user did not allow AutoInvoice access. To connect, open the connect link again and allow access.',
    };
  }
  const code = error.replace(/[^a-z_]/gi, '').slice(0, 40);
  return {
    title: 'Exact did not connect',
    detail: `Exact answered "${code}" instead of a consent; open the connect link again.`,
  };
}

/** GET /api/exact/connect?tenant=<name> — sends the Exact user to Exact's consent page (protected). */
export async function exactConnect(request: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const name = request.query.get('tenant') ?? (rt.tenants.length === 1 ? rt.tenants[0]!.name : null);
  const tenant = name ? tenantById(rt, name) : undefined;
  if (!tenant) return { status: 404, jsonBody: { error: 'unknown tenant: pass ?tenant=<name>' } };
  const { url, browserKey } = await tenant.connection.authorizeUrl();
  const secure = tenant.settings.ExactRedirectUri.startsWith('https:');
  return { status: 302, headers: { location: url, 'set-cookie': consentCookie(browserKey, secure, 600) } };
}

/**
 * GET /api/exact/callback?code&state — Exact redirects here. The state names the tenant; the cookie
 * proves the browser is the one that started; the granted divisions must fit the tenant.
 */
export async function exactCallback(
  request: HttpRequest,
  _ctx: InvocationContext,
): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const secure = request.url.startsWith('https:');
  const declined = exactError(request);
  if (declined) return refusalPage(400, declined.title, declined.detail, secure);
  const code = request.query.get('code');
  const state = request.query.get('state');
  if (!code || !state) return { status: 400, jsonBody: { error: 'code and state are required' } };
  try {
    const result = await rt.completeExactConnection(code, state, cookieValue(request));
    const tenant = tenantById(rt, result.tenant)!;
    const connected = await afterConnect(
      masterDataPorts(tenant),
      {
        tenant: tenant.context,
        directory: tenant.directory,
        ledger: rt.ledger,
        queue: rt.queue,
        clock: rt.clock,
      },
      subscribeDeps(rt, tenant),
    );
    return {
      status: 200,
      headers: { 'set-cookie': consentCookie('', secure, 0) },
      jsonBody: {
        connected: true,
        tenant: result.tenant,
        divisions: result.divisions,
        sync: connected.sync,
        resumedInvoices: connected.resumedInvoices,
        webhooks: connected.webhooks,
      },
    };
  } catch (err) {
    if (err instanceof ConsentRefusedError)
      return refusalPage(403, 'This Exact consent cannot connect the tenant', err.message, secure);
    if (err instanceof OAuthStateError) {
      // The state's own text says why; the page adds what the person can do about it.
      const todo =
        'Open the connect link (/api/exact/connect?tenant=<name>) again, in the browser you consent in.';
      return refusalPage(400, 'This connection attempt is not valid', `${err.message}. ${todo}`, secure);
    }
    return refusalPage(400, 'Connecting to Exact failed', (err as Error).message, secure);
  }
}

app.http('exactConnect', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'exact/connect',
  handler: exactConnect,
});
app.http('exactCallback', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'exact/callback',
  handler: exactCallback,
});
