import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HttpRequest,
  InvocationContext,
  type HttpRequestInit,
  type HttpResponseInit,
} from '@azure/functions';
import { cappedBody } from './requestBody';

export type FunctionHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export interface Route {
  method: string;
  /** Path under /api, e.g. `dataverse/webhook`. */
  route: string;
  name: string;
  handler: FunctionHandler;
}

/**
 * Serves the same exported function handlers that Azure registers, on 127.0.0.1 under /api/…,
 * building real `HttpRequest` / `InvocationContext` objects. Function keys are not checked here:
 * the local host only listens on loopback (PRODUCT.md §10).
 *
 * Bodies are never read by the host: the handler gets them as a stream (as Azure's HTTP streaming does),
 * so it authenticates from the headers first and reads only what it accepts. A body announced or
 * streaming past `maxBodyBytes` is refused (413) or cut at that size; a body left unread ends the
 * connection, so nobody can make the host swallow a gigabyte.
 */
export async function startHttpHost(
  routes: Route[],
  options: {
    port: number;
    host?: string;
    maxBodyBytes?: number;
    log?: (level: string, line: string) => void;
  },
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    void handle(
      routes,
      req,
      res,
      { host, maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES },
      options.log,
    ).catch((err: Error) => {
      options.log?.('error', `local host: ${err.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} on ${host} is in use: stop the other process or set PORT`)
          : err,
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

/** No function takes more (Dataverse truncates webhook bodies at 256 KB). */
const MAX_BODY_BYTES = 1024 * 1024;

async function handle(
  routes: Route[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  o: { host: string; maxBodyBytes: number },
  log?: (level: string, line: string) => void,
): Promise<void> {
  if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
    // DNS rebinding: a web page whose name resolves to 127.0.0.1 still sends its own name as Host.
    return answer(req, res, {
      status: 403,
      jsonBody: { error: 'the local host answers only to Host 127.0.0.1, localhost or [::1]' },
    });
  }
  // The Host header passed the loopback check above: it names the port the caller reached.
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? o.host}`);
  const path = url.pathname.replace(/^\/api\//, '').replace(/\/$/, '');
  const route = routes.find((r) => r.route === path && r.method === req.method);
  if (!route) {
    const known = routes.some((r) => r.route === path);
    const error = known ? `method ${req.method} not allowed` : `no function at ${url.pathname}`;
    return answer(req, res, { status: known ? 405 : 404, jsonBody: { error } });
  }
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > o.maxBodyBytes) {
    return answer(req, res, {
      status: 413,
      jsonBody: { error: `body of ${announced} bytes exceeds ${o.maxBodyBytes}` },
    });
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  // As Azure's front end does: the caller's address, never what the caller claims (the console checks it).
  headers.set('x-forwarded-for', req.socket.remoteAddress ?? '');
  const method = req.method ?? 'GET';
  const withBody = method !== 'GET' && method !== 'HEAD';
  // The library's own streaming path builds the request from a fetch Request the same way.
  const nativeRequest = new Request(url, {
    method,
    headers,
    ...(withBody ? { body: cappedBody(req, o.maxBodyBytes), duplex: 'half' } : {}),
  } as RequestInit);
  const request = new HttpRequest({
    nativeRequest,
    query: Object.fromEntries(url.searchParams),
  } as HttpRequestInit);
  const context = new InvocationContext({
    functionName: route.name,
    logHandler: (level, ...args) => log?.(level, args.map(String).join(' ')),
  });
  answer(req, res, await route.handler(request, context));
}

/** Writes the answer; a request whose body was not read to its end loses its connection after it. */
function answer(req: http.IncomingMessage, res: http.ServerResponse, result: HttpResponseInit): void {
  const status = result.status ?? 200;
  const outHeaders: Record<string, string> = {};
  if (result.headers)
    new Headers(result.headers as ConstructorParameters<typeof Headers>[0]).forEach(
      (v, k) => (outHeaders[k] = v),
    );
  // Node then ends the connection after the answer and discards what still arrives; a client that
  // keeps sending regardless is cut off.
  const unread = !req.complete;
  if (unread) outHeaders.connection = 'close';
  const done = () => {
    if (unread) setTimeout(() => req.socket.destroy(), 2_000).unref();
  };
  if (result.jsonBody !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json', ...outHeaders });
    res.end(JSON.stringify(result.jsonBody), done);
  } else if (result.body instanceof ReadableStream) {
    // A streamed answer (Server-Sent Events of the console), as Azure's HTTP streaming sends it.
    res.writeHead(status, outHeaders);
    void streamTo(result.body, res)
      .catch(() => undefined)
      .finally(done);
  } else {
    res.writeHead(status, outHeaders);
    res.end(typeof result.body === 'string' ? result.body : '', done);
  }
}

async function streamTo(body: ReadableStream<Uint8Array>, res: http.ServerResponse): Promise<void> {
  const reader = body.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) res.write(r.value);
  } finally {
    res.end();
  }
}
