/** The connect flow: authorize URL per region, single-use state, code exchange, Me and Divisions. */
import axios from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { createTableClient } from '../../../src/adapters/store/tables';
import {
  OAuthStateError,
  buildAuthorizeUrl,
  completeConnection,
  exactBaseUrl,
} from '../../../src/adapters/exact/oauth';
import { createMemoryStateStore, createTableStateStore } from '../../../src/adapters/exact/oauthState';
import { useAzurite } from '../../support/azurite';
import { CLIENT, DIV, findSecrets, seed, tokenStoreFor } from './support';

const azurite = useAzurite();
const REDIRECT = 'http://127.0.0.1:7071/api/exact/callback';
let sb: ExactSandbox;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(1, [DIV, 202]) });
});
afterAll(() => sb.close());

/** Plays the browser: follows the authorize URL to the sandbox's consent and reads the redirect. */
async function consent(url: string): Promise<{ code: string; state: string }> {
  const res = await axios.get(url, { maxRedirects: 0, validateStatus: () => true });
  expect(res.status).toBe(302);
  const back = new URL(String(res.headers.location));
  return { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' };
}

describe('exactBaseUrl', () => {
  test.each([
    ['nl', 'https://start.exactonline.nl'],
    ['be', 'https://start.exactonline.be'],
    ['de', 'https://start.exactonline.de'],
    ['co.uk', 'https://start.exactonline.co.uk'],
    ['uk', 'https://start.exactonline.co.uk'],
    ['fr', 'https://start.exactonline.fr'],
    ['es', 'https://start.exactonline.es'],
    ['com', 'https://start.exactonline.com'],
    ['us', 'https://start.exactonline.com'],
  ] as const)('when the region is %s, then the host is %s', (region, host) => {
    expect(exactBaseUrl({ region })).toBe(host);
  });

  test('when a base URL override is given, then it wins (sandbox)', () => {
    expect(exactBaseUrl({ region: 'nl', baseUrl: 'http://127.0.0.1:1234/' })).toBe('http://127.0.0.1:1234');
  });
});

describe('buildAuthorizeUrl', () => {
  test('when a tenant starts connecting, then the URL carries client, redirect, code flow, a random state and force_login', async () => {
    const states = createMemoryStateStore();
    const a = await buildAuthorizeUrl({
      region: 'be',
      clientId: 'cid',
      redirectUri: REDIRECT,
      connectionId: 't1',
      states,
    });
    const b = await buildAuthorizeUrl({
      region: 'be',
      clientId: 'cid',
      redirectUri: REDIRECT,
      connectionId: 't1',
      states,
    });
    const url = new URL(a.url);
    expect(url.origin + url.pathname).toBe('https://start.exactonline.be/api/oauth2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: a.state,
      force_login: '0',
    });
    expect(a.state).not.toBe(b.state);
    expect(a.state.length).toBeGreaterThanOrEqual(40);
  });
});

describe('completeConnection', () => {
  test('when the callback brings a valid state and code, then tokens are stored and Me and the divisions are read', async () => {
    const states = createTableStateStore(createTableClient(azurite.connectionString, 'oauthstates1'));
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    const { url, browserKey } = await buildAuthorizeUrl({
      baseUrl: sb.url,
      clientId: CLIENT.clientId,
      redirectUri: REDIRECT,
      connectionId: 'tenant-1',
      states,
    });
    const { code, state } = await consent(url);
    const info = await completeConnection({ state, code, browserKey, client: CLIENT, states, tokens: store });
    expect(info).toMatchObject({
      connectionId: 'tenant-1',
      baseUrl: sb.url,
      currentDivision: DIV,
      userName: 'sandbox.user',
    });
    expect(info.divisions.map((d) => d.code).sort()).toEqual([101, 202]);
    expect(await store.status('tenant-1')).toMatchObject({ state: 'active' });
    expect(findSecrets([JSON.stringify(info)], sb.issuedSecrets())).toEqual([]);
  });

  test('when the same state comes back twice, then the replay is refused before any token call', async () => {
    const states = createTableStateStore(createTableClient(azurite.connectionString, 'oauthstates2'));
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    const { url, browserKey } = await buildAuthorizeUrl({
      baseUrl: sb.url,
      clientId: CLIENT.clientId,
      redirectUri: REDIRECT,
      connectionId: 't2',
      states,
    });
    const { code, state } = await consent(url);
    await completeConnection({ state, code, browserKey, client: CLIENT, states, tokens: store });
    const before = sb.requests().length;
    await expect(
      completeConnection({ state, code, browserKey, client: CLIENT, states, tokens: store }),
    ).rejects.toBeInstanceOf(OAuthStateError);
    expect(sb.requests().length).toBe(before);
  });

  test('when the state is unknown or malformed, then it is refused', async () => {
    const states = createTableStateStore(createTableClient(azurite.connectionString, 'oauthstates3'));
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    for (const state of ['A'.repeat(43), "x'/..#?", ''])
      await expect(
        completeConnection({ state, code: 'c', browserKey: 'k', client: CLIENT, states, tokens: store }),
      ).rejects.toBeInstanceOf(OAuthStateError);
  });

  test('when two callbacks race with one state, then only one completes', async () => {
    const states = createTableStateStore(createTableClient(azurite.connectionString, 'oauthstates4'));
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    const { url, browserKey } = await buildAuthorizeUrl({
      baseUrl: sb.url,
      clientId: CLIENT.clientId,
      redirectUri: REDIRECT,
      connectionId: 't4',
      states,
    });
    const { code, state } = await consent(url);
    const results = await Promise.allSettled([
      completeConnection({ state, code, browserKey, client: CLIENT, states, tokens: store }),
      completeConnection({ state, code, browserKey, client: CLIENT, states, tokens: store }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(OAuthStateError);
  });

  test('when the state has expired, then it is refused', async () => {
    const states = createMemoryStateStore();
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    const clock = { now: () => new Date(Date.UTC(2025, 0, 1)) };
    const { state, browserKey } = await buildAuthorizeUrl({
      baseUrl: sb.url,
      clientId: CLIENT.clientId,
      redirectUri: REDIRECT,
      connectionId: 't5',
      states,
      clock,
    });
    const later = { now: () => new Date(Date.UTC(2025, 0, 1, 0, 11)) };
    await expect(
      completeConnection({
        state,
        code: 'c',
        browserKey,
        client: CLIENT,
        states,
        tokens: store,
        clock: later,
      }),
    ).rejects.toThrow('expired');
  });

  test('when a new state is written, then states that expired before it are removed from the table, and live ones stay', async () => {
    const name = 'oauthstates6';
    const states = createTableStateStore(createTableClient(azurite.connectionString, name));
    const at = (minute: number) => ({ now: () => new Date(Date.UTC(2025, 0, 1, 0, minute)) });
    const start = (minute: number) =>
      buildAuthorizeUrl({
        baseUrl: sb.url,
        clientId: CLIENT.clientId,
        redirectUri: REDIRECT,
        connectionId: 't6',
        states,
        clock: at(minute),
      });
    const abandoned = await start(0);
    const live = await start(5);
    const fresh = await start(11);
    const rows: string[] = [];
    for await (const row of createTableClient(azurite.connectionString, name).listEntities())
      rows.push(String(row.rowKey));
    expect(rows.sort()).toEqual([live.state, fresh.state].sort());
    expect(rows).not.toContain(abandoned.state);
  });
});
