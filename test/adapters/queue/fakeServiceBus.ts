/**
 * An in-memory Service Bus at the SDK boundary: a sender (sendMessages / scheduleMessages) and a session
 * receive loop as the Functions host runs it. Broker semantics come from SessionBroker; what this fake
 * adds is the SDK's shapes: the raw 0-based deliveryCount, and a session-enabled queue's refusal of
 * messages without SessionId or MessageId.
 */
import type { ServiceBusMessage } from '@azure/service-bus';
import type { ManualClock } from '../../../src/adapters/queue/clock';
import { SessionBroker, type DeliveryContext } from '../../../src/adapters/queue/sessionBroker';
import type { Settlement } from '../../../src/adapters/queue/settlement';
import type { DispatchSender } from '../../../src/adapters/queue/serviceBusQueue';

interface Wire {
  body: unknown;
  messageId: string;
  sessionId: string;
  contentType?: string;
  subject?: string;
}

/** A received message as the SDK exposes it to the host: deliveryCount is the raw AMQP header (0 first). */
export interface FakeReceived {
  body: unknown;
  messageId: string;
  sessionId: string;
  deliveryCount: number;
}

export class FakeServiceBus {
  readonly broker: SessionBroker<Wire>;
  readonly sent: ServiceBusMessage[] = [];
  readonly scheduledAt: Date[] = [];
  /** Injected failure for the next sender call (then cleared). */
  failNext: unknown;

  constructor(clock: ManualClock, opts: { maxDeliveryCount?: number } = {}) {
    this.broker = new SessionBroker<Wire>({
      clock,
      maxDeliveryCount: opts.maxDeliveryCount,
      backoffMs: () => 0,
    });
  }

  readonly sender: DispatchSender = {
    sendMessages: async (message) => {
      this.throwIfFailing();
      this.broker.send(this.wire(message), this.route(message));
    },
    scheduleMessages: async (message, at) => {
      this.throwIfFailing();
      this.scheduledAt.push(at);
      this.broker.send(this.wire(message), { ...this.route(message), scheduledFor: at });
      return [];
    },
    close: async () => undefined,
  };

  /** Session receive loop, as the Functions host runs it: one message per session at a time. */
  subscribe(
    onMessage: (m: FakeReceived, ctx: DeliveryContext) => Promise<void | Settlement>,
    opts: { maxConcurrentSessions?: number } = {},
  ): void {
    this.broker.process(async (wire, ctx) => {
      const received: FakeReceived = {
        body: wire.body,
        messageId: wire.messageId,
        sessionId: wire.sessionId,
        deliveryCount: ctx.deliveryCount - 1,
      };
      return onMessage(received, ctx);
    }, opts);
  }

  private wire(m: ServiceBusMessage): Wire {
    return {
      body: m.body,
      messageId: String(m.messageId),
      sessionId: String(m.sessionId),
      contentType: m.contentType,
      subject: m.subject,
    };
  }

  private route(m: ServiceBusMessage): { messageId: string; sessionId: string } {
    this.sent.push(m);
    if (!m.sessionId) throw new Error('session-enabled queue: SessionId is required');
    if (m.messageId === undefined) throw new Error('duplicate detection needs a MessageId');
    return { messageId: String(m.messageId), sessionId: m.sessionId };
  }

  private throwIfFailing(): void {
    const failure = this.failNext;
    if (failure === undefined) return;
    this.failNext = undefined;
    throw failure;
  }
}
