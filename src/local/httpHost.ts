import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';

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
 */
export async function startHttpHost(
  routes: Route[],
  options: { port: number; host?: string; log?: (level: string, line: string) => void },
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    void handle(routes, req, res, host, options.log).catch((err: Error) => {
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

async function handle(
  routes: Route[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  host: string,
  log?: (level: string, line: string) => void,
): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${host}`);
  const path = url.pathname.replace(/^\/api\//, '').replace(/\/$/, '');
  const route = routes.find((r) => r.route === path && r.method === req.method);
  if (!route) {
    const known = routes.some((r) => r.route === path);
    res.writeHead(known ? 405 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: known ? `method ${req.method} not allowed` : `no function at ${url.pathname}`,
      }),
    );
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const request = new HttpRequest({
    method: req.method ?? 'GET',
    url: url.toString(),
    headers,
    query: Object.fromEntries(url.searchParams),
    body: body.length ? { bytes: body } : undefined,
  });
  const context = new InvocationContext({
    functionName: route.name,
    logHandler: (level, ...args) => log?.(level, args.map(String).join(' ')),
  });
  const result = await route.handler(request, context);
  const status = result.status ?? 200;
  const outHeaders: Record<string, string> = {};
  if (result.headers)
    new Headers(result.headers as ConstructorParameters<typeof Headers>[0]).forEach(
      (v, k) => (outHeaders[k] = v),
    );
  if (result.jsonBody !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json', ...outHeaders });
    res.end(JSON.stringify(result.jsonBody));
  } else {
    res.writeHead(status, outHeaders);
    res.end(typeof result.body === 'string' ? result.body : '');
  }
}
