import { ManualClock } from '../../../src/adapters/queue/clock';
import { InProcessQueue } from '../../../src/adapters/queue/inProcessQueue';
import { firstRow, request, until } from './dispatchQueue.contract';

describe('InProcessQueue', () => {
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock('2025-03-01T10:00:00.000Z');
  });

  test('when the duplicate window has passed, then the same messageId is accepted again', async () => {
    const queue = new InProcessQueue({ clock });
    const rows: (string | null)[] = [];
    queue.process(async (r) => void rows.push(firstRow(r)));
    await queue.enqueue(request('first'), { messageId: 'm', sessionId: 's' });
    clock.advance(10 * 60_000 - 1);
    await queue.enqueue(request('inside-window'), { messageId: 'm', sessionId: 's' });
    clock.advance(1);
    await queue.enqueue(request('after-window'), { messageId: 'm', sessionId: 's' });
    await queue.idle();
    expect(rows).toEqual(['first', 'after-window']);
    expect(queue.stats().duplicatesDropped).toBe(1);
  });

  test('when a message is dead-lettered, then the hook gets the reason and the last error message', async () => {
    const hookFailures: unknown[] = [];
    const queue = new InProcessQueue({
      clock,
      maxDeliveryCount: 2,
      backoffMs: () => 0,
      onHookError: (e) => hookFailures.push(e),
    });
    const seen: { reason: string; description: string; deliveryCount: number; rowId: string | null }[] = [];
    queue.onDeadLetter(
      (dl) =>
        void seen.push({
          reason: dl.reason,
          description: dl.description,
          deliveryCount: dl.deliveryCount,
          rowId: firstRow(dl.body),
        }),
    );
    queue.onDeadLetter(() => {
      throw new Error('hook broke');
    });
    queue.process(async (_r, ctx) => {
      throw new Error(`Exact answered 503 (delivery ${ctx.deliveryCount})`);
    });
    await queue.enqueue(request('row-1'), { messageId: 'm', sessionId: 's' });
    await queue.idle();
    await until(() => hookFailures.length === 1, 'failing hook reported');
    expect(seen).toEqual([
      {
        reason: 'MaxDeliveryCountExceeded',
        description: 'Exact answered 503 (delivery 2)',
        deliveryCount: 2,
        rowId: 'row-1',
      },
    ]);
  });

  test('when a delivery fails, then the message waits out the backoff before it is offered again', async () => {
    const queue = new InProcessQueue({ clock, backoffMs: (n) => n * 1000 });
    const counts: number[] = [];
    queue.process(async (_r, ctx) => {
      counts.push(ctx.deliveryCount);
      if (ctx.deliveryCount < 3) throw new Error('busy');
    });
    await queue.enqueue(request('row-1'), { messageId: 'm', sessionId: 's' });
    await queue.idle();
    expect(counts).toEqual([1]);
    clock.advance(999);
    await queue.idle();
    expect(counts).toEqual([1]);
    clock.advance(1);
    await queue.idle();
    expect(counts).toEqual([1, 2]);
    clock.advance(2000);
    await queue.idle();
    expect(counts).toEqual([1, 2, 3]);
    expect(queue.stats()).toMatchObject({ delivered: 3, abandoned: 2, completed: 1, active: 0 });
  });

  test('when more sessions have work than the limit, then only that many run at once', async () => {
    const queue = new InProcessQueue({ clock });
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    queue.process(
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running -= 1;
      },
      { maxConcurrentSessions: 2 },
    );
    for (const s of ['a', 'b', 'c', 'd']) await queue.enqueue(request(s), { messageId: s, sessionId: s });
    for (let done = 0; done < 4; done++) {
      await until(() => release.length > done, `delivery ${done + 1} starts`);
      release[done]!();
    }
    await queue.idle();
    expect(peak).toBe(2);
    expect(queue.stats().completed).toBe(4);
  });

  test('when a handler changes the body it got, then a redelivery still carries the original', async () => {
    const queue = new InProcessQueue({ clock, backoffMs: () => 0 });
    const rows: (string | null)[] = [];
    queue.process(async (r, ctx) => {
      rows.push(firstRow(r));
      if (r.kind === 'rows') r.rowIds[0] = 'mutated';
      if (ctx.deliveryCount === 1) throw new Error('retry');
    });
    await queue.enqueue(request('row-1'), { messageId: 'm', sessionId: 's' });
    await queue.idle();
    expect(rows).toEqual(['row-1', 'row-1']);
  });

  test('when drain is awaited, then it resolves only after scheduled messages are delivered', async () => {
    const queue = new InProcessQueue({ clock });
    const rows: (string | null)[] = [];
    queue.process(async (r) => void rows.push(firstRow(r)));
    await queue.enqueue(request('later'), {
      messageId: 'm',
      sessionId: 's',
      scheduledFor: new Date('2025-03-01T11:00:00Z'),
    });
    let drained = false;
    const drain = queue.drain().then(() => (drained = true));
    await queue.idle();
    expect(drained).toBe(false);
    expect(queue.stats().scheduled).toBe(1);
    clock.advanceTo('2025-03-01T11:00:00Z');
    await drain;
    expect(rows).toEqual(['later']);
  });

  test('when closed, then running handlers finish, scheduled ones are dropped and enqueue is refused', async () => {
    const queue = new InProcessQueue({ clock });
    let finish!: () => void;
    let finished = false;
    queue.process(async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      finished = true;
    });
    await queue.enqueue(request('now'), { messageId: 'm1', sessionId: 's' });
    await queue.enqueue(request('later'), {
      messageId: 'm2',
      sessionId: 't',
      scheduledFor: new Date('2025-03-02T00:00:00Z'),
    });
    await until(() => finish !== undefined, 'handler runs');
    const closed = queue.close();
    finish();
    await closed;
    expect(finished).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    await expect(queue.enqueue(request('x'), { messageId: 'm3', sessionId: 's' })).rejects.toThrow('closed');
  });

  test('when a second consumer registers, then it is refused', () => {
    const queue = new InProcessQueue({ clock });
    queue.process(async () => undefined);
    expect(() => queue.process(async () => undefined)).toThrow('already has a consumer');
  });
});
