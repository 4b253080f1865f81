/**
 * The local HTTP host (`npm start`) under hostile requests: bodies are not read before the function
 * authenticated the caller, and never past the limit.
 */
import http from 'node:http';
import { startHttpHost } from '../../src/local/httpHost';
import { loadFunctionRoutes } from '../../src/local/routes';
import { useLocalStack } from '../support/localStack';

const env = useLocalStack();
let host: Awaited<ReturnType<typeof startHttpHost>>;
beforeAll(async () => {
  void env;
  host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
});
afterAll(() => host.close());

const MiB = 1024 * 1024;

/**
 * Streams `total` bytes of body (never allocated at once) and stops when the answer arrives.
 * `sent`: bytes the client had handed to the socket by then.
 */
function streamPost(
  path: string,
  total: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x5b);
    let sent = 0;
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port: host.port, method: 'POST', path, headers });
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sent: at });
      });
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('the local host and bodies nobody asked for', () => {
  test('when a POST without a key streams 128 MiB, then 401 arrives before 32 MiB were sent', async () => {
    const res = await streamPost('/api/dataverse/webhook', 128 * MiB, { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/missing or wrong webhook key/);
    expect(res.sent).toBeLessThan(32 * MiB);
  });

  test('when a POST with the key streams 128 MiB, then 413 arrives once the limit is passed, before 32 MiB were sent', async () => {
    const res = await streamPost('/api/dataverse/webhook', 128 * MiB, {
      'content-type': 'application/json',
      'x-autoinvoice-key': 'demo-secret',
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/exceeds 1048576 bytes/);
    expect(res.sent).toBeLessThan(32 * MiB);
  });

  test('when a POST announces 1 GiB, then 413 arrives before any of it is sent', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: '/api/dataverse/webhook',
        headers: { 'content-length': String(1024 * MiB) },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () => (req.destroy(), resolve({ status: r.statusCode ?? 0, body })));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/body of 1073741824 bytes exceeds 1048576/);
  });
});

describe('the local host and the names it answers to', () => {
  const getWithHost = (hostHeader: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: host.port,
        method: 'GET',
        path: '/api/health',
        headers: { host: hostHeader },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  test.each(['evil.example', 'evil.example:7071', '127.0.0.1.nip.io', 'localhost.evil.example', '10.0.0.5'])(
    'when the Host header is %s (DNS rebinding), then 403 and no function runs',
    async (name) => {
      const res = await getWithHost(name);
      expect(res.status).toBe(403);
      expect(res.body).toContain('answers only to Host 127.0.0.1, localhost or [::1]');
    },
  );

  test.each(['127.0.0.1', `127.0.0.1:${7071}`, 'localhost', 'LOCALHOST:8080', '[::1]', '[::1]:7071'])(
    'when the Host header is %s, then the function answers',
    async (name) => {
      expect((await getWithHost(name)).status).toBe(200);
    },
  );
});
