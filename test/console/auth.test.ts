/**
 * Sign-in of the operator console in Azure (issue 18): Entra ID tokens verified with jose against the
 * tenant's keys (here a JWKS served on loopback), the app role AutoInvoice.Operator required.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { consoleStatus } from '../../functions/console';
import { setRuntime, type Runtime } from '../../src/composition/runtime';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { authorise, OPERATOR_ROLE } from '../../functions/consoleAuth';
import type { Settings } from '../../src/config/settings';

const ISSUER = 'https://login.microsoftonline.com/11111111-1111-4111-8111-111111111111/v2.0';
const AUDIENCE = 'api://autoinvoice-console';
let server: http.Server;
let settings: Settings;
let key: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const signing = await generateKeyPair('RS256');
  key = signing.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const unused = { ...(await exportJWK((await generateKeyPair('RS256')).publicKey)), kid: 'k0' };
  const ours = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const keys = JSON.stringify({ keys: [unused, ours] });
  server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(keys),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const jwks = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  settings = {
    Mode: 'azure',
    ConsoleAuth__Issuer: ISSUER,
    ConsoleAuth__Audience: AUDIENCE,
    ConsoleAuth__JwksUrl: jwks,
  } as Settings;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function token(
  claims: Record<string, unknown>,
  signWith: CryptoKey = key,
  over: { iss?: string; aud?: string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(over.iss ?? ISSUER)
    .setAudience(over.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signWith);
}

const request = (authorization?: string) =>
  new HttpRequest({
    method: 'GET',
    url: 'https://autoinvoice.azurewebsites.net/api/console/status',
    headers: authorization ? { authorization } : {},
  });

const statusOf = async (authorization?: string) => {
  const r = await authorise(request(authorization), settings);
  return r.ok ? 200 : r.response.status;
};

describe('signing in to the operator console in Azure', () => {
  test('when a console function is called in Azure, then it answers 401 without a token, 403 without the role and 200 with it', async () => {
    setRuntime({
      settings,
      tenants: [],
      ledger: null,
      clock: { now: () => new Date() },
      audit: null,
    } as unknown as Runtime);
    const call = async (authorization?: string) =>
      (await consoleStatus(request(authorization), new InvocationContext())).status;
    expect(await call()).toBe(401);
    expect(await call(`Bearer ${await token({ roles: ['Other'] })}`)).toBe(403);
    expect(await call(`Bearer ${await token({ roles: [OPERATOR_ROLE] })}`)).toBe(200);
  });

  test('when no token is sent, then 401 asks for a bearer token', async () => {
    const r = await authorise(request(), settings);
    expect(
      r.ok ? null : [r.response.status, (r.response.headers as Record<string, string>)['www-authenticate']],
    ).toEqual([401, 'Bearer']);
  });

  test('when the token is not valid (another key, another issuer or audience, garbage), then 401', async () => {
    const roles = [OPERATOR_ROLE];
    expect(await statusOf(`Bearer ${await token({ roles }, otherKey)}`)).toBe(401);
    expect(
      await statusOf(`Bearer ${await token({ roles }, key, { iss: 'https://evil.example/v2.0' })}`),
    ).toBe(401);
    expect(await statusOf(`Bearer ${await token({ roles }, key, { aud: 'api://other' })}`)).toBe(401);
    expect(await statusOf('Bearer not.a.token')).toBe(401);
    expect(await statusOf(`Basic ${Buffer.from('a:b').toString('base64')}`)).toBe(401);
  });

  test('when a valid token lacks the app role AutoInvoice.Operator, then 403', async () => {
    expect(await statusOf(`Bearer ${await token({ roles: ['AutoInvoice.Reader'] })}`)).toBe(403);
    expect(await statusOf(`Bearer ${await token({})}`)).toBe(403);
  });

  test('when a valid token carries the role, then the person is named for the audit', async () => {
    const r = await authorise(
      request(`Bearer ${await token({ roles: [OPERATOR_ROLE], preferred_username: 'jan@contoso.example' })}`),
      settings,
    );
    expect(r).toEqual({ ok: true, who: 'jan@contoso.example' });
  });

  test('when the sign-in settings are missing in Azure, then everyone is refused', async () => {
    const r = await authorise(request(`Bearer ${await token({ roles: [OPERATOR_ROLE] })}`), {
      Mode: 'azure',
    } as Settings);
    expect(r.ok ? 200 : r.response.status).toBe(401);
  });

  test('when the function host runs in Azure, then a loopback address alone does not let anyone in', async () => {
    const req = new HttpRequest({
      method: 'GET',
      url: 'https://x/api/console/status',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    const r = await authorise(req, settings);
    expect(r.ok ? 200 : r.response.status).toBe(401);
  });

  test('when only a function key is sent (header or ?code=), then 401: a function key is not a person', async () => {
    const withKey = new HttpRequest({
      method: 'GET',
      url: 'https://autoinvoice.azurewebsites.net/api/console/status?code=fn-key-123',
      headers: { 'x-functions-key': 'fn-key-123' },
    });
    const r = await authorise(withKey, settings);
    expect(r.ok ? 200 : r.response.status).toBe(401);
  });
});
