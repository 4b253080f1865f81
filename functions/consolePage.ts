/**
 * The operator console page (issue 18): static files from `console/` (plain HTML, CSS and JavaScript
 * modules, no build: decision 0093), served by the function app at /api/console and /api/console/assets/….
 * The page itself holds no data: it signs in (Azure: App Service Authentication's /.auth/me token) and calls
 * the operator API, which checks every request. Loaded once per process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** `functions/` under ts-jest, `dist/functions/` when built: the folder is at the repository root. */
const ROOT = [path.resolve(__dirname, '../console'), path.resolve(__dirname, '../../console')].find((p) =>
  fs.existsSync(path.join(p, 'index.html')),
);

export const ASSETS: readonly string[] = ROOT
  ? fs.readdirSync(ROOT).filter((f) => path.extname(f) in TYPES && f !== 'index.html')
  : [];

/** Routes under /api for the local host (which matches exactly). */
export const PAGE_ROUTES: readonly string[] = ['console', ...ASSETS.map((f) => `console/assets/${f}`)];

const cache = new Map<string, string>();

export async function consolePage(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const name = req.params.file ?? /\/console\/assets\/([^/]+)$/.exec(new URL(req.url).pathname)?.[1];
  const file = name === undefined ? 'index.html' : name;
  if (!ROOT || (name !== undefined && !ASSETS.includes(name)))
    return { status: 404, jsonBody: { error: 'no such console file' } };
  if (!cache.has(file)) cache.set(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
  return {
    status: 200,
    headers: {
      'content-type': TYPES[path.extname(file)]!,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      // Only its own scripts and styles, and calls to its own origin (the operator API).
      'content-security-policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    },
    body: cache.get(file)!,
  };
}

app.http('consolePage', { methods: ['GET'], authLevel: 'anonymous', route: 'console', handler: consolePage });
app.http('consoleAssets', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'console/assets/{file}',
  handler: consolePage,
});
