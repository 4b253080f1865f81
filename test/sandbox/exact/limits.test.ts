import type { AxiosInstance } from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import {
  ERROR_BLOCK_MS,
  ExactRateLimitError,
  isErrorBlock,
  mapExactError,
  type Headers,
} from '../../../src/adapters/exact/errors';
import { DIV, OTHER_DIV, client, seed } from './fixture';

let sb: ExactSandbox;
let api: AxiosInstance;
const T0 = Date.parse('2025-03-10T10:15:20Z');

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(3), minutelyLimit: 3, dailyLimit: 5 });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  sb.clock.set(T0);
  api = client(sb, (await sb.authorize()).accessToken);
});

const ACCOUNTS = `/api/v1/${DIV}/crm/Accounts?$select=ID`;

describe('Exact sandbox limits', () => {
  test('when a call succeeds, then all six rate headers carry limits, remaining and resets in UTC epoch ms', async () => {
    const res = await api.get(ACCOUNTS);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '4',
      'x-ratelimit-reset': String(Date.parse('2025-03-11T00:00:00Z')),
      'x-ratelimit-minutely-limit': '3',
      'x-ratelimit-minutely-remaining': '2',
      'x-ratelimit-minutely-reset': String(Date.parse('2025-03-10T10:16:00Z')),
    });
  });

  test('when the minutely budget is spent, then 429 with only the minutely headers, and the next minute works again', async () => {
    for (let i = 0; i < 3; i++) expect((await api.get(ACCOUNTS)).status).toBe(200);
    const refused = await api.get(ACCOUNTS);
    expect(refused.status).toBe(429);
    expect(refused.headers['x-ratelimit-minutely-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-remaining']).toBeUndefined();
    expect(refused.data.error.message.value).toEqual(expect.any(String));
    sb.clock.advance(40_000);
    const again = await api.get(ACCOUNTS);
    expect(again.status).toBe(200);
    expect(again.headers['x-ratelimit-remaining']).toBe('1');
  });

  test('when the daily budget is spent, then 429 with the daily headers until 00:00 UTC', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await api.get(ACCOUNTS)).status).toBe(200);
      sb.clock.advance(60_000); // stay under the minutely budget, within the token's 10 minutes
    }
    const refused = await api.get(ACCOUNTS);
    expect(refused.status).toBe(429);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-minutely-remaining']).toBeUndefined();
    sb.clock.set(Date.parse('2025-03-11T00:00:00Z'));
    api = client(sb, (await sb.authorize()).accessToken);
    expect((await api.get(ACCOUNTS)).status).toBe(200);
  });

  test('when one division spent its budget, then another division still answers', async () => {
    for (let i = 0; i < 3; i++) await api.get(ACCOUNTS);
    expect((await api.get(ACCOUNTS)).status).toBe(429);
    expect((await api.get(`/api/v1/${OTHER_DIV}/crm/Accounts?$select=ID`)).status).toBe(200);
  });

  test('when the token endpoint is used, then no division budget is spent', async () => {
    const again = client(sb, (await sb.authorize()).accessToken);
    const res = await again.get(ACCOUNTS);
    expect(res.headers['x-ratelimit-minutely-remaining']).toBe('2');
  });
});

describe('Exact sandbox error block', () => {
  test('when an endpoint produced more than 10 errors in an hour, then it answers 429 for an hour while others still work', async () => {
    const big = await startExactSandbox({ seed: seed(3) });
    try {
      big.clock.set(T0);
      const c = client(big, (await big.authorize()).accessToken);
      const bad = `/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices`;
      for (let i = 0; i < 11; i++) expect((await c.get(bad)).status).toBe(400);
      const blocked = await c.get(`${bad}?$select=InvoiceID`);
      expect(blocked.status).toBe(429);
      expect(blocked.data).toEqual({
        error: { code: '', message: { lang: '', value: 'API rate limit exceeded.' } },
      });
      // No budget is exhausted: the block carries no rate-limit headers (how a client tells it from a budget 429).
      expect(
        Object.keys(blocked.headers).filter((h) => h.startsWith('x-ratelimit') || h === 'retry-after'),
      ).toEqual([]);
      expect((await c.get(`/api/v1/${DIV}/crm/Accounts?$select=ID`)).status).toBe(200);
      big.clock.advance(3600_000);
      const c2 = client(big, (await big.authorize()).accessToken);
      expect((await c2.get(`${bad}?$select=InvoiceID`)).status).toBe(200);
    } finally {
      await big.close();
    }
  });

  test('when the connector reads the blocked answer, then it sees the error block (no budget reset) and waits the documented hour; a budget 429 waits for its reset', async () => {
    const big = await startExactSandbox({ seed: seed(3), minutelyLimit: 13 });
    try {
      big.clock.set(T0);
      const c = client(big, (await big.authorize()).accessToken);
      const bad = `/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices`;
      for (let i = 0; i < 11; i++) expect((await c.get(bad)).status).toBe(400);
      const blocked = await c.get(`${bad}?$select=InvoiceID`);
      expect(isErrorBlock(blocked.headers as Headers)).toBe(true);
      const err = mapExactError(blocked.status, blocked.data, blocked.headers as Headers, undefined, {
        now: big.clock.now(),
      });
      expect(err).toBeInstanceOf(ExactRateLimitError);
      expect((err as ExactRateLimitError).retryAfterMs).toBe(ERROR_BLOCK_MS);

      const accounts = `/api/v1/${DIV}/crm/Accounts?$select=ID`;
      await c.get(accounts);
      await c.get(accounts);
      const budget = await c.get(accounts);
      expect(budget.status).toBe(429);
      expect(isErrorBlock(budget.headers as Headers)).toBe(false);
      const wait = (
        mapExactError(429, budget.data, budget.headers as Headers, undefined, {
          now: big.clock.now(),
        }) as ExactRateLimitError
      ).retryAfterMs;
      expect(wait).toBeLessThanOrEqual(60_000);
    } finally {
      await big.close();
    }
  });

  test('when the user has not granted a division, then 403 with the scope text and Reason header', async () => {
    sb.seed({ ...seed(1), users: [{ UserID: 'aaaaaaaa-0000-0000-0000-000000000001', divisions: [DIV] }] });
    const c = client(sb, (await sb.authorize()).accessToken);
    const res = await c.get(`/api/v1/${OTHER_DIV}/crm/Accounts`);
    expect(res.status).toBe(403);
    expect(res.headers.reason).toBe('NoDivisionAccess');
    expect(res.data.error.message.value).toBe('Forbidden - User division is not within division scope');
    const divisions = await c.get(`/api/v1/${DIV}/system/Divisions?$select=Code,Description`);
    expect(divisions.data.d.results.map((d: { Code: number }) => d.Code)).toEqual([DIV]);
  });
});
