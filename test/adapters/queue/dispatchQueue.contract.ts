/**
 * The behaviour the connector relies on from its dispatch queue, run against every adapter
 * (in-process queue; Service Bus adapter over a broker faked at the SDK boundary).
 */
import type { DispatchQueue, DispatchRequest, RowsRequest } from '../../../src/app/ports';
import { ManualClock } from '../../../src/adapters/queue/clock';
import type { Settlement } from '../../../src/adapters/queue/settlement';

export interface DeliveryInfo {
  messageId: string;
  sessionId: string;
  deliveryCount: number;
}

export interface QueueUnderTest {
  queue: DispatchQueue;
  consume(handler: (request: DispatchRequest, info: DeliveryInfo) => Promise<void | Settlement>): void;
  idle(): Promise<void>;
  deadLetters(): { messageId: string; reason: string; description: string }[];
  close(): Promise<void>;
}

export interface ContractSetup {
  clock: ManualClock;
  maxDeliveryCount: number;
}

export const request = (rowId: string, over: Partial<RowsRequest> = {}): RowsRequest => ({
  kind: 'rows',
  tenantId: 'tenant-1',
  rowIds: [rowId],
  division: 123456,
  administrationId: null,
  trigger: 'webhook',
  requestedAt: '2025-03-01T10:00:00.000Z',
  ...over,
});

export const firstRow = (r: DispatchRequest): string | null => (r.kind === 'rows' ? r.rowIds[0]! : null);

/** Waits for a condition the handlers bring about; bounded in event-loop turns, not in time. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export function dispatchQueueContract(name: string, make: (setup: ContractSetup) => QueueUnderTest): void {
  describe(`DispatchQueue contract: ${name}`, () => {
    let clock: ManualClock;
    let q: QueueUnderTest;
    let seen: { rowId: string | null; info: DeliveryInfo }[];

    beforeEach(() => {
      clock = new ManualClock('2025-03-01T10:00:00.000Z');
      q = make({ clock, maxDeliveryCount: 3 });
      seen = [];
    });
    afterEach(() => q.close());

    const record = async (r: DispatchRequest, info: DeliveryInfo): Promise<void> => {
      seen.push({ rowId: firstRow(r), info });
    };

    test('when a message is enqueued, then the handler gets the same request with its ids and delivery count 1', async () => {
      const got: DispatchRequest[] = [];
      q.consume(async (r, info) => {
        got.push(r);
        seen.push({ rowId: firstRow(r), info });
      });
      const sent = request('row-1', { rowIds: ['row-1', 'row-2'], trigger: 'sweep' });
      await q.queue.enqueue(sent, { messageId: 'm-1', sessionId: 'tenant-1:123456' });
      await q.idle();
      expect(got).toEqual([sent]);
      expect(seen).toEqual([
        {
          rowId: 'row-1',
          info: expect.objectContaining({ messageId: 'm-1', sessionId: 'tenant-1:123456', deliveryCount: 1 }),
        },
      ]);
    });

    test('when the same messageId is enqueued twice, then the duplicate is dropped', async () => {
      q.consume(record);
      await q.queue.enqueue(request('row-1'), { messageId: 'm-1', sessionId: 's' });
      await q.queue.enqueue(request('row-2'), { messageId: 'm-1', sessionId: 's' });
      await q.idle();
      expect(seen.map((s) => s.rowId)).toEqual(['row-1']);
    });

    test('when a scheduled message is pending, then a message with its messageId is dropped too', async () => {
      q.consume(record);
      await q.queue.enqueue(request('row-1'), {
        messageId: 'm-1',
        sessionId: 's',
        scheduledFor: new Date(clock.now().getTime() + 60_000),
      });
      await q.queue.enqueue(request('row-2'), { messageId: 'm-1', sessionId: 's' });
      clock.advance(60_000);
      await q.idle();
      expect(seen.map((s) => s.rowId)).toEqual(['row-1']);
    });

    test('when a message is scheduled, then it is not delivered before its time and delivered at it', async () => {
      q.consume(record);
      const at = new Date(clock.now().getTime() + 60_000);
      await q.queue.enqueue(request('row-1'), { messageId: 'm-1', sessionId: 's', scheduledFor: at });
      await q.idle();
      clock.advance(59_999);
      await q.idle();
      expect(seen).toEqual([]);
      clock.advance(1);
      await q.idle();
      expect(seen.map((s) => s.rowId)).toEqual(['row-1']);
    });

    test('when messages share a session, then they are handled one at a time in order while another session runs alongside', async () => {
      const gates = new Map<string, ReturnType<typeof gate>>();
      const running = new Set<string>();
      const started: string[] = [];
      let overlapInSessionA = false;
      q.consume(async (r) => {
        const id = firstRow(r)!;
        if (id.startsWith('A') && [...running].some((x) => x.startsWith('A'))) overlapInSessionA = true;
        running.add(id);
        started.push(id);
        const g = gate();
        gates.set(id, g);
        await g.promise;
        running.delete(id);
      });
      for (const id of ['A1', 'A2', 'A3'])
        await q.queue.enqueue(request(id), { messageId: id, sessionId: 'tenant-1:A' });
      await q.queue.enqueue(request('B1'), { messageId: 'B1', sessionId: 'tenant-1:B' });

      await until(() => started.length === 2, 'A1 and B1 start');
      expect(started.sort()).toEqual(['A1', 'B1']);
      gates.get('A1')!.open();
      await until(() => started.includes('A2'), 'A2 starts after A1');
      expect(started).not.toContain('A3');
      gates.get('B1')!.open();
      gates.get('A2')!.open();
      await until(() => started.includes('A3'), 'A3 starts after A2');
      gates.get('A3')!.open();
      await q.idle();

      expect(started.filter((x) => x.startsWith('A'))).toEqual(['A1', 'A2', 'A3']);
      expect(overlapInSessionA).toBe(false);
    });

    test('when a handler keeps failing, then the message is dead-lettered with MaxDeliveryCountExceeded after maxDeliveryCount deliveries', async () => {
      const counts: number[] = [];
      q.consume(async (r, info) => {
        if (firstRow(r) === 'row-bad') {
          counts.push(info.deliveryCount);
          throw new Error('Exact timed out');
        }
        seen.push({ rowId: firstRow(r), info });
      });
      await q.queue.enqueue(request('row-bad'), { messageId: 'm-1', sessionId: 's' });
      await q.queue.enqueue(request('row-next'), { messageId: 'm-2', sessionId: 's' });
      await q.idle();

      expect(counts).toEqual([1, 2, 3]);
      expect(q.deadLetters()).toEqual([
        expect.objectContaining({ messageId: 'm-1', reason: 'MaxDeliveryCountExceeded' }),
      ]);
      expect(seen.map((s) => s.rowId)).toEqual(['row-next']);
    });

    test('when a handler fails once, then the message is redelivered and completes', async () => {
      q.consume(async (r, info) => {
        seen.push({ rowId: firstRow(r), info });
        if (info.deliveryCount === 1) throw new Error('flaky');
      });
      await q.queue.enqueue(request('row-1'), { messageId: 'm-1', sessionId: 's' });
      await q.idle();
      expect(seen.map((s) => s.info.deliveryCount)).toEqual([1, 2]);
      expect(q.deadLetters()).toEqual([]);
    });

    test('when the handler settles with a dead-letter, then it is dead-lettered at once with that reason', async () => {
      let deliveries = 0;
      q.consume(async () => {
        deliveries += 1;
        return { kind: 'deadLetter', reason: 'exact_rejected', description: 'Layout does not exist' };
      });
      await q.queue.enqueue(request('row-1'), { messageId: 'm-1', sessionId: 's' });
      await q.idle();
      expect(deliveries).toBe(1);
      expect(q.deadLetters()).toEqual([
        { messageId: 'm-1', reason: 'exact_rejected', description: 'Layout does not exist' },
      ]);
    });
  });
}
