/**
 * The dispatch queue on Azure Service Bus (a session-enabled queue; SessionId = tenant:division).
 * Sending goes through a narrow `DispatchSender` (what `ServiceBusSender` offers), so tests inject an
 * in-memory broker at the SDK boundary. Scheduled handles are sequence numbers kept exact as decimal
 * strings: a Long converted to number loses precision.
 */
import { ServiceBusClient, type DeadLetterOptions, type ServiceBusMessage } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import Long from 'long';
import { IntegrationError } from '../../app/errors';
import type { DispatchQueue, DispatchRequest, EnqueueOptions } from '../../app/ports';
import { parseDispatchRequest } from './dispatchMessage';
import type { DeliveryContext } from './sessionBroker';
import { boundDescription, settlementForError, type Settlement } from './settlement';

/** The part of `ServiceBusSender` this adapter uses. */
export interface DispatchSender {
  sendMessages(message: ServiceBusMessage): Promise<void>;
  scheduleMessages(message: ServiceBusMessage, scheduledEnqueueTimeUtc: Date): Promise<Long[]>;
  cancelScheduledMessages(sequenceNumber: Long): Promise<void>;
  close(): Promise<void>;
}

/** The part of a received message the worker reads (`ServiceBusReceivedMessage` fits). */
export interface ReceivedDispatchMessage {
  body: unknown;
  messageId?: string | number | Buffer;
  sessionId?: string;
  /** As the JS SDK exposes it: the raw AMQP header, 0 on the first delivery. */
  deliveryCount?: number;
  enqueuedTimeUtc?: Date;
  sequenceNumber?: Long;
}

/** The settlement calls of `ServiceBusReceiver` / `ServiceBusSessionReceiver`. */
export interface MessageSettler<M = ReceivedDispatchMessage> {
  completeMessage(message: M): Promise<void>;
  abandonMessage(message: M): Promise<void>;
  deadLetterMessage(message: M, options: DeadLetterOptions): Promise<void>;
}

export type ServiceBusConnection = string | { fullyQualifiedNamespace: string; credential: TokenCredential };

/** Raised when Service Bus refuses or fails a send, schedule or cancel. */
export class QueueError extends IntegrationError {
  /** A send the broker refused: the message could not be delivered (docs/decisions/0050). */
  readonly reason = 'delivery_gave_up' as const;
  readonly transient: boolean;
  constructor(message: string, transient: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.transient = transient;
  }
}

export class ServiceBusQueue implements DispatchQueue {
  constructor(
    private readonly sender: DispatchSender,
    private readonly owned?: { close(): Promise<void> },
  ) {}

  /** `ServiceBusQueue.connect(cs, 'dispatch')` or `.connect({ fullyQualifiedNamespace, credential }, 'dispatch')`. */
  static connect(connection: ServiceBusConnection, queueName: string): ServiceBusQueue {
    const client =
      typeof connection === 'string'
        ? new ServiceBusClient(connection)
        : new ServiceBusClient(connection.fullyQualifiedNamespace, connection.credential);
    return new ServiceBusQueue(client.createSender(queueName), client);
  }

  async enqueue(request: DispatchRequest, options: EnqueueOptions): Promise<string | null> {
    const message: ServiceBusMessage = {
      body: request,
      contentType: 'application/json',
      messageId: options.messageId,
      sessionId: options.sessionId,
      subject: request.trigger,
    };
    try {
      if (options.scheduledFor) {
        const [sequenceNumber] = await this.sender.scheduleMessages(message, options.scheduledFor);
        if (!sequenceNumber) throw new QueueError('service bus: schedule returned no sequence number', true);
        return sequenceNumber.toString();
      }
      await this.sender.sendMessages(message);
      return null;
    } catch (err) {
      throw toQueueError(err, options.scheduledFor ? 'schedule message' : 'send message');
    }
  }

  async cancelScheduled(handle: string): Promise<void> {
    if (!/^\d{1,19}$/.test(handle)) throw new RangeError(`not a scheduled-message handle: "${handle}"`);
    try {
      await this.sender.cancelScheduledMessages(Long.fromString(handle));
    } catch (err) {
      // Already delivered or already cancelled: the wish (it will not be delivered later) holds or is moot.
      if (serviceBusCode(err) === 'MessageNotFound') return;
      throw toQueueError(err, 'cancel scheduled message');
    }
  }

  async close(): Promise<void> {
    await this.sender.close();
    await this.owned?.close();
  }
}

export type DispatchHandler = (request: DispatchRequest, ctx: DeliveryContext) => Promise<void | Settlement>;

/**
 * The worker's glue for one received message: parse → handler → settle. A malformed body is dead-lettered
 * at once; a handler's return value is the settlement (nothing = complete); a throw maps through
 * `settlementForError`. Returns the settlement applied.
 */
export async function processDispatchMessage<M extends ReceivedDispatchMessage>(
  settler: MessageSettler<M>,
  message: M,
  handler: DispatchHandler,
): Promise<Settlement> {
  const parsed = parseDispatchRequest(message.body);
  let settlement: Settlement;
  if (!parsed.ok) {
    settlement = {
      kind: 'deadLetter',
      reason: 'MalformedMessage',
      description: boundDescription(parsed.error),
    };
  } else {
    try {
      settlement = (await handler(parsed.request, contextOf(message))) ?? { kind: 'complete' };
    } catch (err) {
      settlement = settlementForError(err);
    }
  }
  await settleDispatchMessage(settler, message, settlement);
  return settlement;
}

/** complete / abandon / deadLetter(reason, description), as decided by the worker. */
export async function settleDispatchMessage<M>(
  settler: MessageSettler<M>,
  message: M,
  settlement: Settlement,
): Promise<void> {
  switch (settlement.kind) {
    case 'complete':
      return settler.completeMessage(message);
    case 'abandon':
      return settler.abandonMessage(message);
    case 'deadLetter':
      return settler.deadLetterMessage(message, {
        deadLetterReason: settlement.reason,
        deadLetterErrorDescription: boundDescription(settlement.description),
      });
  }
}

function contextOf(message: ReceivedDispatchMessage): DeliveryContext {
  return {
    messageId: message.messageId === undefined ? '' : String(message.messageId),
    sessionId: message.sessionId ?? '',
    // The JS SDK passes the AMQP header through (0 first); the port counts deliveries from 1 like .NET/Functions.
    deliveryCount: (message.deliveryCount ?? 0) + 1,
    enqueuedAt: message.enqueuedTimeUtc ?? new Date(0),
    sequenceNumber: message.sequenceNumber?.toString() ?? '',
  };
}

function serviceBusCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function toQueueError(err: unknown, operation: string): QueueError {
  if (err instanceof QueueError) return err;
  // ServiceBusError/MessagingError carry `retryable`; anything without it (socket reset) is worth a retry.
  const retryable = (err as { retryable?: unknown } | null)?.retryable;
  const code = serviceBusCode(err) ?? 'no code';
  return new QueueError(`service bus: ${operation} failed (${code})`, retryable !== false, { cause: err });
}
