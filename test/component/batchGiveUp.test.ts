import { IntegrationError } from '../../src/app/errors';
import type { ExactGateway } from '../../src/app/ports';
import { demoGuid } from '../../sandbox/seed/demo';
import { markGaveUp } from '../../src/app/gaveUp';
import { ADMIN_A, demoDeps, demoRow, printsOf, rowsOf, settleQueue, useManualClockStack } from './helpers';

const START = new Date('2026-05-12T08:01:00Z');
const { clock, env } = useManualClockStack(START);

class Flaky extends IntegrationError {
  readonly transient = true;
  readonly reason = 'exact_rejected' as const;
}

/** Exact's status call fails (transient, no server hint) whenever `fails` says so for the ids asked. */
function flakyStatus(fails: (ids: string[]) => boolean): () => void {
  const tenant = env.stack.runtime.tenants.find((t) => t.name === 'demo')!;
  const exact = tenant.exact;
  const wrapped = Object.create(exact) as ExactGateway;
  wrapped.confirmStatuses = async (division, ids) => {
    if (fails(ids)) throw new Flaky('Exact answered 503: Service unavailable.');
    return exact.confirmStatuses(division, ids);
  };
  tenant.exact = wrapped;
  return () => void (tenant.exact = exact);
}

/** True for the first 10 status calls: one per delivery of the batch, all of them before it is split. */
const firstTen = () => {
  let calls = 0;
  return () => ++calls <= 10;
};

const batch = (keys: string[], messageSuffix: string): Promise<unknown> => {
  const request = rowsOf(keys, { admin: ADMIN_A, division: 100001, trigger: 'sweep', now: clock.now() });
  return env.stack.queue.enqueue(request, {
    messageId: `batch-${messageSuffix}`,
    sessionId: `demo:${ADMIN_A}`,
  });
};

describe('a batch that fails on every delivery', () => {
  test('when only the batch as a whole keeps failing, then it goes on as one message per invoice and every invoice is sent once', async () => {
    const restore = flakyStatus(firstTen());
    try {
      await batch(['I6', 'I7'], 'whole');
      await settleQueue(env.stack, clock, 10 * 60_000);
    } finally {
      restore();
    }
    expect(env.stack.queue.deadLetters()).toHaveLength(0);
    for (const key of ['I6', 'I7']) {
      expect(printsOf(env.stack, key)).toHaveLength(1);
      expect(demoRow(env.stack, key).eol_dispatchstatus).toBe(4);
    }
  });

  test('when one invoice fails on its own too, then only that one is marked gave-up and the others stand', async () => {
    const bad = demoGuid('invoice:I10');
    const batchCalls = firstTen();
    const restore = flakyStatus((ids) => batchCalls() || ids.includes(bad));
    try {
      await batch(['I2', 'I10', 'I6'], 'one-bad');
      await settleQueue(env.stack, clock, 10 * 60_000);
    } finally {
      restore();
    }
    const dead = env.stack.queue.deadLetters();
    expect(dead).toHaveLength(1);
    // One message per invoice, under Service Bus's 128-character id limit, still with the batch's trigger.
    expect(dead[0]!.body).toMatchObject({ kind: 'rows', rowIds: [demoGuid('row:I10')], trigger: 'sweep' });
    expect(dead[0]!.messageId.length).toBeLessThanOrEqual(128);
    expect(demoRow(env.stack, 'I10')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'delivery_gave_up',
    });
    expect(printsOf(env.stack, 'I10')).toHaveLength(0);
    expect(printsOf(env.stack, 'I2')).toHaveLength(1);
    // Sent by the first test: it stays sent, not "gave up".
    expect(demoRow(env.stack, 'I6')).toMatchObject({ eol_dispatchstatus: 4 });
    expect(printsOf(env.stack, 'I6')).toHaveLength(1);
  });
  test('when the message of a due schedule gives up, then the invoice is marked gave-up; a future schedule stands', async () => {
    const deps = demoDeps(env.stack);
    const scheduled = async (key: string, at: Date) => {
      const entry = await deps.ledger.ensure(
        { tenantId: 'demo', division: 100001, invoiceId: demoGuid(`invoice:${key}`) },
        demoGuid(`row:${key}`),
      );
      await deps.ledger.update(entry, { state: 'scheduled', reason: 'scheduled', scheduledFor: at });
    };
    await scheduled('I1', new Date(clock.now().getTime() - 60_000));
    await scheduled('I7', new Date(clock.now().getTime() + 86_400_000));
    const request = (key: string) =>
      rowsOf([key], { admin: ADMIN_A, division: 100001, trigger: 'schedule', now: clock.now() });
    await markGaveUp(deps, request('I1'), new Error('Exact answered 503: Service unavailable.'));
    await markGaveUp(deps, request('I7'), new Error('Exact answered 503: Service unavailable.'));
    expect(demoRow(env.stack, 'I1')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'delivery_gave_up',
    });
    expect(demoRow(env.stack, 'I7').eol_dispatchreason).not.toBe('delivery_gave_up');
  });
});
