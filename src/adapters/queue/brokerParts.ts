/** Parts of the in-memory broker (sessionBroker.ts): duplicate detection, the dead-letter queue. */
import type { DeadLetter, DeliveryContext, Message } from './brokerTypes';

/** What a handler is told about one delivery of `m`. */
export function contextOf<T>(m: Message<T>): DeliveryContext {
  return {
    messageId: m.messageId,
    sessionId: m.sessionId,
    deliveryCount: m.deliveryCount,
    enqueuedAt: new Date(m.enqueuedAt),
    sequenceNumber: String(m.seq),
  };
}

/**
 * Service Bus duplicate detection for the in-memory broker: a MessageId seen within the window is a
 * duplicate (reported as accepted, dropped); scheduled messages take part (reference §6).
 */
export class DuplicateWindow {
  private readonly seen = new Map<string, { at: number; seq: number }>();

  constructor(private readonly windowMs: number) {}

  /** The sequence number of the message first sent with this id inside the window, if any. */
  original(messageId: string, now: number): number | undefined {
    // Map keeps insertion order, which is time order: stop at the first id still inside the window.
    for (const [id, seen] of this.seen) {
      if (now - seen.at < this.windowMs) break;
      this.seen.delete(id);
    }
    return this.seen.get(messageId)?.seq;
  }

  remember(messageId: string, now: number, seq: number): void {
    this.seen.set(messageId, { at: now, seq });
  }
}

/** The dead-letter queue of the in-memory broker: kept for inspection, each entry handed to the hooks. */
export class DeadLetterQueue<T> {
  readonly entries: DeadLetter<T>[] = [];
  private readonly hooks: ((dl: DeadLetter<T>) => void | Promise<void>)[] = [];

  constructor(private readonly onHookError: (err: unknown) => void) {}

  onDeadLetter(hook: (dl: DeadLetter<T>) => void | Promise<void>): void {
    this.hooks.push(hook);
  }

  add(dl: DeadLetter<T>): void {
    this.entries.push(dl);
    for (const hook of this.hooks) {
      Promise.resolve()
        .then(() => hook(dl))
        .catch((err: unknown) => this.onHookError(err));
    }
  }
}
