import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { resumeAfterReconnect } from '../src/app/reconnect';
import { getRuntime, tenantById } from '../src/composition/runtime';

/** GET /api/exact/connect?tenant=<name> — sends the Exact user to Exact's consent page (protected). */
export async function exactConnect(request: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const name = request.query.get('tenant') ?? (rt.tenants.length === 1 ? rt.tenants[0]!.name : null);
  const tenant = name ? tenantById(rt, name) : undefined;
  if (!tenant) return { status: 404, jsonBody: { error: 'unknown tenant: pass ?tenant=<name>' } };
  return { status: 302, headers: { location: await tenant.connection.authorizeUrl() } };
}

/** GET /api/exact/callback?code&state — Exact redirects here; the state names and authenticates the tenant. */
export async function exactCallback(request: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const code = request.query.get('code');
  const state = request.query.get('state');
  if (!code || !state) return { status: 400, jsonBody: { error: 'code and state are required' } };
  try {
    const result = await rt.completeExactConnection(code, state);
    const tenant = tenantById(rt, result.tenant)!;
    const resumed = await resumeAfterReconnect({ tenant: tenant.context, directory: tenant.directory, ledger: rt.ledger, queue: rt.queue, clock: rt.clock });
    return { status: 200, jsonBody: { connected: true, tenant: result.tenant, divisions: result.divisions, resumedInvoices: resumed } };
  } catch (err) {
    return { status: 400, jsonBody: { error: `connection failed: ${(err as Error).message}` } };
  }
}

app.http('exactConnect', { methods: ['GET'], authLevel: 'function', route: 'exact/connect', handler: exactConnect });
app.http('exactCallback', { methods: ['GET'], authLevel: 'anonymous', route: 'exact/callback', handler: exactCallback });
