/** The in-memory broker's public types (see sessionBroker.ts). */
import type { Clock } from '../../app/ports';
import type { Timers } from './clock';
import type { Settlement } from './settlement';

export interface BrokerOptions {
  clock?: Clock;
  timers?: Timers;
  /** Deliveries before dead-lettering (Service Bus default 10). */
  maxDeliveryCount?: number;
  /** MessageId duplicate detection window (Service Bus default 10 minutes). */
  duplicateWindowMs?: number;
  /** Wait before an abandoned message is offered again; Service Bus has none, a little spares a failing dependency. */
  backoffMs?: (deliveryCount: number) => number;
  /** Where a failing dead-letter hook is reported; default console.error with its message only. */
  onHookError?: (err: unknown) => void;
}

export interface SendOptions {
  messageId: string;
  sessionId: string;
  scheduledFor?: Date;
}

export interface SendResult {
  /** A duplicate is reported as accepted but dropped (Service Bus behaviour); its number is the original's. */
  duplicate: boolean;
  sequenceNumber: string;
}

export interface DeliveryContext {
  messageId: string;
  sessionId: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  enqueuedAt: Date;
  sequenceNumber: string;
}

export type MessageHandler<T> = (body: T, ctx: DeliveryContext) => Promise<void | Settlement>;

/** One message of a batch delivery. */
export interface Delivered<T> {
  body: T;
  ctx: DeliveryContext;
}

/**
 * Several ready messages of ONE session in one delivery, in session order (as the Functions host delivers
 * with `cardinality: 'many'` on a session-enabled queue). Returns one settlement per message, in the same
 * order (nothing = complete); throwing abandons every message of the delivery with that error.
 */
export type BatchHandler<T> = (messages: Delivered<T>[]) => Promise<Array<void | Settlement>>;

export interface ConsumerOptions {
  /** Sessions delivered to at once (host.json maxConcurrentSessions, default 8). */
  maxConcurrentSessions?: number;
  /** Ready messages of one session handed over in one delivery (host.json maxMessageBatchSize, default 1000). */
  maxBatch?: number;
}

export interface DeadLetter<T> extends DeliveryContext {
  body: T;
  reason: string;
  description: string;
}

export interface BrokerStats {
  scheduled: number;
  /** Activated, not yet settled (includes messages waiting out a backoff). */
  active: number;
  /** Sessions holding active messages (work that can only go one message at a time per session). */
  sessionsWithWork: number;
  inFlight: number;
  delivered: number;
  completed: number;
  abandoned: number;
  deadLettered: number;
  duplicatesDropped: number;
}

/** A message as the broker holds it (internal to sessionBroker.ts). */
export interface Message<T> {
  seq: number;
  body: T;
  messageId: string;
  sessionId: string;
  enqueuedAt: Date;
  availableAt: number;
  deliveryCount: number;
}

/** One session's queue: one message at a time, in order (internal to sessionBroker.ts). */
export interface Session<T> {
  messages: Message<T>[];
  busy: boolean;
}
