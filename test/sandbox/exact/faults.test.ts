import axios, { type AxiosInstance } from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { DIV, LAYOUT, client, invoiceId, seed } from './fixture';

let sb: ExactSandbox;
let api: AxiosInstance;
let token: string;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(3) });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  token = (await sb.authorize()).accessToken;
  api = client(sb, token);
});

const PRINT = `/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`;
const body = (id: string) => ({ InvoiceID: id, DocumentLayout: LAYOUT, SendEmailToCustomer: true });

describe('Exact sandbox faults and knobs', () => {
  test('when the print answer is lost after the work, then the client sees a socket error but the invoice is processed (50) once', async () => {
    sb.injectFault({ method: 'POST', path: '/salesinvoice/PrintedSalesInvoices', kind: 'lostAfterWork' });
    await expect(api.post(PRINT, body(invoiceId(1)))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sb.invoice(DIV, invoiceId(1))).toMatchObject({ Status: 50, InvoiceNumber: expect.any(Number) });
    expect(sb.prints().filter((p) => p.invoiceId === invoiceId(1))).toHaveLength(1);
    expect(sb.requests().at(-1)).toMatchObject({ fault: 'lostAfterWork', status: 201 });
    // The fault was used up: a confirming read answers normally.
    const confirm = await api.get(
      `/api/v1/${DIV}/salesinvoice/SalesInvoices?$filter=InvoiceID eq guid'${invoiceId(1)}'&$select=Status`,
    );
    expect(confirm.data.d.results[0].Status).toBe(50);
  });

  test('when the request is lost before the work, then the invoice stays open and nothing is printed', async () => {
    sb.injectFault({ path: /PrintedSalesInvoices$/, kind: 'lostBeforeWork' });
    await expect(api.post(PRINT, body(invoiceId(1)))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sb.invoice(DIV, invoiceId(1))?.Status).toBe(20);
    expect(sb.prints()).toHaveLength(0);
  });

  test("when a 503 is injected twice, then two calls fail with Exact's envelope and the third succeeds", async () => {
    sb.injectFault({ path: 'crm/Accounts', kind: '503', count: 2 });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await api.get(`/api/v1/${DIV}/crm/Accounts`));
    expect(replies.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(replies[0]?.data).toEqual({
      error: { code: '', message: { lang: '', value: expect.any(String) } },
    });
  });

  test('when a 429 is injected, then it looks like a minutely refusal', async () => {
    sb.injectFault({ path: 'crm/Accounts', kind: '429' });
    const res = await api.get(`/api/v1/${DIV}/crm/Accounts`);
    expect(res.status).toBe(429);
    expect(res.headers['x-ratelimit-minutely-remaining']).toBe('0');
    expect(Number(res.headers['x-ratelimit-minutely-reset']) % 60_000).toBe(0);
  });

  test('when a timeout is injected, then the socket is held and the client times out without any work done', async () => {
    sb.injectFault({ path: 'PrintedSalesInvoices', kind: 'timeout', holdMs: 5_000 });
    await expect(
      axios.post(`${sb.url}${PRINT}`, body(invoiceId(2)), {
        headers: { Authorization: `Bearer ${token}` },
        timeout: 200,
      }),
    ).rejects.toMatchObject({ code: 'ECONNABORTED' });
    expect(sb.invoice(DIV, invoiceId(2))?.Status).toBe(20);
  });

  test('when the knobs are used over HTTP, then clock, faults and the request log respond like the programmatic API', async () => {
    const ctl = axios.create({ baseURL: `${sb.url}/_sandbox`, validateStatus: () => true });
    const before = (await ctl.get('/clock')).data.now as number;
    const moved = (await ctl.post('/clock', { advanceMs: 3_600_000 })).data.now as number;
    expect(moved - before).toBeGreaterThanOrEqual(3_600_000);
    expect((await ctl.post('/faults', { path: 'Layouts', kind: '500' })).status).toBe(201);
    const fresh = client(sb, (await ctl.post('/authorize', {})).data.accessToken);
    expect((await fresh.get(`/api/v1/${DIV}/salesinvoice/Layouts`)).status).toBe(500);
    const log = (await ctl.get('/requests')).data as Array<{ path: string; status: number }>;
    expect(log.at(-1)).toMatchObject({ path: `/api/v1/${DIV}/salesinvoice/Layouts`, status: 500 });
  });

  test('when requests are logged, then method, path, query, body and status are kept but never the bearer token', async () => {
    await api.post(PRINT, body(invoiceId(3)));
    await api.get(`/api/v1/${DIV}/crm/Accounts`, { params: { $select: 'ID,Email' } });
    const log = sb.requests();
    expect(log).toEqual([
      expect.objectContaining({ method: 'POST', path: PRINT, status: 201, body: body(invoiceId(3)) }),
      expect.objectContaining({ method: 'GET', query: { $select: 'ID,Email' }, status: 200 }),
    ]);
    expect(JSON.stringify(log)).not.toContain(token);
  });
});
