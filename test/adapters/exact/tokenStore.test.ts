/** Token store on Azurite against the Exact sandbox's token rules (rotation, 570 s, old token refusal). */
import nock from 'nock';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { createTableClient } from '../../../src/adapters/store/tables';
import { ExactConnectionLostError } from '../../../src/adapters/exact/errors';
import { createTokenStore, needsRefresh } from '../../../src/adapters/exact/tokenStore';
import { useAzurite } from '../../support/azurite';
import {
  CLIENT,
  captureLog,
  connect,
  findSecrets,
  sandboxClock,
  seed,
  testKey,
  tokenStoreFor,
} from './support';

const azurite = useAzurite();
let sb: ExactSandbox;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(1) });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const tokenCalls = () => sb.requests().filter((r) => r.path === '/api/oauth2/token').length;

describe('needsRefresh', () => {
  test.each([
    { name: 'a fresh token', issuedAt: 0, expiresAt: 600_000, now: 100_000, expected: false },
    { name: '20 s left and 580 s old', issuedAt: 0, expiresAt: 600_000, now: 580_000, expected: true },
    {
      name: '20 s left but only 560 s old (Exact would refuse)',
      issuedAt: 20_000,
      expiresAt: 600_000,
      now: 580_000,
      expected: false,
    },
    { name: 'an expired token', issuedAt: 0, expiresAt: 600_000, now: 600_000, expected: true },
  ])('when $name, then refresh is $expected', ({ issuedAt, expiresAt, now, expected }) => {
    expect(needsRefresh({ issuedAt, expiresAt }, now)).toBe(expected);
  });
});

describe('token store', () => {
  test('when a connection is saved, then the row holds no readable token', async () => {
    const { store, table } = tokenStoreFor(sb, azurite.connectionString);
    await connect(sb, store, 't1');
    const raw = JSON.stringify(
      await createTableClient(azurite.connectionString, table).getEntity('exact-connection', 't1'),
    );
    expect(findSecrets([raw], sb.issuedSecrets())).toEqual([]);
    expect(await store.status('t1')).toMatchObject({ state: 'active', baseUrl: sb.url });
  });

  test('when the access token is young, then it is used without calling the token endpoint', async () => {
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    await connect(sb, store, 't1');
    const before = tokenCalls();
    sb.clock.advance(300_000);
    await store.getAccessToken('t1');
    expect(tokenCalls()).toBe(before);
    expect(store.refreshCount()).toBe(0);
  });

  test('when two instances find the token near expiry at once, then exactly one refresh happens and both get the new token', async () => {
    const first = tokenStoreFor(sb, azurite.connectionString);
    await connect(sb, first.store, 't1');
    const second = createTokenStore({
      table: createTableClient(azurite.connectionString, first.table),
      encryptionKey: first.key,
      client: CLIENT,
      clock: sandboxClock(sb),
    });
    const old = await first.store.getAccessToken('t1');
    sb.clock.advance(585_000);
    const [a, b] = await Promise.all([first.store.getAccessToken('t1'), second.getAccessToken('t1')]);
    expect(a).toBe(b);
    expect(a).not.toBe(old);
    expect(first.store.refreshCount() + second.refreshCount()).toBe(1);
    const refreshes = sb.requests().filter((r) => r.path === '/api/oauth2/token' && r.status === 200);
    expect(refreshes).toHaveLength(1);
  });

  test('when Exact answered 401 to a token another instance already replaced, then the stored token is used without a refresh', async () => {
    const { store, table, key } = tokenStoreFor(sb, azurite.connectionString);
    await connect(sb, store, 't1');
    const stale = 'not-the-stored-token';
    const other = createTokenStore({
      table: createTableClient(azurite.connectionString, table),
      encryptionKey: key,
      client: CLIENT,
      clock: sandboxClock(sb),
    });
    const token = await other.getAccessToken('t1', { rejected: stale });
    expect(token).toBe(await store.getAccessToken('t1'));
    expect(other.refreshCount()).toBe(0);
  });

  test('when the refresh token was revoked by a new login, then the connection is marked lost and stays lost', async () => {
    const { log, lines } = captureLog();
    const { store } = tokenStoreFor(sb, azurite.connectionString, { log });
    await connect(sb, store, 't1');
    await sb.authorize(); // a new consent revokes the stored set
    sb.clock.advance(590_000);
    const err = await store.getAccessToken('t1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactConnectionLostError);
    expect((err as ExactConnectionLostError).reason).toBe('exact_connection_lost');
    expect((err as Error).message).toContain('Old refresh token used');
    expect(await store.status('t1')).toMatchObject({ state: 'lost' });
    const calls = tokenCalls();
    await expect(store.getAccessToken('t1')).rejects.toBeInstanceOf(ExactConnectionLostError);
    expect(tokenCalls()).toBe(calls);
    expect(findSecrets([...lines, String(err), JSON.stringify(err)], sb.issuedSecrets())).toEqual([]);
  });

  test('when markLost is called, then callers get ExactConnectionLostError until re-connected', async () => {
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    await connect(sb, store, 't1');
    await store.markLost('t1', 'revoked by operator');
    await expect(store.getAccessToken('t1')).rejects.toBeInstanceOf(ExactConnectionLostError);
    await connect(sb, store, 't1');
    await expect(store.getAccessToken('t1')).resolves.toEqual(expect.any(String));
  });

  test('when the encryption key is wrong, then the row does not decrypt and no token is returned', async () => {
    const { store, table } = tokenStoreFor(sb, azurite.connectionString);
    await connect(sb, store, 't1');
    const wrong = createTokenStore({
      table: createTableClient(azurite.connectionString, table),
      encryptionKey: testKey(),
      client: CLIENT,
    });
    await expect(wrong.getAccessToken('t1')).rejects.toThrow('does not decrypt');
  });

  test('when the key is not 32 bytes, then the store refuses to start without echoing it', () => {
    expect(() =>
      createTokenStore({
        table: createTableClient(azurite.connectionString, 'x1'),
        encryptionKey: 'c2hvcnQ=',
        client: CLIENT,
      }),
    ).toThrow('32 bytes');
  });

  test('when tokens are stored, read by another instance and refreshed, then each is handed to onSecret for redaction', async () => {
    const seen = new Set<string>();
    const onSecret = (v: string) => void seen.add(v);
    const first = tokenStoreFor(sb, azurite.connectionString);
    const writer = createTokenStore({
      table: createTableClient(azurite.connectionString, first.table),
      encryptionKey: first.key,
      client: CLIENT,
      clock: sandboxClock(sb),
      onSecret,
    });
    const t = await sb.authorize();
    await writer.save('t1', {
      baseUrl: sb.url,
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      expiresInSec: 600,
    });
    expect([...seen]).toEqual([t.accessToken, t.refreshToken]);

    const readSeen = new Set<string>();
    const reader = createTokenStore({
      table: createTableClient(azurite.connectionString, first.table),
      encryptionKey: first.key,
      client: CLIENT,
      clock: sandboxClock(sb),
      onSecret: (v) => void readSeen.add(v),
    });
    expect(await reader.getAccessToken('t1')).toBe(t.accessToken);
    expect(readSeen).toEqual(new Set([t.accessToken, t.refreshToken]));

    sb.clock.advance(585_000);
    const refreshed = await reader.getAccessToken('t1');
    expect(refreshed).not.toBe(t.accessToken);
    expect(readSeen.has(refreshed)).toBe(true);
    expect(readSeen.size).toBe(4);
  });

  test.each([
    [
      '400 access_denied with Reason TooEarlyToRefreshTokens',
      400,
      { error: 'access_denied', error_description: 'Rate limit exceeded: access_token not expired' },
      { Reason: 'TooEarlyToRefreshTokens' },
    ],
    [
      '401 "Access Token not expired"',
      401,
      { error: 'invalid_request', error_description: 'Access Token not expired' },
      { Reason: 'Access Token not expired' },
    ],
  ])(
    'when Exact refuses a due refresh as too early (%s), then the stored token is used, the connection stays active and no refresh is tried for 30 s',
    async (_shape, status, body, headers) => {
      const { store } = tokenStoreFor(sb, azurite.connectionString);
      await connect(sb, store, 't1');
      const current = await store.getAccessToken('t1');
      sb.clock.advance(585_000);
      const refusal = nock(sb.url, { allowUnmocked: true })
        .post('/api/oauth2/token')
        .reply(status, body, headers);
      try {
        await expect(store.getAccessToken('t1')).resolves.toBe(current);
        expect(refusal.isDone()).toBe(true);
        expect(await store.status('t1')).toMatchObject({ state: 'active' });
        sb.clock.advance(10_000);
        const calls = tokenCalls();
        await expect(store.getAccessToken('t1')).resolves.toBe(current);
        expect(tokenCalls()).toBe(calls);
        // Past the hold, the refresh is due again and Exact (the sandbox) now grants it.
        sb.clock.advance(25_000);
        const next = await store.getAccessToken('t1');
        expect(next).not.toBe(current);
        expect(store.refreshCount()).toBe(1);
      } finally {
        nock.cleanAll();
      }
    },
  );
});
