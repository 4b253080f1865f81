/**
 * The operator API under /api/console/… (issue 18, PRODUCT.md §14): JSON, and Server-Sent Events for a
 * batch's progress (`Accept: text/event-stream` on dispatch and resend). The console page and the CLI are
 * its only clients; every action is audited. Sign-in: consoleAuth.ts.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { activate } from '../src/app/operator/activate';
import { runBatch, type BatchOrder } from '../src/app/operator/batch';
import { countsOf, planAdministration } from '../src/app/operator/plan';
import { failuresOf, invoicesOf, statusOf } from '../src/app/operator/status';
import { OperatorInputError } from '../src/app/operator/ports';
import {
  ActivateBody,
  bodyOf,
  consoleCall,
  DispatchBody,
  PlanQuery,
  ResendBody,
  tenantOf,
  type ConsoleCall,
} from './consoleDeps';
import { batchAnswer } from './consoleStream';

const query = (req: HttpRequest) => Object.fromEntries(req.query.entries());

/** GET /api/console/status — every tenant: licence, connection, counts, sent per day, budget, failures. */
export const consoleStatus = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async ({ deps }) => ({ status: 200, jsonBody: { tenants: await statusOf(deps) } }));

/** GET /api/console/plan?division=…[&since=YYYY-MM-DD][&rows=id,id][&tenant=…] — the dry run. */
export const consolePlan = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async ({ deps }) => {
    const q = PlanQuery.parse(query(req));
    const plan = await planAdministration(tenantOf(deps, q.tenant), {
      division: q.division,
      ...(q.since ? { since: q.since } : {}),
    });
    if (!q.rows) return { status: 200, jsonBody: plan };
    const rows = new Set(q.rows.toLowerCase().split(','));
    const items = plan.items.filter((i) => i.rowId !== null && rows.has(i.rowId.toLowerCase()));
    return { status: 200, jsonBody: { ...plan, items, counts: countsOf(items) } };
  });

/** POST /api/console/activate {division, since} — switch on with a backlog date; answers the backlog. */
export const consoleActivate = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async ({ deps, who }) => {
    const body = await bodyOf(req, ActivateBody);
    const result = await activate(deps, tenantOf(deps, body.tenant), { who, ...body });
    return { status: 200, jsonBody: result };
  });

/** POST /api/console/dispatch {division} | {rowIds} — a batch, as JSON at the end or as events. */
export const consoleDispatch = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async (call) => {
    const body = await bodyOf(req, DispatchBody);
    return batch(req, call, body.tenant, {
      who: call.who,
      ...(body.division !== undefined ? { division: body.division } : {}),
      ...(body.rowIds ? { rowIds: body.rowIds } : {}),
    });
  });

/** GET /api/console/failures[?reason=…] — failed invoices with their messages, newest first. */
export const consoleFailures = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async ({ deps }) => {
    const q = query(req);
    const failures = await failuresOf(deps, tenantOf(deps, q.tenant), q.reason);
    return { status: 200, jsonBody: { failures } };
  });

/** GET /api/console/invoices?division=… — what the connector did with an administration's invoices. */
export const consoleInvoices = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async ({ deps }) => {
    const q = PlanQuery.pick({ tenant: true, division: true }).parse(query(req));
    const invoices = await invoicesOf(deps, tenantOf(deps, q.tenant), q.division);
    return { status: 200, jsonBody: { invoices } };
  });

/** POST /api/console/resend {reason?} — the failed invoices (of that reason) decided and sent again. */
export const consoleResend = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async (call) => {
    const body = await bodyOf(req, ResendBody);
    const t = tenantOf(call.deps, body.tenant);
    const failed = await failuresOf(call.deps, t, body.reason);
    const rowIds = failed.flatMap((f) => (f.rowId ? [f.rowId] : []));
    if (rowIds.length === 0) throw new OperatorInputError('no failed invoice to resend', 404);
    return batch(req, call, t.name, { who: call.who, rowIds, resend: true });
  });

/** GET /api/console/audit — the operator actions of a tenant, newest first. */
export const consoleAudit = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async ({ deps }) => {
    const t = tenantOf(deps, query(req).tenant);
    return { status: 200, jsonBody: { actions: await deps.audit.list(t.name, 200) } };
  });

/** GET /api/console/connect — the URL a person opens to connect the tenant to Exact Online. */
export const consoleConnect = (req: HttpRequest, _ctx: InvocationContext) =>
  consoleCall(req, async ({ deps, rt }) => {
    const t = tenantOf(deps, query(req).tenant);
    const url = new URL(`/api/exact/connect?tenant=${encodeURIComponent(t.name)}`, req.url).toString();
    // In Azure exact/connect takes the function key (&code=…), which the console never hands out.
    const needsFunctionKey = rt.settings.Mode !== 'local';
    return {
      status: 200,
      jsonBody: { tenant: t.name, connected: await t.isConnected(), url, needsFunctionKey },
    };
  });

async function batch(
  req: HttpRequest,
  { deps }: ConsoleCall,
  tenant: string | undefined,
  order: BatchOrder,
): Promise<HttpResponseInit> {
  const t = tenantOf(deps, tenant);
  const stream = /text\/event-stream/.test(req.headers.get('accept') ?? '');
  if (stream) return batchAnswer((onEvent) => runBatch(deps, t, order, onEvent));
  const result = await runBatch(deps, t, order);
  return { status: 200, jsonBody: result };
}

// authLevel anonymous: a person signs in with Entra ID (consoleAuth.ts); a function key is not a person.
const http = (name: string, methods: ('GET' | 'POST')[], route: string, handler: typeof consoleStatus) =>
  app.http(name, { methods, authLevel: 'anonymous', route: `console/${route}`, handler });
http('consoleStatus', ['GET'], 'status', consoleStatus);
http('consolePlan', ['GET'], 'plan', consolePlan);
http('consoleActivate', ['POST'], 'activate', consoleActivate);
http('consoleDispatch', ['POST'], 'dispatch', consoleDispatch);
http('consoleFailures', ['GET'], 'failures', consoleFailures);
http('consoleResend', ['POST'], 'resend', consoleResend);
http('consoleInvoices', ['GET'], 'invoices', consoleInvoices);
http('consoleAudit', ['GET'], 'audit', consoleAudit);
http('consoleConnect', ['GET'], 'connect', consoleConnect);
