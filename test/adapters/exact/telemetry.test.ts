/** What the Exact adapter tells the telemetry port per request on the wire (decision 0063). */
import nock from 'nock';
import { createExactGateway } from '../../../src/adapters/exact/exactClient';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';
import type { DependencyCall, MetricName } from '../../../src/app/telemetry';
import type { PrintRequest } from '../../../src/app/ports';

const BASE = 'https://start.exactonline.nl';
const DIV = 101;
const INVOICE = '33333333-0000-0000-0000-000000000001';
const email: PrintRequest = {
  invoiceId: INVOICE,
  channel: 'email',
  documentLayout: '22222222-0000-0000-0000-000000000001',
  emailLayout: '22222222-0000-0000-0000-000000000002',
  extraText: 'Bedankt',
  senderEmail: 'facturen@bakkerij.test',
};

function observed() {
  const calls: DependencyCall[] = [];
  const figures: Array<[MetricName, number, Record<string, string>]> = [];
  const client = createExactGateway({
    baseUrl: BASE,
    connectionId: 'c1',
    tokens: { getAccessToken: async () => 'secret-token' },
    governor: createRateGovernor({ sleep: async () => undefined }),
    sleep: async () => undefined,
    random: () => 0,
    timeoutMs: 2000,
    telemetry: { dependency: (c) => void calls.push(c), metric: (n, v, d) => void figures.push([n, v, d]) },
  });
  return { client, calls, figures };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Exact telemetry', () => {
  test('when the print answers 429 and then 201, then each attempt is one dependency, the 429 is counted, and the remaining budget is reported per administration', async () => {
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(
        429,
        {},
        { 'X-RateLimit-Minutely-Remaining': '0', 'X-RateLimit-Minutely-Reset': String(Date.now() + 5) },
      );
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(
        201,
        { d: {} },
        { 'X-RateLimit-Remaining': '4321', 'X-RateLimit-Reset': String(Date.now() + 3_600_000) },
      );
    const { client, calls, figures } = observed();
    await expect(client.print(DIV, email)).resolves.toEqual({ ok: true });
    expect(calls.map((c) => [c.type, c.target, c.name, c.resultCode, c.success, c.tenant])).toEqual([
      ['Exact', 'start.exactonline.nl', 'POST salesinvoice/PrintedSalesInvoices', 429, false, 'c1'],
      ['Exact', 'start.exactonline.nl', 'POST salesinvoice/PrintedSalesInvoices', 201, true, 'c1'],
    ]);
    expect(figures).toEqual([
      ['exact429', 1, { tenant: 'c1' }],
      ['exactBudgetRemaining', 4321, { tenant: 'c1', administration: '101' }],
    ]);
  });

  test('when a status call with a filter of invoice ids is made, then the dependency names the endpoint only: no query string, id or token', async () => {
    nock(BASE)
      .get(/salesinvoice\/SalesInvoices/)
      .reply(200, { d: { results: [] } });
    const { client, calls } = observed();
    await client.confirmStatuses(DIV, [INVOICE]);
    expect(calls.map((c) => c.name)).toEqual(['GET salesinvoice/SalesInvoices']);
    expect(JSON.stringify(calls)).not.toMatch(/33333333|\?|filter|secret-token/i);
  });
});
