/**
 * The ETA of a batch (issue 18) as the operator API reports it, from the remaining Exact budget of the
 * administrations the batch sends in: a small daily budget in the Exact sandbox makes it visible.
 */
import { startHttpHost } from '../../src/local/httpHost';
import { loadFunctionRoutes } from '../../src/local/routes';
import { CALLS_PER_INVOICE } from '../../src/app/operator/eta';
import { useLocalStack } from '../support/localStack';
import { middayClock } from '../support/middayClock';

const time = middayClock();
const DAILY = 40;
const env = useLocalStack({
  clock: time.clock,
  exactClock: time.clock,
  today: time.today,
  exact: { dailyLimit: DAILY },
});
let host: Awaited<ReturnType<typeof startHttpHost>>;
beforeAll(async () => {
  void env;
  host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
});
afterAll(() => host.close());

const B = 100002;

interface Event {
  event: string;
  data: {
    done: number;
    total: number;
    eta: { seconds: number; beyondDailyBudget: number; limitedBy: string };
    byOutcome: Record<string, number>;
    lines: Array<{ reason: string }>;
  };
}

async function sse(path: string, body: unknown): Promise<Event[]> {
  const res = await fetch(`${host.url}/api/console/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  return (await res.text())
    .trim()
    .split('\n\n')
    .map((e) => ({ event: /^event: (\w+)/.exec(e)![1]!, data: JSON.parse(/data: (.*)$/m.exec(e)![1]!) }));
}

/** Invoices the remaining daily budget does not cover, as the ETA counts them. */
const beyond = (invoices: number, remaining: number) =>
  Math.max(0, Math.ceil((Math.ceil(invoices * CALLS_PER_INVOICE) - remaining) / CALLS_PER_INVOICE));

describe('the ETA of an operator batch', () => {
  test('when rows are named whose administration has little daily Exact budget left, then the ETA counts those beyond it as waiting for tomorrow', async () => {
    const planned = async () =>
      (await (await fetch(`${host.url}/api/console/plan?division=${B}`)).json()) as {
        items: Array<{ rowId: string | null }>;
      };
    const rowIds = (await planned()).items.flatMap((i) => (i.rowId ? [i.rowId] : []));
    expect(rowIds.length).toBeGreaterThan(5);
    // Spend the division's day down to a few calls (each plan reads Exact's open invoices).
    const tenant = env.stack.runtime.tenants[0]!;
    while (tenant.budget(B).daily.remaining > 4) await planned();
    const left = tenant.budget(B).daily.remaining;
    const events = await sse('dispatch', { rowIds });
    const first = events[0]!.data;
    expect(first.done).toBe(0);
    expect(first.eta).toMatchObject({ beyondDailyBudget: beyond(rowIds.length, left), limitedBy: 'daily' });
    expect(first.eta.beyondDailyBudget).toBeGreaterThan(0);
    // And the day's budget does run out in the batch: the rest is scheduled for the reset.
    const summary = events.at(-1)!.data;
    expect(summary.lines.map((l) => l.reason)).toContain('daily_budget_exhausted');
  }, 60_000);
});
