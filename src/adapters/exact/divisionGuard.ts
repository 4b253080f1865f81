import { ExactAuthError } from './errors';
import type { ExactTokenProvider } from './tokenStore';

/**
 * Before anything irreversible in `division`: it must be one the tenant's own consent granted, whoever
 * asked (an event, a sweep, an administration added later in Dataverse). A permanent refusal, as Exact's
 * own 403 for a division outside the consent's scope.
 */
export async function assertDivisionGranted(
  tokens: ExactTokenProvider,
  connectionId: string,
  division: number,
): Promise<void> {
  const granted = tokens.grantedDivisions ? await tokens.grantedDivisions(connectionId) : null;
  if (granted && !granted.includes(division)) {
    throw new ExactAuthError(
      `division ${division} is not among the divisions the Exact consent of this tenant granted (${granted.join(', ')}); reconnect with an Exact user who may use it`,
      403,
      false,
    );
  }
}
