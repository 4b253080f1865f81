import type { ReasonCode } from '../../domain/reasons';
import { IntegrationError } from '../errors';

/** A mail step that cannot succeed by trying again (no document in Exact): the invoice fails, explained. */
export class MailStepError extends IntegrationError {
  readonly transient = false;
  readonly reason: ReasonCode = 'email_send_failed';
}
