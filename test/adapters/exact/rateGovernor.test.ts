import { ExactDailyBudgetError, ExactEndpointPausedError } from '../../../src/adapters/exact/errors';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';

const T0 = Date.UTC(2025, 2, 3, 10, 0, 30);
const KEY = { connectionId: 'c1', division: 101 };

function fakeTime() {
  let now = T0;
  const sleeps: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => (now += ms),
    get now() {
      return now;
    },
  };
}

const minutely = (remaining: number, reset: number, limit = 60) => ({
  'X-RateLimit-Minutely-Limit': String(limit),
  'X-RateLimit-Minutely-Remaining': String(remaining),
  'X-RateLimit-Minutely-Reset': String(reset),
});
const daily = (remaining: number, reset: number, limit = 5000) => ({
  'X-RateLimit-Limit': String(limit),
  'X-RateLimit-Remaining': String(remaining),
  'X-RateLimit-Reset': String(reset),
});

describe('rate governor', () => {
  test('when no answer has been seen, then 60 calls go without waiting and the 61st waits a minute', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep, marginMs: 1000 });
    for (let i = 0; i < 60; i++) (await g.acquire(KEY, 'e')).release({ status: null });
    expect(t.sleeps).toEqual([]);
    (await g.acquire(KEY, 'e')).release({ status: 200 });
    expect(t.sleeps).toEqual([61_000]);
  });

  test('when headers announce a limit and reset, then the governor spends exactly that and waits until reset + margin', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep, marginMs: 500 });
    const reset = T0 + 30_000;
    for (let remaining = 9; remaining >= 0; remaining--) {
      const p = await g.acquire(KEY, 'e');
      p.release({
        status: 200,
        headers: { ...minutely(remaining, reset, 10), ...daily(4000, T0 + 3_600_000) },
      });
    }
    expect(t.sleeps).toEqual([]);
    expect(g.snapshot(KEY).minutely).toEqual({ limit: 10, remaining: 0, resetAt: reset });
    const p = await g.acquire(KEY, 'e');
    expect(t.sleeps).toEqual([30_500]);
    p.release({ status: 200, headers: minutely(9, reset + 60_000, 10) });
    expect(g.snapshot(KEY).minutely.remaining).toBe(9);
  });

  test('when concurrent callers share the budget, then no more calls are in flight than remain', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep });
    (await g.acquire(KEY, 'e')).release({ status: 200, headers: minutely(3, T0 + 30_000) });
    const granted: number[] = [];
    const waiting = [1, 2, 3, 4, 5].map(async (n) => {
      const p = await g.acquire(KEY, 'e');
      granted.push(n);
      return p;
    });
    await new Promise((r) => setImmediate(r));
    expect(granted).toEqual([1, 2, 3]);
    expect(g.snapshot(KEY).inFlight).toBe(3);
    const permits = await Promise.all(waiting.slice(0, 3));
    permits.forEach((p, i) => p.release({ status: 200, headers: minutely(2 - i, T0 + 30_000) }));
    await Promise.all(waiting.slice(3));
    expect(granted).toEqual([1, 2, 3, 4, 5]);
    expect(t.sleeps).toEqual([31_000]);
  });

  test('when a 429 arrives with a reset, then the next admission waits until that reset', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep, marginMs: 1000 });
    (await g.acquire(KEY, 'e')).release({ status: 429, headers: minutely(0, T0 + 12_000) });
    await g.acquire(KEY, 'e');
    expect(t.sleeps).toEqual([13_000]);
  });

  test('when the daily budget is used up, then acquire throws with the daily reset instant', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep });
    const dailyReset = Date.UTC(2025, 2, 4);
    (await g.acquire(KEY, 'e')).release({
      status: 200,
      headers: { ...minutely(50, T0 + 30_000), ...daily(0, dailyReset) },
    });
    const err = await g.acquire(KEY, 'e').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactDailyBudgetError);
    expect((err as ExactDailyBudgetError).resetAt.getTime()).toBe(dailyReset);
    expect((err as ExactDailyBudgetError).reason).toBe('daily_budget_exhausted');
    expect((err as ExactDailyBudgetError).retryAfterMs).toBe(dailyReset - t.now);
    t.advance(dailyReset - t.now);
    await expect(g.acquire(KEY, 'e')).resolves.toBeDefined();
  });

  test('when an endpoint collected 8 counted errors within the hour, then it is paused, other endpoints are not', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep, errorThreshold: 8 });
    for (let i = 0; i < 8; i++) {
      (await g.acquire(KEY, 'salesinvoice/PrintedSalesInvoices')).release({
        status: i % 2 ? 400 : 404,
        headers: minutely(50, T0 + 60_000),
      });
      t.advance(1000);
    }
    const err = await g.acquire(KEY, 'salesinvoice/PrintedSalesInvoices').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactEndpointPausedError);
    expect((err as ExactEndpointPausedError).retryAfterMs).toBe(3_600_000 - 8000);
    await expect(g.acquire(KEY, 'salesinvoice/SalesInvoices')).resolves.toBeDefined();
    t.advance(3_600_000);
    await expect(g.acquire(KEY, 'salesinvoice/PrintedSalesInvoices')).resolves.toBeDefined();
  });

  test('when 5xx and 429 answers arrive, then they are not counted toward the endpoint pause', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep, errorThreshold: 2 });
    for (const status of [500, 503, 429, 500])
      (await g.acquire(KEY, 'e')).release({ status, headers: minutely(50, T0 + 60_000) });
    await expect(g.acquire(KEY, 'e')).resolves.toBeDefined();
  });

  test('when keys differ by division, then each has its own budget', async () => {
    const t = fakeTime();
    const g = createRateGovernor({ clock: t.clock, sleep: t.sleep });
    (await g.acquire(KEY, 'e')).release({ status: 200, headers: minutely(0, T0 + 30_000) });
    await g.acquire({ ...KEY, division: 202 }, 'e');
    expect(t.sleeps).toEqual([]);
  });
});
