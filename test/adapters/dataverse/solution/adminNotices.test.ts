/** Licence expiry and a lost Exact connection reach the AutoInvoice administrators in-app, once. */
import { startDataverseSandbox, type DataverseSandbox } from '../../../../sandbox/dataverse';
import { createDataverseGateway } from '../../../../src/adapters/dataverse';
import { ADMINISTRATOR_ROLE_ID, type ConnectionState } from '../../../../src/adapters/dataverse/adminNotices';
import type { LicenceCheck } from '../../../../src/domain/types';

const TENANT = '11111111-1111-4111-8111-111111111111';
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const SECRET = 'admin-notices-secret';
const ADMIN_1 = 'a0000000-0000-4000-8000-000000000001';
const ADMIN_2 = 'a0000000-0000-4000-8000-000000000002';
const SALES = 'a0000000-0000-4000-8000-000000000003';
const NOW = new Date('2026-12-01T09:00:00Z');

let sb: DataverseSandbox;
let connection: ConnectionState = { state: 'active' };
beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    languageCode: 1043,
  });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  sb.seed({
    systemusers: [ADMIN_1, ADMIN_2, SALES].map((id, i) => ({
      systemuserid: id,
      fullname: `User ${i}`,
      isdisabled: false,
    })),
  });
  const call = (method: string, path: string, body: unknown) =>
    sb.customizations.handle({ method, path, query: {}, headers: {}, body });
  call('POST', 'roles', { roleid: ADMINISTRATOR_ROLE_ID, name: 'AutoInvoice-beheerder' });
  for (const u of [ADMIN_1, ADMIN_2])
    call('POST', `roles(${ADMINISTRATOR_ROLE_ID})/systemuserroles_association/$ref`, {
      '@odata.id': `${sb.url}api/data/v9.2/systemusers(${u})`,
    });
});

const notices = () =>
  createDataverseGateway({
    serverUrl: sb.url,
    authority: sb.authority,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    extraCaPem: sb.caCertPem,
    sleep: async () => undefined,
    exactConnection: async () => connection,
  }).adminNotices;

const licence = (days: number): LicenceCheck => ({
  ok: true,
  licenceId: 'L-1',
  organizationId: TENANT,
  features: [],
  notBefore: null,
  expiresAt: new Date(NOW.getTime() + days * 86_400_000),
});

const byOwner = () =>
  sb
    .rows('appnotifications')
    .map((n) => `${String(n._ownerid_value)} ${String(n.title)}`)
    .sort();

describe('notices to the AutoInvoice administrators', () => {
  test('when the licence expires in 10 days, then each administrator gets one in-app notification, however often the licence is checked', async () => {
    await notices().licenceChecked(licence(10), NOW);
    await notices().licenceChecked(licence(10), new Date(NOW.getTime() + 3_600_000));
    await notices().licenceChecked(licence(10), new Date(NOW.getTime() + 86_400_000));
    expect(byOwner()).toEqual([
      `${ADMIN_1} AutoInvoice-licentie verloopt op 2026-12-11`,
      `${ADMIN_2} AutoInvoice-licentie verloopt op 2026-12-11`,
    ]);
    expect(sb.rows('appnotifications')[0]!.body).toMatch(/^Nog 10 dag\(en\)/);
  });

  test('when the licence has more than 14 days left, then nobody is notified', async () => {
    await notices().licenceChecked(licence(15), NOW);
    expect(byOwner()).toEqual([]);
  });

  test('when the Exact connection is lost, then the administrators are told once per loss, not per failed invoice', async () => {
    const n = notices();
    await n.connectionLost(); // not lost: nothing to say
    expect(byOwner()).toEqual([]);
    connection = { state: 'lost', lostAt: new Date('2026-12-01T08:15:00Z') };
    await n.connectionLost();
    await notices().connectionLost();
    expect(byOwner()).toEqual([
      `${ADMIN_1} AutoInvoice: verbinding met Exact Online verbroken (2026-12-01 08:15 UTC)`,
      `${ADMIN_2} AutoInvoice: verbinding met Exact Online verbroken (2026-12-01 08:15 UTC)`,
    ]);
    connection = { state: 'lost', lostAt: new Date('2026-12-03T10:00:00Z') };
    await n.connectionLost();
    expect(byOwner()).toHaveLength(4);
  });

  test('when the administrator role is not provisioned, then the notice is skipped without an error', async () => {
    sb.reset();
    await expect(notices().licenceChecked(licence(3), NOW)).resolves.toBeUndefined();
    expect(byOwner()).toEqual([]);
  });
});
