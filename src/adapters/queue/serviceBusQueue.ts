/**
 * The dispatch queue on Azure Service Bus (a session-enabled queue; SessionId = tenant:administration).
 * Sending goes through a narrow `DispatchSender` (what `ServiceBusSender` offers), so tests inject an
 * in-memory broker at the SDK boundary. Receiving is the Functions host's (functions/dispatchWorker.ts).
 */
import { ServiceBusClient, type ServiceBusMessage } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import { IntegrationError } from '../../app/errors';
import type { DispatchQueue, DispatchRequest, EnqueueOptions } from '../../app/ports';

/** The part of `ServiceBusSender` this adapter uses. */
export interface DispatchSender {
  sendMessages(message: ServiceBusMessage): Promise<void>;
  /** Resolves to the scheduled messages' sequence numbers, which the connector does not need. */
  scheduleMessages(message: ServiceBusMessage, scheduledEnqueueTimeUtc: Date): Promise<unknown>;
  close(): Promise<void>;
}

export type ServiceBusConnection = string | { fullyQualifiedNamespace: string; credential: TokenCredential };

/** Raised when Service Bus refuses or fails a send or a schedule. */
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

  async enqueue(request: DispatchRequest, options: EnqueueOptions): Promise<void> {
    const message: ServiceBusMessage = {
      body: request,
      contentType: 'application/json',
      messageId: options.messageId,
      sessionId: options.sessionId,
      subject: request.kind === 'sweep' ? 'sweep' : request.trigger,
    };
    try {
      if (options.scheduledFor) await this.sender.scheduleMessages(message, options.scheduledFor);
      else await this.sender.sendMessages(message);
    } catch (err) {
      throw toQueueError(err, options.scheduledFor ? 'schedule message' : 'send message');
    }
  }

  async close(): Promise<void> {
    await this.sender.close();
    await this.owned?.close();
  }
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
