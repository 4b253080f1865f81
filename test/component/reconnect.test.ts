import axios from 'axios';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { exactCallback, exactConnect } from '../../functions/exactConnect';
import { dispatchInvoices } from '../../src/app/dispatch';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { demoDeps, demoRow, rowsOf } from './helpers';

const env = useLocalStack();

const get = (url: string, cookie?: string) =>
  new HttpRequest({ method: 'GET', url, headers: cookie ? { cookie } : {} });
/** The consent cookie the connect answer set, as the browser sends it back. */
const cookieOf = (answer: { headers?: unknown }) =>
  new Headers(answer.headers as Record<string, string>).get('set-cookie')!.split(';')[0]!;

describe('a lost Exact connection', () => {
  test('when the refresh token is revoked, then invoices fail with exact_connection_lost; after reconnecting they go out without a resend', async () => {
    // A new login for the same Exact user revokes the connector's tokens, as Exact does.
    await env.stack.exact.authorize();
    await dispatchInvoices(demoDeps(env.stack), rowsOf(['I3']));
    expect(demoRow(env.stack, 'I3')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'exact_connection_lost',
    });
    expect(env.stack.exact.invoice(100001, demoGuid('invoice:I3'))?.Status).toBe(20);

    const redirect = await exactConnect(
      get('http://127.0.0.1:7071/api/exact/connect?tenant=demo'),
      new InvocationContext(),
    );
    expect(redirect.status).toBe(302);
    const location = new Headers(redirect.headers as Record<string, string>).get('location')!;
    const consent = await axios.get(location, { maxRedirects: 0, validateStatus: (s) => s === 302 });
    const back = new URL(String(consent.headers.location));
    const done = await exactCallback(get(back.toString(), cookieOf(redirect)), new InvocationContext());
    expect(done.status).toBe(200);
    expect(done.jsonBody).toMatchObject({ connected: true, tenant: 'demo', resumedInvoices: 1 });

    await env.stack.queue.idle();
    expect(env.stack.exact.invoice(100001, demoGuid('invoice:I3'))?.Status).toBe(50);
    expect(demoRow(env.stack, 'I3')).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
  });

  test('when the callback repeats a used state, then it is refused', async () => {
    const redirect = await exactConnect(
      get('http://127.0.0.1:7071/api/exact/connect?tenant=demo'),
      new InvocationContext(),
    );
    const location = new Headers(redirect.headers as Record<string, string>).get('location')!;
    const consent = await axios.get(location, { maxRedirects: 0, validateStatus: (s) => s === 302 });
    const back = new URL(String(consent.headers.location));
    expect(
      (await exactCallback(get(back.toString(), cookieOf(redirect)), new InvocationContext())).status,
    ).toBe(200);
    const replay = await exactCallback(get(back.toString(), cookieOf(redirect)), new InvocationContext());
    expect(replay.status).toBe(400);
    expect(String(replay.body)).toMatch(
      /unknown or already used OAuth state\. Open the connect link \(\/api\/exact\/connect\?tenant=&#60;name&#62;\) again, in the browser you consent in\./,
    );
  });
});
