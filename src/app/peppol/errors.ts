import type { ReasonCode } from '../../domain/reasons';
import { IntegrationError } from '../errors';

/**
 * The Peppol network could not be asked (DNS or SMP fault, timeout): the invoice stays waiting and the
 * message is retried like any transient fault (PRODUCT.md §13), never decided as "not registered". Should it
 * keep failing until the queue gives up, the invoice fails with `delivery_gave_up` naming this detail.
 */
export class PeppolUnavailableError extends IntegrationError {
  readonly transient = true;
  readonly reason: ReasonCode = 'delivery_gave_up';

  constructor(participant: string, detail: string) {
    super(`the Peppol network could not be asked about ${participant} (${detail})`);
  }
}
