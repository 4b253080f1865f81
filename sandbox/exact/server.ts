/**
 * The sandbox process: a plain node:http server on 127.0.0.1 with the test knobs around the gate
 * (latency, faults, request log). Knobs left alone change nothing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock } from './clock';
import { control } from './control';
import { Faults, faultReply } from './faults';
import { type Gate, route } from './gate';
import { errorReply, readBody, send } from './http';
import { ErrorBlock, RateLimits } from './limits';
import { OAuth } from './oauth';
import { addInvoice, Store } from './store';
import { Webhooks } from './webhooks';
import { editAccount, recipientsOf } from './inspect';
import { documentPdf, removeAttachment } from './documents';
import type { ExactSandbox, ExactSandboxOptions, ExactSeed, RequestRecord } from './types';

const DEFAULTS = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  redirectUri: 'http://127.0.0.1:7071/api/exact/callback',
  minutelyLimit: 60,
  dailyLimit: 5000,
  webhookSecret: 'sandbox-webhook-secret',
};
const TOKEN_FIELDS = ['client_secret', 'code', 'refresh_token'];

/** Parsed body for the request log; secrets sent to the token endpoint are replaced. */
function logBody(pathname: string, raw: string): unknown {
  if (!raw) return undefined;
  if (pathname === '/api/oauth2/token') {
    const form = Object.fromEntries(new URLSearchParams(raw));
    for (const f of TOKEN_FIELDS) if (f in form) form[f] = '[redacted]';
    return form;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export async function startExactSandbox(opts: ExactSandboxOptions = {}): Promise<ExactSandbox> {
  const clock = createClock(opts.now);
  const store = new Store();
  let lastSeed: ExactSeed = opts.seed ?? { divisions: [] };
  store.load(lastSeed, clock.now());
  const minutelyLimit = opts.minutelyLimit ?? DEFAULTS.minutelyLimit;
  const redirectUris = [opts.redirectUri ?? DEFAULTS.redirectUri].flat();
  const oauth = new OAuth(
    {
      clientId: opts.clientId ?? DEFAULTS.clientId,
      clientSecret: opts.clientSecret ?? DEFAULTS.clientSecret,
      redirectUris,
      ...(opts.scopes ? { scopes: opts.scopes } : {}),
    },
    store,
    clock.now,
  );
  const limits = new RateLimits(minutelyLimit, opts.dailyLimit ?? DEFAULTS.dailyLimit);
  const block = new ErrorBlock();
  const faults = new Faults();
  const log: RequestRecord[] = [];
  const holds = new Set<NodeJS.Timeout>();
  let latencyMs = opts.latencyMs ?? 0;
  const webhooks = new Webhooks(
    {
      clientId: opts.clientId ?? DEFAULTS.clientId,
      secret: opts.webhookSecret ?? DEFAULTS.webhookSecret,
      redirectUris,
      validationDelayMs: opts.webhookDelays?.validationMs,
      deliveryDelayMs: opts.webhookDelays?.deliveryMs,
    },
    clock.now,
    () => gate.base,
  );
  store.onChange = (division, topic, key, action) => webhooks.changed(division, topic, key, action);
  const gate: Gate = { store, oauth, limits, block, now: clock.now, base: '', webhooks };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const query = Object.fromEntries(url.searchParams);
      const rawBody = await readBody(req);
      if (url.pathname.startsWith('/_sandbox/'))
        return send(res, await control(sandbox, method, url.pathname, rawBody));
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const entry: RequestRecord = { method, path: url.pathname, query, status: 0, at: clock.now() };
      const body = logBody(url.pathname, rawBody);
      if (body !== undefined) entry.body = body;
      log.push(entry);
      const fault = faults.take(method, url.pathname);
      if (fault) entry.fault = fault.kind;
      if (fault?.kind === 'lostBeforeWork') return void req.socket.destroy();
      if (fault?.kind === 'timeout') {
        const t = setTimeout(() => (holds.delete(t), req.socket.destroy()), fault.holdMs);
        holds.add(t);
        return;
      }
      const reply =
        fault && fault.kind !== 'lostAfterWork'
          ? faultReply(fault.kind, fault.body, clock.now(), minutelyLimit)
          : await route(gate, {
              method,
              pathname: url.pathname,
              query,
              rawBody,
              authorization: req.headers.authorization,
              accept: req.headers.accept,
            });
      entry.status = reply.status;
      if (fault?.kind === 'lostAfterWork') return void req.socket.destroy();
      send(res, reply);
    })().catch((err: unknown) => {
      // Never echo request data: it may hold tokens.
      const text = err instanceof Error ? err.name : 'Error';
      if (!res.headersSent) send(res, errorReply(500, `Sandbox failure: ${text}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gate.base = url;

  const sandbox: ExactSandbox = {
    url,
    close: async () => {
      for (const t of holds) clearTimeout(t);
      holds.clear();
      webhooks.reset();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    seed: (seed) => {
      lastSeed = seed;
      store.load(seed, clock.now());
    },
    reset: () => {
      clock.reset();
      store.load(lastSeed, clock.now());
      store.outbox = [];
      store.documents.clear();
      oauth.reset();
      webhooks.reset();
      limits.reset();
      block.reset();
      faults.clear();
      log.length = 0;
      latencyMs = opts.latencyMs ?? 0;
    },
    clock: { now: clock.now, set: clock.set, advance: clock.advance, setFactor: clock.setFactor },
    injectFault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    requests: () => log.map((r) => ({ ...r, query: { ...r.query } })),
    prints: () => store.outbox.map((p) => ({ ...p, recipients: [...p.recipients] })),
    recipients: () => recipientsOf(store.outbox),
    account: (division, id) => {
      const a = store.divisions.get(division)?.accounts.get(id.trim().toLowerCase());
      return a && { ...a };
    },
    editAccount: (division, id, fields) => editAccount(store, division, id, fields, clock.now()),
    processInExact: (division, id) => {
      const div = store.divisions.get(division);
      const inv = div && store.invoice(division, id);
      if (!div || !inv) throw new Error(`no invoice ${id} in division ${division} of the Exact sandbox`);
      inv.Status = 50;
      inv.InvoiceNumber ??= store.nextInvoiceNumber(div);
      inv.Modified = clock.now();
      store.onInvoiceChange(division, inv.InvoiceID, 'Update');
    },
    removeLayout: (division, id) => {
      store.divisions.get(division)?.layouts.delete(id.trim().toLowerCase());
    },
    invoice: (division, id) => {
      const inv = store.invoice(division, id);
      return inv && { ...inv, Lines: [...inv.Lines] };
    },
    setScopes: (scopes) => oauth.setScopes(scopes),
    scopes: () => [...oauth.scopes()],
    documentPdf: (division, invoiceId) => documentPdf(store, division, invoiceId),
    removeAttachment: (division, invoiceId) => removeAttachment(store, division, invoiceId),
    issuedSecrets: () => oauth.issuedSecrets(),
    authorize: async (userId) => oauth.authorizeDirect(userId),
    createInvoiceInExact: (division, invoice) => {
      const div = store.divisions.get(division);
      if (!div) throw new Error(`no division ${division} in the Exact sandbox`);
      const created = addInvoice(div, invoice, clock.now());
      store.onInvoiceChange(division, created.InvoiceID, 'Create');
    },
    webhookSubscriptions: () => webhooks.subscriptions(),
    webhookDeliveries: () => webhooks.deliveries(),
  };
  return sandbox;
}
