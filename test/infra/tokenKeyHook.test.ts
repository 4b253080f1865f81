import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * infra/hooks/token-key.js against a local stand-in for the Key Vault secrets API (REST 7.4: GET
 * /secrets/{name} → 200 or 404 SecretNotFound; PUT sets a value; 409 when the name is soft-deleted;
 * 403 while a fresh role assignment propagates). Plain JS required as azd runs it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hook = require('../../infra/hooks/token-key.js') as {
  SECRET_NAME: string;
  ensureTokenKey(o: {
    vaultUri: string;
    getToken: () => Promise<string>;
    sleep?: (ms: number) => Promise<void>;
    log?: (l: string) => void;
  }): Promise<'kept' | 'created'>;
};

interface Vault {
  secrets: Map<string, string>;
  deleted: Set<string>;
  forbiddenReads: number;
  requests: string[];
}
let server: Server;
let vault: Vault;
let uri: string;

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://vault');
    vault.requests.push(
      `${req.method} ${url.pathname}?${url.searchParams.toString()} ${req.headers.authorization ?? ''}`,
    );
    const name = /^\/secrets\/([\w-]+)$/.exec(url.pathname)?.[1];
    const send = (status: number, json: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (!name || url.searchParams.get('api-version') !== '7.4')
      return send(400, { error: { code: 'BadParameter' } });
    if (req.headers.authorization !== 'Bearer vault-token')
      return send(401, { error: { code: 'Unauthorized' } });
    if (req.method === 'GET') {
      if (vault.forbiddenReads > 0)
        return (vault.forbiddenReads--, send(403, { error: { code: 'Forbidden' } }));
      const value = vault.secrets.get(name);
      return value === undefined
        ? send(404, { error: { code: 'SecretNotFound' } })
        : send(200, { value, id: `${uri}secrets/${name}/1` });
    }
    if (req.method === 'PUT') {
      if (vault.deleted.has(name))
        return send(409, {
          error: { code: 'Conflict', message: 'Secret is currently in a deleted but recoverable state' },
        });
      const parsed = JSON.parse(await body(req)) as { value: string };
      vault.secrets.set(name, parsed.value);
      return send(200, { id: `${uri}secrets/${name}/2`, attributes: { enabled: true } });
    }
    return send(405, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);
beforeEach(() => {
  vault = { secrets: new Map(), deleted: new Set(), forbiddenReads: 0, requests: [] };
});

const run = (log: string[] = []) =>
  hook.ensureTokenKey({
    vaultUri: uri,
    getToken: async () => 'vault-token',
    sleep: async () => undefined,
    log: (l) => log.push(l),
  });

describe('infra/hooks/token-key.js (azd postprovision)', () => {
  test('when the vault has no key, then it stores 32 random bytes, base64, and prints no value', async () => {
    const log: string[] = [];
    expect(await run(log)).toBe('created');
    const key = vault.secrets.get('token-encryption-key')!;
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(Buffer.from(key, 'base64').toString('base64')).toBe(key);
    expect(log.join('\n')).not.toContain(key);
    expect(vault.requests.map((r) => r.split(' ')[0])).toEqual(['GET', 'PUT']);
  });

  test('when a key exists, then a later deployment keeps it and writes nothing', async () => {
    vault.secrets.set('token-encryption-key', 'existing-key');
    expect(await run()).toBe('kept');
    expect(vault.secrets.get('token-encryption-key')).toBe('existing-key');
    expect(vault.requests.filter((r) => r.startsWith('PUT'))).toEqual([]);
  });

  test('when two fresh vaults each get a key, then the keys differ', async () => {
    await run();
    const first = vault.secrets.get('token-encryption-key');
    vault.secrets.clear();
    await run();
    expect(vault.secrets.get('token-encryption-key')).not.toBe(first);
  });

  test('when the key was soft-deleted, then it stops and asks to recover it instead of creating a new key', async () => {
    vault.deleted.add('token-encryption-key');
    await expect(run()).rejects.toThrow(/deleted but recoverable: recover it/);
    expect(vault.secrets.size).toBe(0);
  });

  test('when the role assignment is still propagating (403), then it waits and retries, then creates the key', async () => {
    vault.forbiddenReads = 2;
    const log: string[] = [];
    expect(await run(log)).toBe('created');
    expect(log.filter((l) => l.includes('403'))).toHaveLength(2);
  });

  test('when Key Vault refuses for another reason, then it fails naming the status only', async () => {
    await expect(
      hook.ensureTokenKey({
        vaultUri: uri,
        getToken: async () => 'wrong-token',
        sleep: async () => undefined,
        log: () => undefined,
      }),
    ).rejects.toThrow('Key Vault answered 401 reading token-encryption-key');
  });

  test('when azd runs it without a vault in the environment, then it exits 2 and says what to pass', () => {
    const env = { ...process.env };
    delete env.AZURE_KEY_VAULT_ENDPOINT;
    const res = spawnSync(process.execPath, [join(__dirname, '../../infra/hooks/token-key.js')], {
      env,
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('pass --vault-uri or set AZURE_KEY_VAULT_ENDPOINT');
  });
});
