/**
 * An in-memory broker with the Service Bus semantics the connector relies on (see
 * /work/shared/reference/dataverse-and-azure.md §6): sessions (one delivery of a session at a time, in order:
 * one message, or with `processBatch` the ready ones; sessions in parallel up to a limit), scheduled delivery,
 * delivery count, abandon → redelivery,
 * dead-letter after maxDeliveryCount with `MaxDeliveryCountExceeded`, and MessageId duplicate detection
 * within a window in which scheduled messages take part.
 * Bodies are copied through JSON on send, as a real broker serialises them.
 */
import type { Clock } from '../../app/ports';
import { isTimers, systemClock, systemTimers, type Timers } from './clock';
import { errorMessage, MAX_DELIVERY_COUNT_EXCEEDED, boundDescription, type Settlement } from './settlement';
import { contextOf, DeadLetterQueue, DuplicateWindow } from './brokerParts';
import type {
  BatchHandler,
  BrokerOptions,
  BrokerStats,
  ConsumerOptions,
  DeadLetter,
  Delivered,
  DeliveryContext,
  Message,
  MessageHandler,
  SendOptions,
  SendResult,
  Session,
} from './brokerTypes';

export type {
  BatchHandler,
  BrokerOptions,
  ConsumerOptions,
  Delivered,
  BrokerStats,
  DeadLetter,
  DeliveryContext,
  MessageHandler,
  SendOptions,
  SendResult,
} from './brokerTypes';

const defaultBackoff = (n: number): number => Math.min(100 * 2 ** (n - 1), 5_000);

export class SessionBroker<T> {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly maxDeliveryCount: number;
  private readonly backoff: (n: number) => number;

  private seq = 0;
  private readonly scheduled = new Map<number, Message<T>>();
  private readonly sessions = new Map<string, Session<T>>();
  private readonly seen: DuplicateWindow;
  private readonly dlq: DeadLetterQueue<T>;
  private readonly waiters: { drain: boolean; resolve: () => void }[] = [];
  private handler: BatchHandler<T> | undefined;
  private maxSessions = 8;
  private maxBatch = 1;
  private inFlight = 0;
  private timer: unknown;
  private closed = false;
  private readonly counts = {
    delivered: 0,
    completed: 0,
    abandoned: 0,
    deadLettered: 0,
    duplicatesDropped: 0,
  };

  constructor(options: BrokerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? (isTimers(options.clock) ? options.clock : systemTimers);
    this.maxDeliveryCount = options.maxDeliveryCount ?? 10;
    this.seen = new DuplicateWindow(options.duplicateWindowMs ?? 10 * 60_000);
    this.backoff = options.backoffMs ?? defaultBackoff;
    this.dlq = new DeadLetterQueue<T>(
      options.onHookError ?? ((err) => console.error(`dead-letter hook failed: ${errorMessage(err)}`)),
    );
  }

  send(body: T, options: SendOptions): SendResult {
    if (this.closed) throw new Error('queue is closed');
    const now = this.clock.now().getTime();
    const original = this.seen.original(options.messageId, now);
    if (original !== undefined) {
      this.counts.duplicatesDropped += 1;
      return { duplicate: true, sequenceNumber: String(original) };
    }
    const seq = ++this.seq;
    this.seen.remember(options.messageId, now, seq);
    const availableAt = Math.max(now, options.scheduledFor?.getTime() ?? now);
    const message: Message<T> = {
      seq,
      body: JSON.parse(JSON.stringify(body)) as T,
      messageId: options.messageId,
      sessionId: options.sessionId,
      enqueuedAt: new Date(availableAt),
      availableAt,
      deliveryCount: 0,
    };
    if (availableAt > now) this.scheduled.set(seq, message);
    else this.activate(message);
    this.pump();
    return { duplicate: false, sequenceNumber: String(seq) };
  }

  /** Starts delivering to `handler`, one message at a time per session. One consumer per broker. */
  process(handler: MessageHandler<T>, opts: { maxConcurrentSessions?: number } = {}): void {
    this.processBatch(async ([m]) => [await handler(m!.body, m!.ctx)], { ...opts, maxBatch: 1 });
  }

  /**
   * Starts delivering every ready message of a session (up to `maxBatch`, in session order) in one call,
   * as the Functions host does with `cardinality: 'many'`; each message is settled by its own result.
   */
  processBatch(handler: BatchHandler<T>, opts: ConsumerOptions = {}): void {
    if (this.handler) throw new Error('queue already has a consumer');
    this.handler = handler;
    this.maxSessions = Math.max(1, opts.maxConcurrentSessions ?? 8);
    this.maxBatch = Math.max(1, opts.maxBatch ?? 1000);
    this.pump();
  }

  onDeadLetter(hook: (dl: DeadLetter<T>) => void | Promise<void>): void {
    this.dlq.onDeadLetter(hook);
  }

  deadLetters(): readonly DeadLetter<T>[] {
    return this.dlq.entries;
  }

  stats(): BrokerStats {
    let active = 0;
    let sessionsWithWork = 0;
    for (const s of this.sessions.values()) {
      active += s.messages.length;
      if (s.messages.length > 0) sessionsWithWork++;
    }
    return {
      scheduled: this.scheduled.size,
      active,
      sessionsWithWork,
      inFlight: this.inFlight,
      ...this.counts,
    };
  }

  /** Resolves when no handler runs and nothing can be delivered at the current time (scheduled/backoff may wait). */
  idle(): Promise<void> {
    return this.wait(false);
  }

  /** Resolves when everything, scheduled and backing-off messages included, is settled. Needs a consumer. */
  drain(): Promise<void> {
    return this.wait(true);
  }

  /** Stops delivering and waits for running handlers; scheduled messages are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.scheduled.clear();
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await new Promise<void>((resolve) => {
      this.waiters.push({ drain: false, resolve });
      this.checkWaiters();
    });
  }

  private activate(message: Message<T>): void {
    let session = this.sessions.get(message.sessionId);
    if (!session) {
      session = { messages: [], busy: false };
      this.sessions.set(message.sessionId, session);
    }
    session.messages.push(message);
  }

  private pump(): void {
    if (this.closed) return this.checkWaiters();
    const now = this.clock.now().getTime();
    const due = [...this.scheduled.values()].filter((m) => m.availableAt <= now);
    due.sort((a, b) => a.availableAt - b.availableAt || a.seq - b.seq);
    for (const m of due) {
      this.scheduled.delete(m.seq);
      this.activate(m);
    }
    if (this.handler) {
      for (const [id, session] of this.sessions) {
        if (this.inFlight >= this.maxSessions) break;
        const head = session.messages[0];
        if (!head) this.sessions.delete(id);
        else if (!session.busy && head.availableAt <= now) this.deliver(this.handler, session, now);
      }
    }
    this.arm(now);
    this.checkWaiters();
  }

  /** Hands the ready head of a session (up to maxBatch messages) to the handler, then settles each. */
  private deliver(handler: BatchHandler<T>, session: Session<T>, now: number): void {
    const ready: Message<T>[] = [];
    for (const m of session.messages) {
      if (ready.length >= this.maxBatch || m.availableAt > now) break;
      ready.push(m);
    }
    session.busy = true;
    this.inFlight += 1;
    const batch: Delivered<T>[] = ready.map((m) => {
      this.counts.delivered += 1;
      m.deliveryCount += 1;
      return { body: JSON.parse(JSON.stringify(m.body)) as T, ctx: contextOf(m) };
    });
    Promise.resolve()
      .then(() => handler(batch))
      .then(
        (results): Settlement[] => ready.map((_, i) => results?.[i] ?? { kind: 'complete' }),
        (error: unknown): Settlement[] => ready.map(() => ({ kind: 'abandon', error })),
      )
      .then((settlements) => {
        session.busy = false;
        this.inFlight -= 1;
        ready.forEach((m, i) => this.settle(session, m, settlements[i]!, batch[i]!.ctx));
        this.pump();
      });
  }

  private settle(session: Session<T>, m: Message<T>, s: Settlement, ctx: DeliveryContext): void {
    if (s.kind === 'complete') {
      session.messages.splice(session.messages.indexOf(m), 1);
      this.counts.completed += 1;
    } else if (s.kind === 'deadLetter') {
      session.messages.splice(session.messages.indexOf(m), 1);
      this.toDeadLetter(m, ctx, s.reason, s.description);
    } else if (m.deliveryCount >= this.maxDeliveryCount) {
      session.messages.splice(session.messages.indexOf(m), 1);
      const description =
        s.error === undefined
          ? `Message could not be consumed after ${m.deliveryCount} delivery attempts.`
          : errorMessage(s.error);
      this.toDeadLetter(m, ctx, MAX_DELIVERY_COUNT_EXCEEDED, boundDescription(description));
    } else {
      this.counts.abandoned += 1;
      m.availableAt = this.clock.now().getTime() + Math.max(0, this.backoff(m.deliveryCount));
    }
  }

  private toDeadLetter(m: Message<T>, ctx: DeliveryContext, reason: string, description: string): void {
    this.counts.deadLettered += 1;
    this.dlq.add({ ...ctx, body: m.body, reason, description });
  }

  /** One timer for the earliest future activation or redelivery; everything due now is handled by pump. */
  private arm(now: number): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const m of this.scheduled.values()) next = Math.min(next, m.availableAt);
    for (const s of this.sessions.values()) {
      const head = s.messages[0];
      if (head && head.availableAt > now) next = Math.min(next, head.availableAt);
    }
    if (next === Infinity) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, next - now);
  }

  private wait(drain: boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ drain, resolve });
      this.checkWaiters();
    });
  }

  private checkWaiters(): void {
    if (this.waiters.length === 0) return;
    const idle = this.inFlight === 0 && (this.closed || !this.handler || !this.hasDeliverableNow());
    const empty =
      idle && this.scheduled.size === 0 && [...this.sessions.values()].every((s) => s.messages.length === 0);
    for (const w of [...this.waiters]) {
      if (w.drain ? empty : idle) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  private hasDeliverableNow(): boolean {
    const now = this.clock.now().getTime();
    for (const s of this.sessions.values()) {
      const head = s.messages[0];
      if (head && !s.busy && head.availableAt <= now) return true;
    }
    return false;
  }
}
