/**
 * The operator's one write to an administration (issue 18): switch it on with an activation date
 * (eol_printinvoices = yes, eol_activefrom = the backlog date). One PATCH, under If-Match: * so a deleted
 * administration is not created again.
 */
import type { DataverseClient } from './client';
import { DataverseValidationError } from './errors';
import { ADMINISTRATION } from './vocabulary';

export async function activateAdministration(
  client: DataverseClient,
  administrationId: string,
  activeFrom: string,
): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(administrationId))
    throw new DataverseValidationError('Dataverse administration id is not a GUID');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(activeFrom))
    throw new DataverseValidationError('activation date is not a YYYY-MM-DD date');
  await client.run(
    'activate administration',
    async (api) => {
      const ok: unknown = await api.update({
        collection: ADMINISTRATION.entitySet,
        key: administrationId.toLowerCase(),
        data: { eol_printinvoices: true, eol_activefrom: activeFrom },
        ifmatch: '*',
      });
      if (ok === false) throw Object.assign(new Error('the administration was removed'), { status: 412 });
    },
    { idempotent: true },
  );
}
