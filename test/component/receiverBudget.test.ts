/**
 * Issue 14 item 6's budget on the sweep path: what Exact will send with is confirmed by ONE `crm/Accounts` read per
 * batch (decision 0095), beside the batch's status read — never one per invoice.
 */
import { invoices } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { quiet, sweepAll } from './helpers';

const env = useLocalStack();

describe('the receiver check on the sweep path', () => {
  test("when the sweep decides every administration's open invoices, then Exact's accounts are read once per batch, as the status is, and the prints outnumber those reads", async () => {
    const from = env.stack.exact.requests().length;
    await sweepAll(env.stack);
    await quiet(env.stack);
    const calls = env.stack.exact.requests().slice(from);
    const perDivision = (what: RegExp) => {
      const out = new Map<string, number>();
      for (const r of calls.filter((c) => c.method === 'GET' && what.test(c.path))) {
        const division = r.path.split('/')[3]!;
        out.set(division, (out.get(division) ?? 0) + 1);
      }
      return out;
    };
    const statusReads = perDivision(/\/salesinvoice\/SalesInvoices(\?|$)/);
    const accountReads = perDivision(/\/crm\/Accounts(\?|$)/);
    // Each administration's demo invoices fit in one batch of 50: one status read, one accounts read.
    const perAdmin = new Map<string, number>();
    for (const i of invoices) perAdmin.set(i.admin, (perAdmin.get(i.admin) ?? 0) + 1);
    expect(Math.max(...perAdmin.values())).toBeLessThan(50);
    expect([...statusReads.values()].every((n) => n === 1)).toBe(true);
    expect(accountReads).toEqual(statusReads);
    expect(accountReads.size).toBeGreaterThanOrEqual(3);
    const prints = env.stack.exact.prints().length;
    expect(prints).toBeGreaterThan(2 * [...accountReads.values()].reduce((a, b) => a + b, 0));
  });
});
