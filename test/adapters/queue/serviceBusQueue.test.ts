import { ManualClock } from '../../../src/adapters/queue/clock';
import { QueueError, ServiceBusQueue } from '../../../src/adapters/queue/serviceBusQueue';
import { request } from './dispatchQueue.contract';
import { FakeServiceBus } from './fakeServiceBus';

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

  test('when a request is scheduled, then it is handed to Service Bus with its instant and not delivered before it', async () => {
    const at = new Date('2025-03-02T00:05:00Z');
    await queue.enqueue(request('row-1'), { messageId: 'm', sessionId: 's', scheduledFor: at });
    expect(bus.scheduledAt).toEqual([at]);
    expect(bus.broker.stats().scheduled).toBe(1);
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
});
