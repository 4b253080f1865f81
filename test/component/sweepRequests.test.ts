import { InvocationContext } from '@azure/functions';
import { sweep } from '../../functions/sweep';
import type { DispatchQueue, DispatchRequest, EnqueueOptions } from '../../src/app/ports';
import { sweepOneAdministration, sweepSlot } from '../../src/app/sweep';
import { enqueueSweeps } from '../../src/app/sweepRequests';
import { sweepDeps } from '../../src/composition/runtime';
import { ADMIN_A, ADMIN_B, crashOnce, demoRow, printsOf, settleQueue, useManualClockStack } from './helpers';

// 10:15:30 in Amsterdam: a quarter-hour sweep slot.
const START = new Date('2026-05-12T08:15:30Z');
const { clock, env } = useManualClockStack(START);

const demo = () => env.stack.runtime.tenants.find((t) => t.name === 'demo')!;

function recordingQueue(): DispatchQueue & {
  sent: Array<{ request: DispatchRequest; options: EnqueueOptions }>;
} {
  const sent: Array<{ request: DispatchRequest; options: EnqueueOptions }> = [];
  return { sent, enqueue: async (request, options) => void sent.push({ request, options }) };
}

describe("sweep requests: the timer asks, the administration's session sweeps", () => {
  test('when the timer fires twice in one tick, then each enabled administration gets the same one sweep request on its own session', async () => {
    const queue = recordingQueue();
    const deps = { ...sweepDeps(env.stack.runtime, demo()), queue };
    const first = await enqueueSweeps(deps, (a) => sweepSlot(clock.now(), a.timeZone));
    await enqueueSweeps(deps, (a) => sweepSlot(clock.now(), a.timeZone));

    const asked = first.filter((a) => !a.skipped);
    expect(asked.map((a) => a.administration.id)).toEqual(expect.arrayContaining([ADMIN_A, ADMIN_B]));
    const skipped = first.filter((a) => a.skipped);
    expect(skipped.length).toBeGreaterThan(0); // the demo's switched-off administration
    expect(skipped.every((a) => /eol_printinvoices = no/.test(a.skipped!))).toBe(true);
    expect(queue.sent).toHaveLength(2 * asked.length);
    const [once, twice] = [queue.sent.slice(0, asked.length), queue.sent.slice(asked.length)];
    // Same message ids in one tick: Service Bus duplicate detection keeps one of each.
    expect(twice.map((m) => m.options.messageId)).toEqual(once.map((m) => m.options.messageId));
    for (const m of once) {
      expect(m.request).toMatchObject({ kind: 'sweep', tenantId: 'demo', sweep: 'quarter' });
      expect(m.options.sessionId).toBe(`demo:${m.request.administrationId}`);
    }
  });

  test('when the worker dies while sweeping an administration, then the redelivered request finishes it and the invoice without an event goes out once', async () => {
    const tenant = demo();
    const records = tenant.records;
    // Administration A's sweep dies after listing Exact, before it reads its rows.
    const crashing = crashOnce(
      records,
      'findByExactIds',
      'before',
      (administrationId) => administrationId === ADMIN_A,
    );
    tenant.records = crashing;
    try {
      expect(printsOf(env.stack, 'I1')).toHaveLength(0);
      await sweep(null, new InvocationContext({ functionName: 'sweep' }));
      await settleQueue(env.stack, clock, 5 * 60_000);
      expect(crashing.fired()).toBe(true);
    } finally {
      tenant.records = records;
    }
    expect(printsOf(env.stack, 'I1')).toHaveLength(1);
    expect(demoRow(env.stack, 'I1').eol_dispatchstatus).toBe(4);
    expect(env.stack.queue.deadLetters()).toHaveLength(0);
  });
  test('when a sweep request waited while another sweep of its administration ran, then it is skipped; a later one or a full one runs', async () => {
    const queue = recordingQueue();
    const deps = { ...sweepDeps(env.stack.runtime, demo()), queue };
    const requestedAt = clock.now();
    clock.advance(1_000);
    const first = await sweepOneAdministration(deps, ADMIN_B, false, requestedAt);
    expect(first.skipped).toBeUndefined();
    const enqueued = queue.sent.length;

    const waited = await sweepOneAdministration(deps, ADMIN_B, false, requestedAt);
    expect(waited.skipped).toMatch(/already swept at .*, after this request/);
    expect(queue.sent).toHaveLength(enqueued);

    clock.advance(1_000);
    expect((await sweepOneAdministration(deps, ADMIN_B, false, clock.now())).skipped).toBeUndefined();
    expect((await sweepOneAdministration(deps, ADMIN_B, true, requestedAt)).skipped).toBeUndefined();
  });
});
