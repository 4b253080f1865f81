import { InProcessQueue } from '../../../src/adapters/queue/inProcessQueue';
import { dispatchQueueContract } from './dispatchQueue.contract';

dispatchQueueContract('in-process queue', ({ clock, maxDeliveryCount }) => {
  const queue = new InProcessQueue({ clock, maxDeliveryCount, backoffMs: () => 0 });
  return {
    queue,
    consume: (handler) => queue.process((r, ctx) => handler(r, ctx), { maxConcurrentSessions: 4 }),
    idle: () => queue.idle(),
    deadLetters: () =>
      queue
        .deadLetters()
        .map((d) => ({ messageId: d.messageId, reason: d.reason, description: d.description })),
    close: () => queue.close(),
  };
});
