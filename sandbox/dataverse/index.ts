import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { generate } from 'selfsigned';
import { TokenIssuer } from './auth';
import { errorResponse, handleBatch } from './batch';
import { MailSandbox, type ServerSideSyncMode, type ServerSideSyncOptions } from './mail';
import { MetadataSandbox } from './metadata';
import { installSolution } from './solution';
import { tableView } from './columns';
import { checkSeedRow } from './validate';
import { CustomizationSandbox } from './customizations';
import { entityBySet, ERR, type Row } from './model';
import { Store, type DataverseSeed } from './store';
import { WebApi, type ApiResponse } from './webapi';

export type { DataverseSeed } from './store';
export type {
  MailSandbox,
  PartyView,
  SandboxAttachment,
  ServerSideSyncMode,
  ServerSideSyncOptions,
} from './mail';

export interface DataverseSandboxOptions {
  port?: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  organizationId?: string;
  /** `organization.languagecode`: 1043 Dutch (default), 1033 English. */
  languageCode?: number;
  /**
   * Whether the AutoInvoice solution is installed (default true): its tables, columns, choices and keys
   * exist as `npm run dataverse -- provision` makes them. false = a fresh environment: the eol_ entity
   * sets answer 404 until provisioning creates them.
   */
  provisioned?: boolean;
  /**
   * Server-side synchronization of emails handed over by SendEmail (mail.ts): its mode (default `send`)
   * and, for the demo, a delay after which it runs by itself. Without `delayMs` it runs only when a test
   * calls `mail.runServerSideSync()` (or POST `/_sandbox/mail/sync`).
   */
  serverSideSync?: ServerSideSyncOptions;
}

export interface SandboxRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  body?: unknown;
  at: number;
}

export interface ThrottleRule {
  method?: string;
  /** A string matches Web API paths starting with it (relative to `/api/data/v9.2/`, or absolute). */
  path: string | RegExp;
  count?: number;
  retryAfterSeconds?: number;
}

export interface DataverseSandbox {
  /** Web API server root for dynamics-web-api `serverUrl` (http, trailing slash). */
  url: string;
  /** `https://127.0.0.1:<port>/<tenantId>` for msal-node. */
  authority: string;
  /** PEM of the self-signed certificate the https side uses; trust it explicitly. */
  caCertPem: string;
  /** The application user the client credentials act as (WhoAmI). */
  applicationUserId: string;
  close(): Promise<void>;
  seed(seed: DataverseSeed): void;
  reset(): void;
  rows(entitySet: string): Array<Record<string, unknown>>;
  row(entitySet: string, id: string): Record<string, unknown> | undefined;
  injectThrottle(o: ThrottleRule): void;
  requests(): SandboxRequest[];
  /** The client secret and every access token issued, so tests can assert none of them leaks. */
  issuedSecrets(): string[];
  /** Refuses every access token issued so far (a revoked or rotated credential): the next request gets 401. */
  revokeTokens(): void;
  /** Table/column metadata and webhook registrations (EntityDefinitions, serviceendpoints, …). */
  metadata: MetadataSandbox;
  /** Forms, views, apps, site maps, commands, roles, publishers and solutions. */
  customizations: CustomizationSandbox;
  /** Dynamics 365 email: server-side sync knobs and email/party/attachment inspection (mail.ts). */
  mail: MailSandbox;
}

const API = '/api/data/v9.2/';

export async function startDataverseSandbox(opts: DataverseSandboxOptions = {}): Promise<DataverseSandbox> {
  const tenantId = opts.tenantId ?? '11111111-1111-4111-8111-111111111111';
  const clientId = opts.clientId ?? '22222222-2222-4222-8222-222222222222';
  const clientSecret = opts.clientSecret ?? 'sandbox-client-secret';
  const organizationId = (opts.organizationId ?? '33333333-3333-4333-8333-333333333333').toLowerCase();
  const applicationUserId = randomUUID();
  const businessUnitId = randomUUID();
  let port = 0;
  const url = (): string => `http://127.0.0.1:${port}/`;

  const store = new Store();
  const baseSeed = (): DataverseSeed => ({
    organizations: [
      {
        organizationid: organizationId,
        name: 'AutoInvoice Sandbox',
        languagecode: opts.languageCode ?? 1043,
      },
    ],
    systemusers: [
      {
        systemuserid: applicationUserId,
        fullname: '# AutoInvoice',
        applicationid: clientId,
        isdisabled: false,
      },
    ],
  });
  store.seed(baseSeed());
  const metadata = new MetadataSandbox(() => `${url()}api/data/v9.2/`);
  if (opts.provisioned !== false) installSolution(metadata);
  const customizations = new CustomizationSandbox(
    store,
    () => metadata.store,
    () => `${url()}api/data/v9.2/`,
    () => businessUnitId,
  );
  const mail = new MailSandbox(store, opts.serverSideSync);
  const api = new WebApi(
    store,
    () => `${url()}api/data/v9.2/`,
    () => ({ userId: applicationUserId, businessUnitId, organizationId }),
    metadata,
    customizations,
    mail,
  );
  const issuer = new TokenIssuer({
    tenantId,
    clientId,
    clientSecret,
    resource: () => url().replace(/\/$/, ''),
    issuerOrigin: () => `https://127.0.0.1:${port}`,
  });
  const log: SandboxRequest[] = [];
  let throttles: Array<Required<Omit<ThrottleRule, 'method'>> & { method?: string }> = [];

  const throttled = (method: string, relative: string): ApiResponse | null => {
    const rule = throttles.find(
      (r) =>
        (!r.method || r.method.toUpperCase() === method) &&
        (typeof r.path === 'string'
          ? relative.startsWith(r.path.replace(API, '').replace(/^\//, ''))
          : r.path.test(relative)),
    );
    if (!rule) return null;
    rule.count -= 1;
    throttles = throttles.filter((r) => r.count > 0);
    return errorResponse(ERR.throttled(rule.retryAfterSeconds));
  };

  const webApi = (
    req: http.IncomingMessage,
    relative: string,
    query: Record<string, string>,
    raw: string,
  ): { res: ApiResponse; logged: unknown } => {
    const method = req.method ?? 'GET';
    if (!issuer.accepts(req.headers.authorization)) {
      return {
        res: {
          status: 401,
          headers: {
            'WWW-Authenticate': `Bearer authorization_uri=https://127.0.0.1:${port}/${tenantId}/oauth2/authorize, resource_id=${url()}`,
          },
        },
        logged: undefined,
      };
    }
    const limited = throttled(method, relative);
    if (limited) return { res: limited, logged: undefined };
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    if (relative === '$batch' && method === 'POST') {
      const inner: unknown[] = [];
      const out = handleBatch(
        headers['content-type'] ?? '',
        raw,
        headers.prefer ?? '',
        (r) => {
          inner.push({ method: r.method, path: API + r.path, query: r.query, body: r.body });
          return api.handle(r);
        },
        (run) => store.transaction(run),
      );
      return {
        res: {
          status: 200,
          headers: { 'Content-Type': out.contentType, 'OData-Version': '4.0' },
          body: out.body,
        },
        logged: inner,
      };
    }
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return { res: errorResponse(ERR.badRequest('The request body is not valid JSON.')), logged: raw };
    }
    try {
      return { res: api.handle({ method, path: relative, query, headers, body }), logged: body };
    } catch (err) {
      return { res: errorResponse(err), logged: body };
    }
  };

  const inspect = (method: string, path: string, raw: string): ApiResponse | null => {
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (method === 'GET' && path === '/_sandbox/requests') return jsonRes(200, log);
    if (method === 'POST' && path === '/_sandbox/reset')
      return (sandbox.reset(), { status: 204, headers: {} });
    if (method === 'POST' && path === '/_sandbox/seed')
      return (sandbox.seed(body as DataverseSeed), { status: 204, headers: {} });
    if (method === 'POST' && path === '/_sandbox/throttle') {
      const p = body.path;
      const rule: ThrottleRule = {
        path: typeof p === 'string' ? p : new RegExp(String((p as { regex?: string })?.regex ?? '.*')),
      };
      if (typeof body.method === 'string') rule.method = body.method;
      if (typeof body.count === 'number') rule.count = body.count;
      if (typeof body.retryAfterSeconds === 'number') rule.retryAfterSeconds = body.retryAfterSeconds;
      return (sandbox.injectThrottle(rule), { status: 204, headers: {} });
    }
    if (method === 'POST' && path === '/_sandbox/mail/sync') return jsonRes(200, mail.runServerSideSync());
    if (method === 'POST' && path === '/_sandbox/mail/mode' && SYNC_MODES.includes(String(body.mode))) {
      const address = typeof body.mailbox === 'string' ? body.mailbox : undefined;
      mail.setServerSideSync(body.mode as ServerSideSyncMode, address);
      return { status: 204, headers: {} };
    }
    const rows = /^\/_sandbox\/rows\/(\w+)$/.exec(path);
    if (method === 'GET' && rows) return jsonRes(200, sandbox.rows(rows[1]!));
    return null;
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(parsed.searchParams);
      const method = req.method ?? 'GET';
      let out: ApiResponse;
      let logged: unknown;
      try {
        if (parsed.pathname.startsWith(API)) {
          ({ res: out, logged } = webApi(req, parsed.pathname.slice(API.length), query, raw));
        } else if (parsed.pathname.startsWith('/_sandbox/')) {
          out = inspect(method, parsed.pathname, raw) ?? jsonRes(404, { error: 'unknown sandbox endpoint' });
        } else {
          const form = new URLSearchParams(raw);
          out =
            (issuer.handle(method, parsed.pathname, form) as ApiResponse | null) ??
            errorResponse(ERR.noSegment(parsed.pathname));
          // Never keep the client secret: log only the non-secret form fields.
          logged = raw
            ? {
                grant_type: form.get('grant_type'),
                client_id: form.get('client_id'),
                scope: form.get('scope'),
              }
            : undefined;
        }
      } catch (err) {
        out = errorResponse(err);
      }
      if (!parsed.pathname.startsWith('/_sandbox/')) {
        log.push({
          method,
          path: parsed.pathname,
          query,
          status: out.status,
          ...(logged === undefined ? {} : { body: logged }),
          at: Date.now(),
        });
      }
      const payload =
        out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
      res.writeHead(out.status, { ...out.headers, 'Content-Length': Buffer.byteLength(payload) });
      res.end(payload);
    });
  };

  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const plain = http.createServer(handler);
  const secure = https.createServer({ key: pems.private, cert: pems.cert }, handler);
  const sockets = new Set<net.Socket>();
  // One port for both protocols: a TLS ClientHello starts with 0x16, plain HTTP with a method name.
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (front.address() as net.AddressInfo).port;

  const sandbox: DataverseSandbox = {
    url: url(),
    authority: `https://127.0.0.1:${port}/${tenantId}`,
    caCertPem: pems.cert,
    applicationUserId,
    close: async () => {
      mail.close();
      for (const s of sockets) s.destroy();
      plain.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
    seed: (seed) => {
      for (const [set, rows] of Object.entries(seed)) {
        const view = tableView(metadata.store, set);
        if (!view) throw new Error(`sandbox: seed for ${set}, a table this environment does not hold`);
        for (const row of rows) checkSeedRow(view, row);
      }
      store.seed(seed);
    },
    reset: () => {
      store.clear();
      store.seed(baseSeed());
      metadata.reset();
      customizations.reset();
      mail.reset();
      if (opts.provisioned !== false) installSolution(metadata);
      log.length = 0;
      throttles = [];
    },
    rows: (set) => [...store.table(known(set)).values()].map((r) => withEtag(store, r)),
    row: (set, id) => {
      const r = store.table(known(set)).get(id.toLowerCase());
      return r ? withEtag(store, r) : undefined;
    },
    injectThrottle: (o) => {
      throttles.push({
        path: o.path,
        count: o.count ?? 1,
        retryAfterSeconds: o.retryAfterSeconds ?? 1,
        ...(o.method ? { method: o.method } : {}),
      });
    },
    requests: () => log.map((r) => ({ ...r })),
    issuedSecrets: () => [clientSecret, ...issuer.issued()],
    revokeTokens: () => issuer.revokeAll(),
    metadata,
    customizations,
    mail,
  };
  return sandbox;
}

const SYNC_MODES: readonly string[] = ['send', 'fail', 'hold'] satisfies ServerSideSyncMode[];

function known(set: string): string {
  if (!entityBySet(set)) throw new Error(`sandbox: unknown entity set ${set}`);
  return set;
}

function withEtag(store: Store, row: Row): Row {
  return { ...structuredClone(row), '@odata.etag': store.etag(row) };
}

function jsonRes(status: number, body: unknown): ApiResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body };
}
