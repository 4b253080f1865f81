import type { ReasonCode } from '../domain/reasons';

/**
 * Base of every adapter error. Classified once, where it arises:
 * transient → retry with backoff (the invoice stays waiting); permanent → fail and notify.
 * Messages never carry secrets or tokens.
 */
export abstract class IntegrationError extends Error {
  /** Retry may succeed (network, timeout, 429, 5xx). */
  abstract readonly transient: boolean;
  /**
   * Reason code to record when this error decides the invoice's outcome. Every error class names its own
   * (Exact's codes, `dataverse_rejected`, `ledger_unavailable`): no default, so a new class must choose.
   */
  abstract readonly reason: ReasonCode;
  /** Server hint for the earliest retry (429 reset, Retry-After), in ms from now. */
  retryAfterMs?: number;
  /** The request may have been carried out although no answer arrived (timeout, reset after send). */
  answerLost = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
