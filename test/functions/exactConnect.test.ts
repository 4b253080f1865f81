/**
 * The Exact connect flow through its HTTP functions (functions/exactConnect.ts): a consent is bound to the
 * browser that started it and to the tenant's administrations, and a refused one changes no connection.
 */
import axios from 'axios';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { exactCallback, exactConnect } from '../../functions/exactConnect';
import { demoGuid } from '../../sandbox/seed/demo';
import { showcaseTenants } from '../../sandbox/seed/showcase';
import { useLocalStack } from '../support/localStack';

const env = useLocalStack({ showcase: true });
const nolicence = showcaseTenants.find((t) => t.name === 'nolicence')!;

const get = (url: string, cookie?: string | null) =>
  new HttpRequest({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const headerOf = (answer: HttpResponseInit, name: string) =>
  new Headers(answer.headers as Record<string, string>).get(name);

/** Starts connecting `tenant` in one browser; `as` is the Exact user who consents. Returns the callback URL and that browser's cookie. */
async function consent(
  tenant: string,
  as?: string,
): Promise<{ callback: string; cookie: string; setCookie: string }> {
  const start = await exactConnect(
    get(`http://127.0.0.1:7071/api/exact/connect?tenant=${tenant}`),
    new InvocationContext(),
  );
  expect(start.status).toBe(302);
  const setCookie = headerOf(start, 'set-cookie')!;
  const location = `${headerOf(start, 'location')!}${as ? `&sandbox_user=${as}` : ''}`;
  const answer = await axios.get(location, { maxRedirects: 0, validateStatus: (s) => s === 302 });
  return { callback: String(answer.headers.location), cookie: setCookie.split(';')[0]!, setCookie };
}

/** An Exact call with the tenant's connection: resolves while the connection holds. */
const usable = (tenant: string, division: number) =>
  env.stack.runtime.exactClients.get(tenant)!.confirmStatuses(division, [demoGuid('invoice:I1')]);

describe('connecting a tenant to Exact', () => {
  test('when the connect answer redirects to Exact, then it sets an HttpOnly, SameSite=Lax consent cookie for the callback path only', async () => {
    const { setCookie } = await consent('demo');
    expect(setCookie).toMatch(
      /^autoinvoice_exact_consent=[A-Za-z0-9_-]{43}; Path=\/api\/exact\/callback; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
  });

  test.each([
    ['no cookie', () => null],
    ['the cookie of another connect', (own: string) => own.replace(/=.*/, `=${'x'.repeat(43)}`)],
  ])(
    'when the callback arrives with %s, then a 400 page says the consent was not started in this browser and the connection is untouched',
    async (_what, cookieFor) => {
      const before = env.stack.exact.requests().length;
      const { callback, cookie } = await consent('demo');
      const answer = await exactCallback(get(callback, cookieFor(cookie)), new InvocationContext());
      expect(answer.status).toBe(400);
      expect(headerOf(answer, 'content-type')).toMatch(/^text\/html/);
      expect(String(answer.body)).toContain('this consent was not started in this browser');
      // Refused before the code was exchanged: no token call reached Exact.
      expect(
        env.stack.exact
          .requests()
          .slice(before)
          .filter((r) => r.path.includes('oauth2/token')),
      ).toHaveLength(0);
      await expect(usable('demo', 100001)).resolves.toBeInstanceOf(Map);
    },
  );

  test('when another tenant’s Exact user consents for this tenant, then a 403 page names the unreachable divisions, this tenant keeps its connection and the other tenant keeps working', async () => {
    const { callback, cookie } = await consent('demo', nolicence.exactUserId);
    const answer = await exactCallback(get(callback, cookie), new InvocationContext());
    expect(answer.status).toBe(403);
    expect(String(answer.body)).toContain('cannot reach division 100001, 100002, 100004 of this tenant');
    expect(String(answer.body)).toContain('Nothing was changed');
    await expect(usable('demo', 100001)).resolves.toBeInstanceOf(Map);
    // Exact revoked the other tenant's tokens at this login (one token set per app and user); it got the new set.
    await expect(usable('nolicence', nolicence.division)).resolves.toBeInstanceOf(Map);
    // Not connected to the other tenant's division: the demo tenant still prints only in its own.
    await expect(
      env.stack.runtime.exactClients.get('demo')!.print(nolicence.division, {
        invoiceId: demoGuid('invoice:I1'),
        channel: 'email',
        documentLayout: 'x',
        emailLayout: null,
        extraText: null,
        senderEmail: null,
      }),
    ).rejects.toThrow(/division 200001 is not among the divisions the Exact consent of this tenant granted/);
  });

  test('when the Exact user declines (error=access_denied), then a 400 page says so and no token call is made', async () => {
    const before = env.stack.exact.requests().length;
    const { callback, cookie } = await consent('demo');
    const declined = new URL(callback);
    declined.searchParams.delete('code');
    declined.searchParams.set('error', 'access_denied');
    const answer = await exactCallback(get(declined.toString(), cookie), new InvocationContext());
    expect(answer.status).toBe(400);
    expect(String(answer.body)).toContain('Connecting was declined in Exact');
    expect(String(answer.body)).not.toContain('code and state are required');
    expect(
      env.stack.exact
        .requests()
        .slice(before)
        .filter((r) => r.path.includes('oauth2/token')),
    ).toHaveLength(0);
  });

  test('when the code is one Exact does not accept, then a 400 page says the code was refused, not the refresh token, and the connection is untouched', async () => {
    const { callback, cookie } = await consent('demo');
    const bad = new URL(callback);
    bad.searchParams.set('code', 'not-a-code-exact-issued');
    const answer = await exactCallback(get(bad.toString(), cookie), new InvocationContext());
    expect(answer.status).toBe(400);
    expect(String(answer.body)).toContain('Exact did not accept the authorization code');
    expect(String(answer.body)).not.toMatch(/refresh token/i);
    await expect(usable('demo', 100001)).resolves.toBeInstanceOf(Map);
  });

  test('when the tenant’s own browser and Exact user consent, then 200 connected with its divisions and the cookie is cleared', async () => {
    const { callback, cookie } = await consent('demo');
    const answer = await exactCallback(get(callback, cookie), new InvocationContext());
    expect(answer).toMatchObject({ status: 200, jsonBody: { connected: true, tenant: 'demo' } });
    expect((answer.jsonBody as { divisions: number[] }).divisions.sort()).toEqual([
      100001, 100002, 100003, 100004, 100009,
    ]);
    expect(headerOf(answer, 'set-cookie')).toMatch(
      /^autoinvoice_exact_consent=; Path=\/api\/exact\/callback; Max-Age=0;/,
    );
  });
});
