/**
 * Decision 0100: events of one administration arriving within the event window share one delivery, so one
 * Exact status confirmation; an event alone costs what it did; a failing coalesced run leaves every message
 * to its own retry policy.
 */
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { buildLoadSeed, type LoadInvoice } from '../../bench/support/seed';
import { doublePrints, postWebhook, settleQueue, useManualClockStack } from './helpers';

// On a window boundary (windows of 2 s aligned on the epoch).
const START = new Date('2026-12-01T09:00:00.000Z');
const seed = buildLoadSeed({
  divisions: 1,
  invoicesPerDivision: 12,
  rowShare: 1,
  today: START,
  firstDivision: 500001,
});
const { clock, env } = useManualClockStack(START, { customSeed: seed, eventWindowMs: 2_000 });

const statusReads = () =>
  env.stack.exact
    .requests()
    .filter((r) => r.method === 'GET' && /\/salesinvoice\/SalesInvoices/i.test(r.path)).length;
const prints = () => env.stack.exact.prints().length;

async function post(inv: LoadInvoice): Promise<void> {
  const row = env.stack.dataverse.get('demo')!.row('eol_salesinvoices', inv.rowId!)!;
  const res = await postWebhook(
    serialiseLikeDataverse(invoiceCreatedEvent(env.stack.tenants[0]!.organizationId, row)),
  );
  expect(res.status).toBe(202);
}

describe('event window (decision 0100)', () => {
  test('when 5 events of one administration arrive within the window, then one status call confirms them all and each is printed once', async () => {
    const [s0, p0] = [statusReads(), prints()];
    for (const inv of seed.invoices.slice(0, 5)) {
      await post(inv);
      clock.advance(300);
    }
    await env.stack.queue.idle();
    expect(prints() - p0).toBe(0); // nothing dispatched before the window ends
    await settleQueue(env.stack, clock, 60_000, 500);
    expect(statusReads() - s0).toBe(1);
    expect(prints() - p0).toBe(5);
    expect(doublePrints(env.stack)).toEqual([]);
  });

  test('when an event arrives alone, then it costs one status call, one read of the account Exact sends to and one print (3 Exact calls)', async () => {
    clock.advanceTo(Math.ceil(clock.now().getTime() / 60_000) * 60_000);
    const e0 = env.stack.exact.requests().length;
    const [s0, p0] = [statusReads(), prints()];
    await post(seed.invoices[5]!);
    await settleQueue(env.stack, clock, 60_000, 500);
    expect(statusReads() - s0).toBe(1);
    expect(prints() - p0).toBe(1);
    // The account read is the receiver check before printing (decision 0095).
    expect(env.stack.exact.requests().length - e0).toBe(3);
  });

  test('when the coalesced run fails, then each message is retried on its own and every invoice is still sent once', async () => {
    clock.advanceTo(Math.ceil(clock.now().getTime() / 60_000) * 60_000);
    const [p0, abandoned0] = [prints(), env.stack.queue.stats().abandoned];
    // The coalesced run and each message alone fail once (a fault no server hint comes with); the
    // redeliveries find Exact back.
    const exact = env.stack.runtime.tenants[0]!.exact;
    const original = exact.confirmStatuses.bind(exact);
    let failures = 0;
    jest.spyOn(exact, 'confirmStatuses').mockImplementation(async (...args) => {
      if (failures++ < 4) throw new Error('connection reset');
      return original(...args);
    });
    for (const inv of seed.invoices.slice(6, 9)) await post(inv);
    await settleQueue(env.stack, clock, 10 * 60_000, 500);
    expect(failures).toBeGreaterThan(4);
    expect(env.stack.queue.stats().abandoned - abandoned0).toBe(3);
    expect(prints() - p0).toBe(3);
    expect(env.stack.queue.deadLetters()).toEqual([]);
    expect(doublePrints(env.stack)).toEqual([]);
  });
});
