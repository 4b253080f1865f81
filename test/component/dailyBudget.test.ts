import { dispatchInvoices } from '../../src/app/dispatch';
import { useLocalStack } from '../support/localStack';
import { demoDeps, demoRow, rowsOf } from './helpers';

// A tiny daily budget: connecting reads Divisions and syncs the master data (about ten calls); each
// dispatch then confirms, reads the account Exact will send to, and prints.
const env = useLocalStack({ exact: { dailyLimit: 18 } });

describe('Exact daily budget', () => {
  test('when the daily budget is used up, then further invoices are scheduled for the reset with a visible message and no 429', async () => {
    const keys = ['I1', 'I2', 'I6', 'I7', 'I10'];
    for (const key of keys) {
      await dispatchInvoices(demoDeps(env.stack), rowsOf([key]));
    }
    const rows = keys.map((k) => demoRow(env.stack, k));
    const sent = rows.filter((r) => r.eol_dispatchstatus === 4);
    const waiting = rows.filter((r) => r.eol_dispatchreason === 'daily_budget_exhausted');
    expect(sent.length).toBeGreaterThan(0);
    expect(waiting.length).toBeGreaterThan(0);
    expect(sent.length + waiting.length).toBe(keys.length);
    for (const r of waiting) {
      expect(r.eol_dispatchstatus).toBe(2);
      expect(String(r.eol_scheduledfor)).toMatch(/T00:00:00/);
      expect(String(r.eol_dispatchmessage)).toMatch(/call limit|limiet/i);
    }
    expect(env.stack.exact.requests().filter((r) => r.status === 429)).toHaveLength(0);
    // The retry waits in the queue for the reset.
    expect(env.stack.queue.stats().scheduled).toBeGreaterThan(0);
  });
});
