/**
 * Test knobs over HTTP under `/_sandbox/…`, mirroring the programmatic API for out-of-process users
 * (`npm start`, benchmarks). Not part of Exact's protocol; never logged, never faulted or limited.
 */
import { type Reply, errorReply, json, parseJsonBody, HttpError } from './http';
import { accountJson } from './inspect';
import type { ExactSandbox, ExactSeed, ExactSeedAccount, ExactSeedInvoice, FaultKind } from './types';

const KINDS: FaultKind[] = ['429', '500', '503', 'timeout', 'lostAfterWork', 'lostBeforeWork'];
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export async function control(
  sb: ExactSandbox,
  method: string,
  pathname: string,
  raw: string,
): Promise<Reply> {
  try {
    const body = method === 'POST' ? parseJsonBody(raw) : {};
    const what = pathname.slice('/_sandbox/'.length);
    if (what === 'clock' && method === 'GET') return json(200, { now: sb.clock.now() });
    if (what === 'clock' && method === 'POST') {
      const at = typeof body.now === 'string' ? Date.parse(body.now) : num(body.now);
      if (at !== undefined) sb.clock.set(at);
      if (num(body.advanceMs) !== undefined) sb.clock.advance(num(body.advanceMs) ?? 0);
      if (num(body.factor) !== undefined) sb.clock.setFactor(num(body.factor) ?? 1);
      return json(200, { now: sb.clock.now() });
    }
    if (what === 'latency' && method === 'POST') return (sb.setLatency(num(body.ms) ?? 0), json(200, {}));
    if (what === 'faults' && method === 'DELETE') return (sb.clearFaults(), json(200, {}));
    if (what === 'faults' && method === 'POST') {
      const kind = body.kind as FaultKind;
      if (!KINDS.includes(kind)) throw new HttpError(400, `kind must be one of ${KINDS.join(', ')}`);
      const path = typeof body.pathRegex === 'string' ? new RegExp(body.pathRegex) : String(body.path ?? '');
      sb.injectFault({
        kind,
        path,
        ...(typeof body.method === 'string' && { method: body.method }),
        ...(num(body.count) !== undefined && { count: num(body.count) }),
        ...(typeof body.body === 'string' && { body: body.body }),
        ...(num(body.holdMs) !== undefined && { holdMs: num(body.holdMs) }),
      });
      return json(201, {});
    }
    if (what === 'scopes' && method === 'GET') return json(200, { scopes: sb.scopes() });
    if (what === 'scopes' && method === 'POST' && Array.isArray(body.scopes))
      return (sb.setScopes(body.scopes.map(String)), json(200, { scopes: sb.scopes() }));
    if (what === 'requests' && method === 'GET') return json(200, sb.requests());
    if (what === 'prints' && method === 'GET') return json(200, sb.prints());
    if (what === 'recipients' && method === 'GET') return json(200, sb.recipients());
    if (what === 'reset' && method === 'POST') return (sb.reset(), json(200, {}));
    if (what === 'seed' && method === 'POST') return (sb.seed(body as unknown as ExactSeed), json(200, {}));
    if (what === 'authorize' && method === 'POST')
      return json(200, await sb.authorize(typeof body.user === 'string' ? body.user : undefined));
    if (what === 'webhooks' && method === 'GET')
      return json(200, { subscriptions: sb.webhookSubscriptions(), deliveries: sb.webhookDeliveries() });
    const created = /^invoices\/(\d+)$/.exec(what);
    if (created && method === 'POST')
      return (
        sb.createInvoiceInExact(Number(created[1]), body as unknown as ExactSeedInvoice),
        json(201, {})
      );
    const inv = /^invoices\/(\d+)\/([^/]+)$/.exec(what);
    if (inv && method === 'GET') {
      const found = sb.invoice(Number(inv[1]), decodeURIComponent(inv[2] ?? ''));
      return found ? json(200, found) : errorReply(404, 'Not found');
    }
    const acc = /^accounts\/(\d+)\/([^/]+)$/.exec(what);
    if (acc && method === 'POST') {
      sb.editAccount(Number(acc[1]), decodeURIComponent(acc[2] ?? ''), body as Partial<ExactSeedAccount>);
      return json(200, {});
    }
    if (acc && method === 'GET') {
      const found = sb.account(Number(acc[1]), decodeURIComponent(acc[2] ?? ''));
      return found ? json(200, accountJson(found)) : errorReply(404, 'Not found');
    }
    return errorReply(404, `Unknown sandbox control ${method} ${pathname}`);
  } catch (err) {
    if (err instanceof HttpError) return errorReply(err.status, err.text);
    return errorReply(400, err instanceof Error ? err.message : 'Bad request');
  }
}
