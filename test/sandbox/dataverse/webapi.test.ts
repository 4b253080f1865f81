import { ConfidentialClientApplication } from '@azure/msal-node';
import { DynamicsWebApi } from 'dynamics-web-api';
import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import { createMsalNetworkClient } from '../../../src/adapters/dataverse/msalNetwork';

const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const SECRET = 'sandbox-test-secret-value';
const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER_ADMIN = 'aaaaaaaa-0000-4000-8000-000000000002';
const INV = (n: number) => `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`;

let sb: DataverseSandbox;
let api: DynamicsWebApi;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: SECRET });
  const cca = new ConfidentialClientApplication({
    auth: {
      authority: sb.authority,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      knownAuthorities: [new URL(sb.authority).host],
    },
    system: { networkClient: createMsalNetworkClient(sb.caCertPem) },
  });
  const scope = `${sb.url.replace(/\/$/, '')}/.default`;
  api = new DynamicsWebApi({
    serverUrl: sb.url,
    onTokenRefresh: async () =>
      (await cca.acquireTokenByClientCredential({ scopes: [scope] }))?.accessToken ?? null,
  });
});
afterAll(() => sb.close());

beforeEach(() => {
  sb.reset();
  sb.seed({
    eol_administrations: [
      { eol_administrationid: ADMIN, eol_name: 'Bakkerij BV', eol_division: 123, eol_printinvoices: true },
      {
        eol_administrationid: OTHER_ADMIN,
        eol_name: 'Other BV',
        eol_division: 456,
        eol_printinvoices: false,
      },
    ],
    eol_relations: [
      {
        eol_relationid: 'bbbbbbbb-0000-4000-8000-000000000001',
        eol_name: 'Jansen',
        'eol_administrationid@odata.bind': `/eol_administrations(${ADMIN})`,
      },
    ],
    eol_salesinvoices: [1, 2, 3, 4, 5].map((n) => ({
      eol_salesinvoiceid: INV(n),
      eol_name: `F${n}`,
      eol_invoicenumber: n,
      eol_autodispatch: n !== 3,
      _eol_administrationid_value: n <= 4 ? ADMIN : OTHER_ADMIN,
      _eol_relationid_value: 'bbbbbbbb-0000-4000-8000-000000000001',
    })),
  });
});

describe('Dataverse sandbox through dynamics-web-api', () => {
  test('when a filter combines lookups, and/or, parentheses and literals, then only matching rows return', async () => {
    const res = await api.retrieveMultiple({
      collection: 'eol_salesinvoices',
      select: ['eol_name'],
      filter: `_eol_administrationid_value eq ${ADMIN} and (eol_name eq 'f1' or eol_invoicenumber eq 4 or eol_autodispatch eq false) and eol_extratext eq null`,
    });
    expect(res.value.map((r) => r.eol_name).sort()).toEqual(['F1', 'F3', 'F4']);
    expect(res.value[0]).toHaveProperty(['@odata.etag']);
  });

  test('when a filter names only primary keys, then exactly those rows return, and a key that is not there is simply absent', async () => {
    const res = await api.retrieveMultiple({
      collection: 'eol_salesinvoices',
      select: ['eol_name'],
      filter: `eol_salesinvoiceid eq ${INV(2)} or eol_salesinvoiceid eq ${INV(4).toUpperCase()} or eol_salesinvoiceid eq ${INV(99)}`,
    });
    expect(res.value.map((r) => r.eol_name).sort()).toEqual(['F2', 'F4']);
    const mixed = await api.retrieveMultiple({
      collection: 'eol_salesinvoices',
      select: ['eol_name'],
      filter: `eol_salesinvoiceid eq ${INV(2)} or eol_name eq 'F5'`,
    });
    expect(mixed.value.map((r) => r.eol_name).sort()).toEqual(['F2', 'F5']);
  });

  test('when a page size is preferred, then @odata.nextLink pages through every row', async () => {
    const all = await api.retrieveAll({
      collection: 'eol_salesinvoices',
      select: ['eol_name'],
      maxPageSize: 2,
    });
    expect(all.value).toHaveLength(5);
    expect(sb.requests().filter((r) => r.path.endsWith('/eol_salesinvoices'))).toHaveLength(3);
    const top = await api.retrieveMultiple({ collection: 'eol_salesinvoices', select: ['eol_name'], top: 2 });
    expect(top.value).toHaveLength(2);
    expect(top.oDataNextLink).toBeUndefined();
  });

  test('when a row is read by key with $expand, then the lookups come back as nested rows with their selected columns', async () => {
    const row = await api.retrieve({
      collection: 'eol_salesinvoices',
      key: INV(1),
      select: ['eol_name', '_eol_administrationid_value'],
      expand: [
        { property: 'eol_administrationid', select: ['eol_division'] },
        { property: 'eol_relationid', select: ['eol_name'] },
      ],
    });
    expect(row._eol_administrationid_value).toBe(ADMIN);
    expect(row.eol_administrationid).toMatchObject({ eol_division: 123, eol_administrationid: ADMIN });
    expect(row.eol_relationid).toMatchObject({ eol_name: 'Jansen' });
  });

  test('when a row is read by alternate key, then that row returns; an unknown one is a 404 with an OData error', async () => {
    const row = await api.retrieve({
      collection: 'eol_administrations',
      key: 'eol_division=123',
      select: ['eol_name'],
    });
    expect(row.eol_name).toBe('Bakkerij BV');
    await expect(
      api.retrieve({ collection: 'eol_administrations', key: 'eol_division=999' }),
    ).rejects.toMatchObject({ status: 404, code: '0x80040217' });
  });

  test('when PATCH carries a stale etag, then 412 and nothing changes; If-Match * on a missing row is 404; no If-Match upserts', async () => {
    const before = sb.row('eol_salesinvoices', INV(1))!;
    await api.update({
      collection: 'eol_salesinvoices',
      key: INV(1),
      data: { eol_name: 'first' },
      ifmatch: String(before['@odata.etag']),
    });
    const stale = api.update({
      collection: 'eol_salesinvoices',
      key: INV(1),
      data: { eol_name: 'second' },
      ifmatch: String(before['@odata.etag']),
    });
    await expect(stale).resolves.toBe(false);
    expect(sb.requests().at(-1)).toMatchObject({ method: 'PATCH', status: 412 });
    expect(sb.row('eol_salesinvoices', INV(1))?.eol_name).toBe('first');
    await expect(
      api.update({ collection: 'eol_salesinvoices', key: INV(99), data: { eol_name: 'x' } }),
    ).rejects.toMatchObject({ status: 404 });
    await api.upsert({ collection: 'eol_salesinvoices', key: INV(99), data: { eol_name: 'upserted' } });
    expect(sb.row('eol_salesinvoices', INV(99))?.eol_name).toBe('upserted');
  });

  test('when a $batch changeset creates rows with @odata.bind, then all land; when one fails, then none land', async () => {
    api.startBatch();
    for (const name of ['N1', 'N2'])
      void api.create({
        collection: 'eol_salesinvoices',
        data: { eol_name: name, 'eol_administrationid@odata.bind': `/eol_administrations(${ADMIN})` },
      });
    const ids = (await api.executeBatch()) as string[];
    expect(ids).toHaveLength(2);
    expect(sb.row('eol_salesinvoices', ids[0]!)).toMatchObject({
      eol_name: 'N1',
      _eol_administrationid_value: ADMIN,
    });

    api.startBatch();
    void api.create({ collection: 'eol_salesinvoices', data: { eol_name: 'N3' } });
    void api.create({
      collection: 'eol_salesinvoices',
      data: {
        eol_name: 'N4',
        'eol_administrationid@odata.bind': '/eol_administrations(aaaaaaaa-0000-4000-8000-0000000000ff)',
      },
    });
    const failed = (await api.executeBatch()) as unknown[];
    expect(failed[0]).toMatchObject({ status: 404 });
    expect(sb.rows('eol_salesinvoices').map((r) => r.eol_name)).not.toContain('N3');
  });

  test('when an alternate key is taken, moved, or moved inside a failed changeset, then lookups and uniqueness follow the rows that stand', async () => {
    await expect(
      api.create({ collection: 'eol_administrations', data: { eol_name: 'Twin', eol_division: 123 } }),
    ).rejects.toMatchObject({ status: 412 });

    api.startBatch();
    void api.update({ collection: 'eol_administrations', key: ADMIN, data: { eol_division: 777 } });
    void api.create({
      collection: 'eol_salesinvoices',
      data: {
        eol_name: 'N5',
        'eol_administrationid@odata.bind': '/eol_administrations(aaaaaaaa-0000-4000-8000-0000000000ff)',
      },
    });
    expect(((await api.executeBatch()) as unknown[])[0]).toMatchObject({ status: 404 });
    expect(
      (
        await api.retrieve({
          collection: 'eol_administrations',
          key: 'eol_division=123',
          select: ['eol_name'],
        })
      ).eol_name,
    ).toBe('Bakkerij BV');
    await expect(
      api.retrieve({ collection: 'eol_administrations', key: 'eol_division=777' }),
    ).rejects.toMatchObject({ status: 404 });

    await api.update({ collection: 'eol_administrations', key: ADMIN, data: { eol_division: 888 } });
    await expect(
      api.retrieve({ collection: 'eol_administrations', key: 'eol_division=123' }),
    ).rejects.toMatchObject({ status: 404 });
    expect(
      (
        await api.retrieve({
          collection: 'eol_administrations',
          key: 'eol_division=888',
          select: ['eol_name'],
        })
      ).eol_name,
    ).toBe('Bakkerij BV');
    await expect(
      api.create({ collection: 'eol_administrations', data: { eol_name: 'Reuses 123', eol_division: 123 } }),
    ).resolves.toBeDefined();
  });

  test('when POST prefers return=representation, then 201 carries the row; otherwise 204 with OData-EntityId', async () => {
    const created = await api.create({
      collection: 'accounts',
      data: { name: 'Contoso' },
      returnRepresentation: true,
      select: ['name'],
    });
    expect(created).toMatchObject({ name: 'Contoso' });
    const id = await api.create({ collection: 'accounts', data: { name: 'Fabrikam' } });
    expect(sb.row('accounts', String(id))?.name).toBe('Fabrikam');
    expect(
      sb
        .requests()
        .slice(-2)
        .map((r) => r.status),
    ).toEqual([201, 204]);
  });

  test('when a throttle is injected, then the call gets 429 with Retry-After and the next one succeeds', async () => {
    sb.injectThrottle({ method: 'GET', path: 'eol_administrations', retryAfterSeconds: 7 });
    await expect(api.retrieveMultiple({ collection: 'eol_administrations' })).rejects.toMatchObject({
      status: 429,
      code: '0x80072322',
      headers: { 'retry-after': '7' },
    });
    await expect(api.retrieveMultiple({ collection: 'eol_administrations' })).resolves.toHaveProperty(
      'value',
    );
  });

  test('when an email is sent with SendEmail, then it is pending send until server-side sync sends it', async () => {
    const id = String(
      await api.create({
        collection: 'emails',
        data: {
          subject: 'Hi',
          email_activity_parties: [{ participationtypemask: 2, addressused: 'a@example.com' }],
        },
      }),
    );
    await api.callAction({
      collection: 'emails',
      key: id,
      actionName: 'Microsoft.Dynamics.CRM.SendEmail',
      action: { IssueSend: true },
    });
    expect(sb.row('emails', id)).toMatchObject({ statecode: 1, statuscode: 6 });
    expect(sb.mail.runServerSideSync()).toEqual({ sent: 1, failed: 0, held: 0 });
    expect(sb.row('emails', id)).toMatchObject({ statecode: 1, statuscode: 3, senton: expect.any(String) });
  });

  test('when a request has no or a foreign bearer token, then 401; the log never holds the secret or a token', async () => {
    const url = `${sb.url}api/data/v9.2/eol_administrations`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer forged' } })).status).toBe(401);
    await api.retrieveMultiple({ collection: 'eol_administrations' });
    const log = JSON.stringify(sb.requests());
    for (const secret of sb.issuedSecrets()) expect(log).not.toContain(secret);
    expect(sb.issuedSecrets()).toContain(SECRET);
  });

  test('when $select names a lookup navigation property, then 400 as in Dataverse', async () => {
    await expect(
      api.retrieveMultiple({ collection: 'eol_relations', select: ['eol_administrationid'] }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
