import Long from 'long';
import { IntegrationError } from '../../../src/app/errors';
import { ManualClock } from '../../../src/adapters/queue/clock';
import {
  processDispatchMessage,
  QueueError,
  ServiceBusQueue,
  type MessageSettler,
  type ReceivedDispatchMessage,
} from '../../../src/adapters/queue/serviceBusQueue';
import { request } from './dispatchQueue.contract';
import { FakeServiceBus } from './fakeServiceBus';

class PermanentError extends IntegrationError {
  readonly transient = false;
  override readonly reason = 'exact_rejected' as const;
}

function recordingSettler(): MessageSettler & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    completeMessage: async () => void calls.push(['complete']),
    abandonMessage: async () => void calls.push(['abandon']),
    deadLetterMessage: async (_m, o) =>
      void calls.push(['deadLetter', o.deadLetterReason, o.deadLetterErrorDescription]),
  };
}

describe('ServiceBusQueue', () => {
  let bus: FakeServiceBus;
  let queue: ServiceBusQueue;
  beforeEach(() => {
    bus = new FakeServiceBus(new ManualClock('2025-03-01T10:00:00Z'));
    queue = new ServiceBusQueue(bus.sender);
  });

  test('when a request is enqueued, then one JSON message carries its messageId, sessionId and trigger', async () => {
    await queue.enqueue(request('row-1'), { messageId: 'tenant-1:row-1:v1', sessionId: 'tenant-1:123456' });
    expect(bus.sent).toEqual([
      {
        body: request('row-1'),
        contentType: 'application/json',
        messageId: 'tenant-1:row-1:v1',
        sessionId: 'tenant-1:123456',
        subject: 'webhook',
      },
    ]);
  });

  test('when a request is scheduled, then the handle is the exact sequence number and cancel passes it back unchanged', async () => {
    const at = new Date('2025-03-02T00:05:00Z');
    const handle = await queue.enqueue(request('row-1'), {
      messageId: 'm',
      sessionId: 's',
      scheduledFor: at,
    });
    expect(bus.scheduledAt).toEqual([at]);
    expect(handle).toBe('9007199254740994');
    await queue.cancelScheduled(handle!);
    expect(bus.cancelled).toEqual(['9007199254740994']);
    expect(bus.broker.stats().scheduled).toBe(0);
  });

  test('when the scheduled message is already gone, then cancel is a no-op', async () => {
    await expect(queue.cancelScheduled('9007199254740999')).resolves.toBeUndefined();
  });

  test('when a handle is not a sequence number, then cancel refuses it without calling Service Bus', async () => {
    await expect(queue.cancelScheduled('abc')).rejects.toThrow(RangeError);
    expect(bus.cancelled).toEqual([]);
  });

  test.each([
    ['a retryable ServiceBusError', { code: 'ServiceBusy', retryable: true }, true],
    ['a socket error without retryable flag', { code: 'ECONNRESET' }, true],
    ['a non-retryable ServiceBusError', { code: 'UnauthorizedAccess', retryable: false }, false],
  ])(
    'when sending fails with %s, then a QueueError says whether to retry',
    async (_name, props, transient) => {
      bus.failNext = Object.assign(
        new Error('amqp:unauthorized-access SharedAccessSignature sig=SECRET'),
        props,
      );
      const err = await queue
        .enqueue(request('row-1'), { messageId: 'm', sessionId: 's' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueueError);
      expect((err as QueueError).transient).toBe(transient);
      expect((err as QueueError).message).toBe(`service bus: send message failed (${props.code})`);
    },
  );

  test('when cancel fails for another reason, then it is raised as a QueueError', async () => {
    bus.failNext = Object.assign(new Error('busy'), { code: 'ServiceBusy', retryable: true });
    await expect(queue.cancelScheduled('9007199254740994')).rejects.toBeInstanceOf(QueueError);
  });
});

describe('processDispatchMessage', () => {
  const message = (body: unknown, over: Partial<ReceivedDispatchMessage> = {}): ReceivedDispatchMessage => ({
    body,
    messageId: 'm-1',
    sessionId: 'tenant-1:123456',
    deliveryCount: 0,
    enqueuedTimeUtc: new Date('2025-03-01T10:00:00Z'),
    sequenceNumber: Long.fromString('9007199254740993'),
    ...over,
  });

  test('when the handler returns nothing, then the message is completed and the context counts deliveries from 1', async () => {
    const settler = recordingSettler();
    let ctx: unknown;
    await processDispatchMessage(settler, message(request('row-1'), { deliveryCount: 2 }), async (_r, c) => {
      ctx = c;
    });
    expect(settler.calls).toEqual([['complete']]);
    expect(ctx).toEqual({
      messageId: 'm-1',
      sessionId: 'tenant-1:123456',
      deliveryCount: 3,
      enqueuedAt: new Date('2025-03-01T10:00:00Z'),
      sequenceNumber: '9007199254740993',
    });
  });

  test('when the body is a JSON string, then it is parsed like an object body', async () => {
    const settler = recordingSettler();
    const got: unknown[] = [];
    await processDispatchMessage(
      settler,
      message(JSON.stringify(request('row-1'))),
      async (r) => void got.push(r),
    );
    expect(got).toEqual([request('row-1')]);
  });

  test.each([
    ['not JSON', '{oops', 'dispatch message body is not JSON'],
    [
      'missing the tenant',
      { ...request('row-1'), tenantId: undefined },
      'dispatch message does not match the schema (tenantId: invalid_type)',
    ],
    [
      'an unknown trigger',
      { ...request('row-1'), trigger: 'manual' },
      'dispatch message does not match the schema (trigger: invalid_value)',
    ],
  ])(
    'when the body is %s, then it is dead-lettered as MalformedMessage without calling the handler',
    async (_n, body, description) => {
      const settler = recordingSettler();
      const handler = jest.fn(async () => undefined);
      await processDispatchMessage(settler, message(body), handler);
      expect(handler).not.toHaveBeenCalled();
      expect(settler.calls).toEqual([['deadLetter', 'MalformedMessage', description]]);
    },
  );

  test('when the handler throws a permanent integration error, then it is dead-lettered with the error reason', async () => {
    const settler = recordingSettler();
    await processDispatchMessage(settler, message(request('row-1')), async () => {
      throw new PermanentError('Exact refused the print: layout unknown');
    });
    expect(settler.calls).toEqual([
      ['deadLetter', 'exact_rejected', 'Exact refused the print: layout unknown'],
    ]);
  });

  test('when the handler throws an unclassified error, then the message is abandoned for redelivery', async () => {
    const settler = recordingSettler();
    const settlement = await processDispatchMessage(settler, message(request('row-1')), async () => {
      throw new TypeError('x is undefined');
    });
    expect(settler.calls).toEqual([['abandon']]);
    expect(settlement.kind).toBe('abandon');
  });

  test('when the description is very long, then it is cut to fit Service Bus limits', async () => {
    const settler = recordingSettler();
    await processDispatchMessage(settler, message(request('row-1')), async () => ({
      kind: 'deadLetter',
      reason: 'exact_rejected',
      description: 'x'.repeat(10_000),
    }));
    expect((settler.calls[0]![2] as string).length).toBe(1024);
  });
});
