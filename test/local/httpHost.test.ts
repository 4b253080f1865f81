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
 * Starts a chunked POST, sends `prefix` bytes of it and keeps the body open: a host that reads the body
 * before answering can never answer. Resolves with the answer; rejects when none came within 10 s.
 */
function openPost(
  path: string,
  prefix: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x5b);
    let sent = 0;
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port: host.port, method: 'POST', path, headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within 10 s while the body was open (${sent} bytes sent)`));
    }, 10_000);
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', (err) => (answered ? undefined : (clearTimeout(timer), reject(err))));
    const pump = () => {
      while (!answered && sent < prefix) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

describe('the local host and bodies nobody asked for', () => {
  test('when a POST without a key is still streaming its body, then 401 arrives without waiting for the body', async () => {
    const res = await openPost('/api/dataverse/webhook', 4 * MiB, { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/missing or wrong webhook key/);
  });

  test('when a POST with the key streams past 1 MiB and keeps its body open, then 413 arrives at the limit without waiting for the rest', async () => {
    const res = await openPost('/api/dataverse/webhook', 4 * MiB, {
      'content-type': 'application/json',
      'x-autoinvoice-key': 'demo-secret',
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/exceeds 1048576 bytes/);
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
      setTimeout(
        () => (req.destroy(), reject(new Error('no answer within 10 s to the announced size'))),
        10_000,
      ).unref();
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
