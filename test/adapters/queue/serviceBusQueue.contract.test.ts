import { parseDispatchRequest } from '../../../src/adapters/queue/dispatchMessage';
import { ServiceBusQueue } from '../../../src/adapters/queue/serviceBusQueue';
import { dispatchQueueContract } from './dispatchQueue.contract';
import { FakeServiceBus } from './fakeServiceBus';

dispatchQueueContract('Service Bus adapter (SDK faked at its boundary)', ({ clock, maxDeliveryCount }) => {
  const bus = new FakeServiceBus(clock, { maxDeliveryCount });
  const queue = new ServiceBusQueue(bus.sender);
  return {
    queue,
    // The Functions host's part: the body as sent, the delivery count from 1, a throw settles the delivery.
    consume: (handler) =>
      bus.subscribe(
        async (m) => {
          const parsed = parseDispatchRequest(m.body);
          if (!parsed.ok)
            return { kind: 'deadLetter', reason: 'MalformedMessage', description: parsed.error };
          try {
            return await handler(parsed.request, {
              messageId: m.messageId,
              sessionId: m.sessionId,
              deliveryCount: m.deliveryCount + 1,
            });
          } catch (err) {
            // The Functions host abandons a delivery whose handler threw; the broker dead-letters it at the limit.
            return { kind: 'abandon', error: err };
          }
        },
        { maxConcurrentSessions: 4 },
      ),
    idle: () => bus.broker.idle(),
    deadLetters: () =>
      bus.broker
        .deadLetters()
        .map((d) => ({ messageId: d.messageId, reason: d.reason, description: d.description })),
    close: async () => {
      await queue.close();
      await bus.broker.close();
    },
  };
});
