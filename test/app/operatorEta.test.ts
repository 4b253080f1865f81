import { CALLS_PER_INVOICE, estimate, estimateAcross } from '../../src/app/operator/eta';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 30);
const budget = (minutely: number, daily: number, resetInMs = 30_000) => ({
  minutely: { limit: 60, remaining: minutely, resetAt: NOW + resetInMs },
  daily: { limit: 5000, remaining: daily, resetAt: Date.UTC(2026, 11, 2) },
});

describe('the ETA of a batch from the remaining Exact budget', () => {
  test('when this minute’s remaining calls cover the batch, then it is done at once', () => {
    expect(estimate(10, budget(60, 5000), NOW)).toEqual({
      seconds: 0,
      beyondDailyBudget: 0,
      limitedBy: 'minutely',
    });
  });

  test('when the batch needs three more minutes of calls, then the ETA is the reset plus two minutes', () => {
    // 200 invoices × (1 + 2/60) = 207 calls: 28 now, 60 after the reset at +30 s, then 60, 60 → 30 + 2 × 60 s.
    expect(Math.ceil(200 * CALLS_PER_INVOICE)).toBe(207);
    expect(estimate(200, budget(28, 5000), NOW)).toEqual({
      seconds: 150,
      beyondDailyBudget: 0,
      limitedBy: 'minutely',
    });
  });

  test('when the day’s remaining budget is smaller than the batch, then the rest is counted as waiting for tomorrow', () => {
    // 104 calls wanted (100 × (1 + 2/60), rounded up), 51 left today: the other 53 calls are 52 invoices' worth.
    const eta = estimate(100, budget(60, 51), NOW);
    expect(eta.beyondDailyBudget).toBe(52);
    expect(eta.limitedBy).toBe('daily');
    expect(eta.seconds).toBe(0);
  });

  test('when the batch so far was slower than the budget allows, then the observed pace bounds the ETA', () => {
    const eta = estimate(20, budget(60, 5000), NOW, { done: 10, elapsedMs: 5_000 });
    expect(eta).toEqual({ seconds: 10, beyondDailyBudget: 0, limitedBy: 'observed' });
  });

  test('when the invoices are in two administrations, then each is counted in its own budget and the times add up', () => {
    // 200 invoices in one division (150 s, as above) and 100 in another whose day has 51 calls left.
    const eta = estimateAcross(
      [
        { invoices: 200, budget: budget(28, 5000) },
        { invoices: 100, budget: budget(60, 51) },
      ],
      NOW,
    );
    expect(eta).toEqual({ seconds: 150, beyondDailyBudget: 52, limitedBy: 'daily' });
    expect(estimateAcross([], NOW)).toEqual({ seconds: 0, beyondDailyBudget: 0, limitedBy: 'minutely' });
  });
});
