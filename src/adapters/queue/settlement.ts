/**
 * How a delivery ends, shared by the in-process queue and the Service Bus worker.
 * Returning nothing from a handler means `complete`; throwing means `abandon` with that error.
 */

export type Settlement =
  /** Done: the message is removed. */
  | { kind: 'complete' }
  /** Redeliver; the delivery counts towards maxDeliveryCount, then the broker dead-letters it. */
  | { kind: 'abandon'; error?: unknown }
  /** Never redeliver: park it in the dead-letter queue with a reason an operator can read. */
  | { kind: 'deadLetter'; reason: string; description: string };

/** Service Bus's reason when deliveries run out (also used by the in-process queue). */
export const MAX_DELIVERY_COUNT_EXCEEDED = 'MaxDeliveryCountExceeded';

/** Service Bus caps each dead-letter property at 4 KB; keep well inside. */
const DESCRIPTION_LIMIT = 1024;

export function boundDescription(text: string): string {
  return text.length > DESCRIPTION_LIMIT ? `${text.slice(0, DESCRIPTION_LIMIT - 1)}…` : text;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'handler failed without an Error';
}
