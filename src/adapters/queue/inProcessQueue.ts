/**
 * The dispatch queue of local mode (`npm start`) and of component tests: the same contract as the
 * Service Bus adapter, in memory. Consumers: `queue.process(handler)`, `queue.onDeadLetter(cb)`;
 * tests: `await queue.idle()`, `clock.advance(ms)` with a ManualClock to release scheduled messages.
 *
 *   const queue = new InProcessQueue({ clock });
 *   queue.process(async (req, ctx) => { … });      // return a Settlement or throw to abandon
 *   await queue.enqueue(req, { messageId, sessionId: `${tenantId}:${administrationId}` });
 */
import type { DispatchQueue, DispatchRequest, EnqueueOptions } from '../../app/ports';
import { SessionBroker, type BrokerOptions } from './sessionBroker';

export type InProcessQueueOptions = BrokerOptions;

/** Messages of one session in one delivery: host.json `maxMessageBatchSize` (decision 0100). */
export const DISPATCH_BATCH_MAX = 50;

export class InProcessQueue extends SessionBroker<DispatchRequest> implements DispatchQueue {
  constructor(options: InProcessQueueOptions = {}) {
    super(options);
  }

  async enqueue(request: DispatchRequest, options: EnqueueOptions): Promise<void> {
    this.send(request, options);
  }
}

export type { DeliveryContext, DeadLetter, BrokerStats, MessageHandler } from './sessionBroker';
export type { Settlement } from './settlement';
