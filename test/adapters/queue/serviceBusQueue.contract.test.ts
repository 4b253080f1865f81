import { processDispatchMessage, ServiceBusQueue } from '../../../src/adapters/queue/serviceBusQueue';
import { dispatchQueueContract } from './dispatchQueue.contract';
import { FakeServiceBus } from './fakeServiceBus';

dispatchQueueContract('Service Bus adapter (SDK faked at its boundary)', ({ clock, maxDeliveryCount }) => {
  const bus = new FakeServiceBus(clock, { maxDeliveryCount });
  const queue = new ServiceBusQueue(bus.sender);
  return {
    queue,
    consume: (handler) =>
      bus.subscribe((m) => processDispatchMessage(bus.settler, m, handler).then(() => undefined), {
        maxConcurrentSessions: 4,
      }),
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
