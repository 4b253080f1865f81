import { ManualClock } from '../../../src/adapters/queue/clock';
import { InProcessQueue } from '../../../src/adapters/queue/inProcessQueue';
import { receivedMessages } from '../../../src/adapters/queue/batchDelivery';
import { firstRow, request } from './dispatchQueue.contract';

describe('InProcessQueue.processBatch (cardinality many, decision 0100)', () => {
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock('2025-03-01T10:00:00.000Z');
  });

  test('when several messages of one session are ready, then they come in one delivery, in order, and other sessions in their own', async () => {
    const queue = new InProcessQueue({ clock });
    const deliveries: string[][] = [];
    queue.processBatch(async (batch) => {
      deliveries.push(batch.map((m) => `${m.ctx.sessionId}/${firstRow(m.body)}`));
      return batch.map(() => undefined);
    });
    const at = new Date('2025-03-01T10:00:02.000Z');
    for (const [id, session] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
      ['a3', 'a'],
    ] as const)
      await queue.enqueue(request(id), { messageId: id, sessionId: session, scheduledFor: at });
    await queue.idle();
    expect(deliveries).toEqual([]);
    clock.advance(2_000);
    await queue.idle();
    expect(deliveries.sort()).toEqual([['a/a1', 'a/a2', 'a/a3'], ['b/b1']]);
    expect(queue.stats()).toMatchObject({ delivered: 4, completed: 4, active: 0 });
  });

  test('when one message of a delivery is abandoned, then only it is redelivered (delivery count 2) and the others are completed', async () => {
    const queue = new InProcessQueue({ clock, backoffMs: () => 0 });
    const seen: string[] = [];
    for (const id of ['r1', 'r2', 'r3']) queue.send(request(id), { messageId: id, sessionId: 's' });
    queue.processBatch(async (batch) => {
      seen.push(...batch.map((m) => `${firstRow(m.body)}#${m.ctx.deliveryCount}`));
      return batch.map((m) =>
        firstRow(m.body) === 'r2' && m.ctx.deliveryCount === 1
          ? { kind: 'abandon' as const, error: new Error('busy') }
          : { kind: 'complete' as const },
      );
    });
    await queue.idle();
    expect(seen).toEqual(['r1#1', 'r2#1', 'r3#1', 'r2#2']);
    expect(queue.stats()).toMatchObject({ delivered: 4, completed: 3, abandoned: 1, active: 0 });
  });

  test('when the batch handler throws, then every message of the delivery is abandoned and dead-lettered after its own count', async () => {
    const queue = new InProcessQueue({ clock, backoffMs: () => 0, maxDeliveryCount: 2 });
    for (const id of ['r1', 'r2']) queue.send(request(id), { messageId: id, sessionId: 's' });
    queue.processBatch(async () => {
      throw new Error('host crashed');
    });
    await queue.idle();
    expect(queue.deadLetters().map((d) => [firstRow(d.body), d.deliveryCount, d.description])).toEqual([
      ['r1', 2, 'host crashed'],
      ['r2', 2, 'host crashed'],
    ]);
  });

  test('when more messages are ready than maxBatch, then a delivery takes maxBatch of them', async () => {
    const queue = new InProcessQueue({ clock });
    const sizes: number[] = [];
    for (const id of ['r1', 'r2', 'r3']) queue.send(request(id), { messageId: id, sessionId: 's' });
    queue.processBatch(
      async (batch) => {
        sizes.push(batch.length);
        return [];
      },
      { maxBatch: 2 },
    );
    await queue.idle();
    expect(sizes).toEqual([2, 1]);
  });
});

describe('receivedMessages (the Functions host delivery)', () => {
  test('when the host passes an array with per-message metadata arrays, then each message gets its own id and count', () => {
    expect(
      receivedMessages([{ a: 1 }, { a: 2 }], { messageIdArray: ['m1', 'm2'], deliveryCountArray: '[1,3]' }),
    ).toEqual([
      { body: { a: 1 }, messageId: 'm1', deliveryCount: 1 },
      { body: { a: 2 }, messageId: 'm2', deliveryCount: 3 },
    ]);
  });

  test('when one message comes without arrays, then it is a delivery of one with the single metadata', () => {
    expect(receivedMessages('{"x":1}', { messageId: 'm', deliveryCount: 2 })).toEqual([
      { body: '{"x":1}', messageId: 'm', deliveryCount: 2 },
    ]);
    expect(receivedMessages([{}], { deliveryCountArray: ['nonsense'] })).toEqual([
      { body: {}, messageId: '', deliveryCount: 1 },
    ]);
  });
});
