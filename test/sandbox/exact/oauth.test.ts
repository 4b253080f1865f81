import axios from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { DIV, client, seed, tokenCall } from './fixture';

const REDIRECT = 'http://127.0.0.1:7071/api/exact/callback';
const creds = { client_id: 'sandbox-client', client_secret: 'sandbox-secret' };
let sb: ExactSandbox;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed() });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

async function codeFromConsent(): Promise<string> {
  const res = await axios.get(`${sb.url}/api/oauth2/auth`, {
    params: { client_id: 'sandbox-client', redirect_uri: REDIRECT, response_type: 'code', state: 'xyz' },
    maxRedirects: 0,
    validateStatus: () => true,
  });
  expect(res.status).toBe(302);
  const location = new URL(String(res.headers.location));
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('xyz');
  return location.searchParams.get('code') ?? '';
}

const refresh = (refresh_token: string) =>
  tokenCall(sb, { grant_type: 'refresh_token', refresh_token, ...creds });

describe('Exact sandbox OAuth', () => {
  test('when the code is exchanged, then a bearer pair with expires_in "600" (a string) comes back and works', async () => {
    const code = await codeFromConsent();
    const res = await tokenCall(sb, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      ...creds,
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: '600',
      refresh_token: expect.any(String),
    });
    const me = await client(sb, res.data.access_token).get('/api/v1/current/Me?$select=CurrentDivision');
    expect(me.status).toBe(200);
    expect(me.data.d.results[0].CurrentDivision).toBe(DIV);
  });

  test('when a code is used twice, then the second exchange gets 400 invalid_grant', async () => {
    const code = await codeFromConsent();
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...creds };
    expect((await tokenCall(sb, form)).status).toBe(200);
    const again = await tokenCall(sb, form);
    expect(again.status).toBe(400);
    expect(again.data.error).toBe('invalid_grant');
  });

  test('when a code is older than 3 minutes, then it is refused', async () => {
    const code = await codeFromConsent();
    sb.clock.advance(181_000);
    const res = await tokenCall(sb, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      ...creds,
    });
    expect(res.status).toBe(400);
  });

  test('when the client secret is wrong, then the token endpoint answers 400 invalid_client', async () => {
    const code = await codeFromConsent();
    const res = await tokenCall(sb, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'sandbox-client',
      client_secret: 'nope',
    });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ error: 'invalid_client' });
  });

  test('when refreshing after 570 s, then the tokens rotate and the old refresh token is refused as "Old refresh token used."; the reuse cuts the connection until the user consents again', async () => {
    const first = await sb.authorize();
    sb.clock.advance(570_000);
    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.data.refresh_token).not.toBe(first.refreshToken);
    expect(rotated.data.access_token).not.toBe(first.accessToken);

    const reuse = await refresh(first.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.data).toEqual({
      error: 'unauthorized_client',
      error_description: 'Old refresh token used.',
    });

    // The reuse cut the connection (§1 "Rotation": the user must re-consent): the rotated pair is dead too.
    expect(
      (await client(sb, rotated.data.access_token).get(`/api/v1/${DIV}/crm/Accounts?$select=ID`)).status,
    ).toBe(401);
    sb.clock.advance(570_000);
    const afterCut = await refresh(rotated.data.refresh_token);
    expect(afterCut.status).toBe(401);
    expect(afterCut.data).toEqual({
      error: 'unauthorized_client',
      error_description: 'Old refresh token used.',
    });

    // A new consent connects again.
    const again = await sb.authorize();
    expect((await client(sb, again.accessToken).get(`/api/v1/${DIV}/crm/Accounts?$select=ID`)).status).toBe(
      200,
    );
  });

  test('when refreshing before 570 s, then 401 "Access Token not expired" and the refresh token stays usable', async () => {
    const first = await sb.authorize();
    sb.clock.advance(569_000);
    const early = await refresh(first.refreshToken);
    expect(early.status).toBe(401);
    expect(early.data.error_description).toBe('Access Token not expired');
    sb.clock.advance(1_000);
    expect((await refresh(first.refreshToken)).status).toBe(200);
  });

  test('when the access token is 600 s old, missing or unknown, then API calls get 401', async () => {
    const { accessToken } = await sb.authorize();
    const api = client(sb, accessToken);
    expect((await api.get(`/api/v1/${DIV}/crm/Accounts`)).status).toBe(200);
    sb.clock.advance(600_000);
    expect((await api.get(`/api/v1/${DIV}/crm/Accounts`)).status).toBe(401);
    expect((await client(sb, 'made-up').get(`/api/v1/${DIV}/crm/Accounts`)).status).toBe(401);
    const bare = await axios.get(`${sb.url}/api/v1/${DIV}/crm/Accounts`, { validateStatus: () => true });
    expect(bare.status).toBe(401);
  });

  test('when the user logs in again, then the previous token set is revoked', async () => {
    const first = await sb.authorize();
    await sb.authorize();
    expect((await client(sb, first.accessToken).get(`/api/v1/${DIV}/crm/Accounts`)).status).toBe(401);
  });

  test('when tokens were issued, then issuedSecrets lists them and the request log holds none of them', async () => {
    const code = await codeFromConsent();
    const res = await tokenCall(sb, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      ...creds,
    });
    await client(sb, res.data.access_token).get(`/api/v1/${DIV}/crm/Accounts`);
    const secrets = sb.issuedSecrets();
    expect(secrets).toEqual(
      expect.arrayContaining(['sandbox-secret', res.data.access_token, res.data.refresh_token]),
    );
    const logged = JSON.stringify(sb.requests());
    for (const s of secrets) expect(logged).not.toContain(s);
  });
});
