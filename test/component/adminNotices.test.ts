/** A lost Exact connection reaches the AutoInvoice administrators in Dynamics once, however many invoices fail for it. */
import { dispatchInvoices } from '../../src/app/dispatch';
import { ADMINISTRATOR_ROLE_ID } from '../../src/adapters/dataverse/adminNotices';
import { useLocalStack } from '../support/localStack';
import { countRows, demoDeps, demoRow, rowsOf } from './helpers';

const env = useLocalStack();
const ADMIN = 'a0000000-0000-4000-8000-0000000000aa';

describe('a lost connection, told to the administrators', () => {
  test('when two invoices fail because the Exact connection was lost, then each AutoInvoice administrator gets one in-app notification', async () => {
    const dv = env.stack.dataverse.get('demo')!;
    dv.seed({ systemusers: [{ systemuserid: ADMIN, fullname: 'Beheerder', isdisabled: false }] });
    const call = (path: string, body: unknown) =>
      dv.customizations.handle({ method: 'POST', path, query: {}, headers: {}, body });
    call('roles', { roleid: ADMINISTRATOR_ROLE_ID, name: 'AutoInvoice administrator' });
    call(`roles(${ADMINISTRATOR_ROLE_ID})/systemuserroles_association/$ref`, {
      '@odata.id': `${dv.url}api/data/v9.2/systemusers(${ADMIN})`,
    });
    // A new login for the same Exact user revokes the connector's tokens, as Exact does.
    await env.stack.exact.authorize();
    await dispatchInvoices(demoDeps(env.stack), rowsOf(['I3']));
    await dispatchInvoices(demoDeps(env.stack), rowsOf(['I6']));
    for (const key of ['I3', 'I6'])
      expect(demoRow(env.stack, key)).toMatchObject({
        eol_dispatchstatus: 6,
        eol_dispatchreason: 'exact_connection_lost',
      });
    const toAdmin = (r: Record<string, unknown>) => r._ownerid_value === ADMIN;
    expect(countRows(env.stack, 'appnotifications', toAdmin)).toBe(1);
    expect(String(dv.rows('appnotifications').find(toAdmin)!.title)).toMatch(/Exact Online/);
  });
});
