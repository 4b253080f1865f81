/**
 * An in-memory Service Bus at the SDK boundary: a sender (sendMessages / scheduleMessages /
 * cancelScheduledMessages) and a session receiver that settles through complete / abandon / deadLetter.
 * Broker semantics come from SessionBroker; what this fake adds is the SDK's shapes: Long sequence numbers
 * (deliberately above 2^53 so precision loss shows), the raw 0-based deliveryCount, a settler that must be
 * called exactly once per delivery, and a session-enabled queue's refusal of messages without SessionId.
 */
import type { DeadLetterOptions, ServiceBusMessage } from '@azure/service-bus';
import Long from 'long';
import type { ManualClock } from '../../../src/adapters/queue/clock';
import { SessionBroker } from '../../../src/adapters/queue/sessionBroker';
import type { Settlement } from '../../../src/adapters/queue/settlement';
import type {
  DispatchSender,
  MessageSettler,
  ReceivedDispatchMessage,
} from '../../../src/adapters/queue/serviceBusQueue';

interface Wire {
  body: unknown;
  messageId: string;
  sessionId: string;
  contentType?: string;
  subject?: string;
}

export interface FakeReceived extends ReceivedDispatchMessage {
  sequenceNumber: Long;
  settle?: (s: Settlement) => void;
}

/** Sequence numbers start past Number.MAX_SAFE_INTEGER: a handle turned into a number would miss. */
const SEQUENCE_BASE = Long.fromString('9007199254740993');

export class FakeServiceBus {
  readonly broker: SessionBroker<Wire>;
  readonly sent: ServiceBusMessage[] = [];
  readonly scheduledAt: Date[] = [];
  readonly cancelled: string[] = [];
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
      const { sequenceNumber } = this.broker.send(this.wire(message), {
        ...this.route(message),
        scheduledFor: at,
      });
      return [SEQUENCE_BASE.add(Long.fromString(sequenceNumber))];
    },
    cancelScheduledMessages: async (sequenceNumber) => {
      this.throwIfFailing();
      this.cancelled.push(sequenceNumber.toString());
      const local = sequenceNumber.subtract(SEQUENCE_BASE);
      if (local.lessThanOrEqual(0) || !this.broker.cancel(local.toString())) {
        throw Object.assign(new Error('The message was not found'), {
          code: 'MessageNotFound',
          retryable: false,
        });
      }
    },
    close: async () => undefined,
  };

  /** The receiver's settlement calls; each delivery must be settled exactly once. */
  readonly settler: MessageSettler<FakeReceived> = {
    completeMessage: async (m) => this.settleOnce(m, { kind: 'complete' }),
    abandonMessage: async (m) => this.settleOnce(m, { kind: 'abandon' }),
    deadLetterMessage: async (m, o: DeadLetterOptions) =>
      this.settleOnce(m, {
        kind: 'deadLetter',
        reason: o.deadLetterReason,
        description: o.deadLetterErrorDescription,
      }),
  };

  /** Session receive loop, as the Functions host runs it: one message per session at a time. */
  subscribe(
    onMessage: (m: FakeReceived) => Promise<void>,
    opts: { maxConcurrentSessions?: number } = {},
  ): void {
    this.broker.process(async (wire, ctx) => {
      let settled: Settlement | undefined;
      const received: FakeReceived = {
        body: wire.body,
        messageId: wire.messageId,
        sessionId: wire.sessionId,
        deliveryCount: ctx.deliveryCount - 1,
        enqueuedTimeUtc: ctx.enqueuedAt,
        sequenceNumber: SEQUENCE_BASE.add(Long.fromString(ctx.sequenceNumber)),
        settle: (s) => {
          settled = s;
        },
      };
      await onMessage(received);
      // A message left unsettled would have its lock expire: that counts as a failed delivery.
      return settled ?? { kind: 'abandon' };
    }, opts);
  }

  private settleOnce(m: FakeReceived, s: Settlement): void {
    if (!m.settle) throw new Error('message already settled');
    m.settle(s);
    delete m.settle;
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
