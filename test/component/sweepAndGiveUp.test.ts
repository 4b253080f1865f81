import { InvocationContext } from '@azure/functions';
import { sweep } from '../../functions/sweep';
import { dispatchInvoices } from '../../src/app/dispatch';
import { demoGuid } from '../../sandbox/seed/demo';
import {
  ADMIN_A,
  countRows,
  crashOnce,
  demoDeps,
  demoRow,
  printsOf,
  rowsOf,
  settleQueue,
  SimulatedCrash,
  useManualClockStack,
} from './helpers';

// 10:01 in Amsterdam: the next quarter-hour sweep slot is 10:15 local (08:15 UTC).
const START = new Date('2026-05-12T08:01:00Z');
const { clock, env } = useManualClockStack(START);

const request = (key: string) => rowsOf([key], { admin: ADMIN_A, now: clock.now() });

/** The sweep timer ticks every 5 minutes; each tick runs the real timer function, then lets the queue work. */
async function tick(): Promise<void> {
  clock.advance(5 * 60_000);
  await sweep(null, new InvocationContext({ functionName: 'sweep' }));
  await settleQueue(env.stack, clock, 0);
}

describe('sweep and give-up', () => {
  test('when a message fails on every one of its 10 deliveries, then it is dead-lettered with its reason and the invoice shows failed with an explanation', async () => {
    // Exact answers 500 to every status confirmation (transient, no server hint: each delivery is spent).
    env.stack.exact.injectFault({
      method: 'GET',
      path: 'salesinvoice/SalesInvoices',
      kind: '500',
      count: 10_000,
      body: 'Internal server error while reading invoices',
    });
    const emails = countRows(env.stack, 'emails');
    await env.stack.queue.enqueue(request('I2'), { messageId: 'fails-always', sessionId: `demo:${ADMIN_A}` });
    await settleQueue(env.stack, clock, 5 * 60_000);
    env.stack.exact.clearFaults();

    const dead = env.stack.queue.deadLetters().filter((d) => d.messageId === 'fails-always');
    expect(dead).toHaveLength(1);
    expect(dead[0]!.deliveryCount).toBe(10);
    expect(dead[0]!.reason).toBe('MaxDeliveryCountExceeded');
    expect(dead[0]!.description).toMatch(/500|server error/i);

    expect(printsOf(env.stack, 'I2')).toHaveLength(0);
    const row = demoRow(env.stack, 'I2');
    expect(row.eol_dispatchstatus).toBe(6);
    expect(row.eol_dispatchreason).toBe('delivery_gave_up');
    expect(String(row.eol_dispatchmessage)).toMatch(/could not be processed after repeated temporary errors/);
    expect(String(row.eol_dispatchmessage)).toMatch(/500|server error/i);
    expect(countRows(env.stack, 'emails')).toBe(emails + 1);
  });

  test('when a worker dies after printing and its message is lost, then the sweep confirms the print in Exact and records it without printing again', async () => {
    const deps = demoDeps(env.stack);
    const exact = crashOnce(deps.exact, 'print', 'after');
    await expect(dispatchInvoices({ ...deps, exact }, request('I6'))).rejects.toThrow(SimulatedCrash);
    expect(printsOf(env.stack, 'I6')).toHaveLength(1);
    expect(demoRow(env.stack, 'I6').eol_dispatchstatus).toBeNull();
    // (no redelivery: the message is gone; the sweep after the lease is the only safety net)
  });

  test('when the event of an invoice never arrives, then the sweep sends it within one sweep period', async () => {
    const from = clock.now().getTime();
    expect(printsOf(env.stack, 'I1')).toHaveLength(0);
    for (let i = 0; i < 3 && printsOf(env.stack, 'I1').length === 0; i++) await tick();

    expect(clock.now().getTime() - from).toBeLessThanOrEqual(15 * 60_000);
    expect(printsOf(env.stack, 'I1')).toHaveLength(1);
    expect(demoRow(env.stack, 'I1').eol_dispatchstatus).toBe(4);
    // A recurring invoice (no row at all) gets a row and goes out in the same sweep.
    expect(printsOf(env.stack, 'I4')).toHaveLength(1);
    const swept = env.stack.dataverse
      .get('demo')!
      .rows('eol_salesinvoices')
      .filter((r) => r.eol_exactinvoiceid === demoGuid('invoice:I4'));
    expect(swept).toHaveLength(1);
    expect(swept[0]!.eol_dispatchstatus).toBe(4);

    // The stale claim of the previous test was repaired from Exact's status, not printed twice; Exact's
    // API shows no evidence that its Peppol message went out, so a person is asked to check.
    expect(printsOf(env.stack, 'I6')).toHaveLength(1);
    expect(demoRow(env.stack, 'I6')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'delivery_unconfirmed',
    });
    // The invoice that gave up stays failed until someone asks for a resend.
    expect(printsOf(env.stack, 'I2')).toHaveLength(0);
  });
});
