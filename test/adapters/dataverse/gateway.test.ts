import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import type { InvoiceRow } from '../../../src/app/ports';
import {
  createDataverseGateway,
  DataverseAuthError,
  DataverseNotFoundError,
  DataverseThrottledError,
  type DataverseGateway,
} from '../../../src/adapters/dataverse';

const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const TENANT = '11111111-1111-4111-8111-111111111111';
const SECRET = 'gateway-test-client-secret';
const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000001';
const REL = 'bbbbbbbb-0000-4000-8000-000000000001';
const ROW = 'cccccccc-0000-4000-8000-000000000001';
const OWNER = 'dddddddd-0000-4000-8000-000000000001';
const EXACT_INV = 'eeeeeeee-0000-4000-8000-000000000001';

let sb: DataverseSandbox;
let slept: number[];
let gw: DataverseGateway;

const gateway = (over: { clientSecret?: string; language?: 'nl' | 'en' } = {}): DataverseGateway =>
  createDataverseGateway({
    serverUrl: sb.url,
    authority: sb.authority,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: over.clientSecret ?? SECRET,
    extraCaPem: sb.caCertPem,
    ...(over.language ? { language: over.language } : {}),
    sleep: async (ms) => {
      slept.push(ms);
    },
  });

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
  slept = [];
  gw = gateway();
  sb.seed({
    systemusers: [{ systemuserid: OWNER, fullname: 'Sales User' }],
    eol_administrations: [
      {
        eol_administrationid: ADMIN,
        eol_name: 'Bakkerij BV',
        eol_division: 123,
        eol_printinvoices: true,
        eol_sources: '1,2',
        eol_channels: '1,3,4',
        eol_timing: 2,
        eol_timezone: 'Europe/Brussels',
        eol_defaultinvoicemethod: 2,
        eol_defaultlayout: '11111111-aaaa-4000-8000-000000000001',
        eol_defaultemaillayout: '11111111-aaaa-4000-8000-000000000002',
        eol_senderemail: 'facturen@bakkerij.nl',
        eol_extratext: 'Betaal binnen 14 dagen',
        eol_notifyemail: 'boekhouding@bakkerij.nl; it@bakkerij.nl',
        eol_peppolrequired: true,
        eol_activefrom: '2026-03-01',
      },
    ],
    eol_relations: [
      {
        eol_relationid: REL,
        eol_name: 'Jansen',
        _eol_administrationid_value: ADMIN,
        eol_exactaccountid: 'ffffffff-0000-4000-8000-000000000001',
        eol_autoinvoice: true,
        eol_invoicemethod: 32,
        eol_printandsend: false,
        eol_layout: '11111111-aaaa-4000-8000-000000000003',
        eol_emaillayout: '11111111-aaaa-4000-8000-000000000004',
        eol_invoiceemail: 'jansen@example.nl',
        eol_peppolid: '0106:12345678',
        eol_kvk: '12345678',
        eol_oin: '00000001234567890000',
        eol_vatnumber: 'NL123456789B01',
      },
    ],
    eol_salesinvoices: [
      {
        eol_salesinvoiceid: ROW,
        eol_name: 'concept 1',
        eol_exactinvoiceid: EXACT_INV,
        _eol_administrationid_value: ADMIN,
        _eol_relationid_value: REL,
        _ownerid_value: OWNER,
        eol_invoicenumber: 2025001,
        eol_invoicedate: '2025-03-31',
        eol_source: 2,
        eol_autodispatch: true,
        eol_extratext: 'Eigen tekst',
        eol_resend: true,
        eol_dispatchstatus: 2,
        eol_dispatchreason: 'scheduled',
        eol_scheduledfor: '2025-03-30T22:05:00Z',
      },
    ],
  });
});

describe('Dataverse gateway against the sandbox', () => {
  test('when the context of a fully populated invoice is loaded, then one expanded GET maps every column to the domain', async () => {
    const ctx = await gw.records.loadContext(ROW);
    expect(ctx).toEqual({
      invoice: {
        rowId: ROW,
        name: 'concept 1',
        exactInvoiceId: EXACT_INV,
        administrationId: ADMIN,
        relationId: REL,
        invoiceNumber: 2025001,
        invoiceDate: '2025-03-31',
        source: 2,
        autoDispatch: true,
        extraText: 'Eigen tekst',
        resend: true,
        dispatchStatus: 2,
        dispatchReason: 'scheduled',
        scheduledFor: new Date('2025-03-30T22:05:00Z'),
        dispatchChannel: null,
        dispatchMessage: null,
        sentOn: null,
        ownerId: OWNER,
        recipients: null,
        emailId: null,
      },
      relation: {
        id: REL,
        name: 'Jansen',
        exactAccountId: 'ffffffff-0000-4000-8000-000000000001',
        autoInvoice: true,
        invoiceMethod: 32,
        printAndSend: false,
        layout: '11111111-aaaa-4000-8000-000000000003',
        emailLayout: '11111111-aaaa-4000-8000-000000000004',
        invoiceEmail: 'jansen@example.nl',
        peppolId: '0106:12345678',
        kvk: '12345678',
        oin: '00000001234567890000',
        vatNumber: 'NL123456789B01',
        emailRoute: null,
        emailReview: null,
        accountId: null,
      },
      administration: {
        id: ADMIN,
        name: 'Bakkerij BV',
        division: 123,
        printInvoices: true,
        sources: [1, 2],
        channels: ['peppol', 'email', 'paper'],
        timing: 'onInvoiceDate',
        timeZone: 'Europe/Brussels',
        defaultInvoiceMethod: 2,
        defaultLayout: '11111111-aaaa-4000-8000-000000000001',
        defaultEmailLayout: '11111111-aaaa-4000-8000-000000000002',
        senderEmail: 'facturen@bakkerij.nl',
        extraText: 'Betaal binnen 14 dagen',
        notifyEmail: 'boekhouding@bakkerij.nl; it@bakkerij.nl',
        peppolRequired: true,
        activeFrom: '2026-03-01',
        emailRoute: null,
        emailTemplateId: null,
        mailboxId: null,
        emailReview: false,
        emailCc: null,
        emailBcc: null,
      },
    });
    const api = sb.requests().filter((r) => r.path.startsWith('/api/'));
    expect(api).toHaveLength(1);
    expect(api[0]!.query.$expand).toMatch(
      /^eol_relationid\(\$select=.*\),eol_administrationid\(\$select=.*\)$/,
    );
    expect(gw.calls()).toBe(1);
  });

  test('when an administration leaves optional columns empty, then the PRODUCT.md defaults apply (immediate, Europe/Amsterdam, sources 1,2, every channel)', async () => {
    sb.seed({
      eol_administrations: [
        { eol_administrationid: 'aaaaaaaa-0000-4000-8000-000000000009', eol_name: 'Leeg', eol_division: 9 },
      ],
    });
    const admin = (await gw.directory.administrations()).find((a) => a.division === 9);
    expect(admin).toMatchObject({
      printInvoices: false,
      sources: [1, 2],
      channels: ['peppol', 'postbox', 'email', 'paper'],
      timing: 'immediate',
      timeZone: 'Europe/Amsterdam',
      defaultInvoiceMethod: null,
      notifyEmail: null,
      peppolRequired: false,
      activeFrom: null,
    });
  });

  test('when the rows of a batch are loaded, then one expanded query per 8 rows returns each with its relation and administration, and a missing row is absent', async () => {
    const rowIds = Array.from(
      { length: 20 },
      (_, i) => `cccccccc-0000-4000-8000-${String(100 + i).padStart(12, '0')}`,
    );
    sb.seed({
      eol_salesinvoices: rowIds.slice(1).map((id, i) => ({
        eol_salesinvoiceid: id,
        eol_name: `batch ${i}`,
        eol_exactinvoiceid: `eeeeeeee-0000-4000-8000-${String(100 + i).padStart(12, '0')}`,
        _eol_administrationid_value: ADMIN,
        _eol_relationid_value: REL,
      })),
    });
    const single = await gw.records.loadContext(rowIds[5]!);
    const before = sb.requests().length;
    const contexts = await gw.records.loadContexts([ROW, ...rowIds]);

    expect(contexts.size).toBe(20);
    expect(contexts.has(rowIds[0]!)).toBe(false);
    expect(contexts.get(rowIds[5]!)).toEqual(single);
    expect(contexts.get(ROW)).toEqual(await gw.records.loadContext(ROW));
    const queries = sb.requests().slice(before, before + 3);
    expect(queries.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/data/v9.2/eol_salesinvoices',
      'GET /api/data/v9.2/eol_salesinvoices',
      'GET /api/data/v9.2/eol_salesinvoices',
    ]);
    // Each is a GET, not a $batch: dynamics-web-api sends a $batch from 2,000 characters of path on.
    // Measured as dynamics-web-api measures its path: `$filter` percent-encoded, `$select`/`$expand` as they are.
    const longest = Math.max(
      ...queries.map(
        (r) =>
          `${r.path.replace('/api/data/v9.2/', '')}?${Object.entries(r.query)
            .map(([k, v]) => `${k}=${k === '$filter' ? encodeURIComponent(v) : v}`)
            .join('&')}`.length,
      ),
    );
    expect(longest).toBeLessThan(2000);
  });

  test('when the row does not exist, then loadContext answers null', async () => {
    await expect(gw.records.loadContext('cccccccc-0000-4000-8000-0000000000ff')).resolves.toBeNull();
  });

  test('when a dispatch is written, then one PATCH with If-Match * sets the status columns and clears eol_resend', async () => {
    await gw.records.writeDispatch(ROW, {
      status: 4,
      channel: 'email',
      reason: 'sent',
      message: 'Verzonden per e-mail',
      scheduledFor: null,
      sentOn: new Date('2025-03-31T07:00:00.123Z'),
      attempts: 1,
      invoiceNumber: 2025002,
      clearResend: true,
    });
    const patch = sb.requests().filter((r) => r.method === 'PATCH');
    expect(patch).toHaveLength(1);
    expect(patch[0]!.body).toEqual({
      eol_dispatchstatus: 4,
      eol_dispatchchannel: 3,
      eol_dispatchreason: 'sent',
      eol_dispatchmessage: 'Verzonden per e-mail',
      eol_scheduledfor: null,
      eol_senton: '2025-03-31T07:00:00Z',
      eol_dispatchattempts: 1,
      eol_invoicenumber: 2025002,
      eol_resend: false,
      eol_sendnow: false,
    });
    expect(sb.row('eol_salesinvoices', ROW)).toMatchObject({
      eol_dispatchstatus: 4,
      eol_resend: false,
      eol_invoicenumber: 2025002,
    });
  });

  test('when the row was deleted meanwhile, then writeDispatch does not recreate it and fails permanently as not found', async () => {
    const err = await gw.records
      .writeDispatch('cccccccc-0000-4000-8000-0000000000ff', {
        status: 5,
        channel: null,
        reason: 'relation_disabled',
        message: 'x',
        scheduledFor: null,
        sentOn: null,
        attempts: 0,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseNotFoundError);
    expect((err as DataverseNotFoundError).transient).toBe(false);
    expect(sb.row('eol_salesinvoices', 'cccccccc-0000-4000-8000-0000000000ff')).toBeUndefined();
  });

  test('when several rows are written together, then one $batch sets each row and a deleted row fails alone', async () => {
    const GONE = 'cccccccc-0000-4000-8000-0000000000ff';
    const before = sb.requests().length;
    const write = (reason: 'sent' | 'relation_disabled', invoiceNumber: number) => ({
      status: 4 as const,
      channel: 'email' as const,
      reason,
      message: `m ${invoiceNumber}`,
      scheduledFor: null,
      sentOn: null,
      attempts: 1,
      invoiceNumber,
    });
    const results = await gw.records.writeDispatches([
      { rowId: GONE, update: write('sent', 1) },
      { rowId: ROW, update: write('sent', 2025077) },
    ]);
    const api = sb
      .requests()
      .slice(before)
      .filter((r) => r.path.startsWith('/api/data/'));
    expect(api.map((r) => `${r.method} ${r.path.replace(/^\/api\/data\/v9\.2\//, '')}`)).toEqual([
      'POST $batch',
    ]);
    expect(results[0]).toBeInstanceOf(DataverseNotFoundError);
    expect(results[1]).toBeNull();
    expect(sb.row('eol_salesinvoices', ROW)).toMatchObject({
      eol_invoicenumber: 2025077,
      eol_dispatchmessage: 'm 2025077',
    });
    expect(sb.row('eol_salesinvoices', GONE)).toBeUndefined();
  });

  test('when Dataverse answers 429 with Retry-After, then the gateway waits that long and the write lands', async () => {
    sb.injectThrottle({ method: 'PATCH', path: 'eol_salesinvoices', count: 2, retryAfterSeconds: 7 });
    await gw.records.writeDispatch(ROW, {
      status: 6,
      channel: null,
      reason: 'layout_missing',
      message: 'Geen lay-out',
      scheduledFor: null,
      sentOn: null,
      attempts: 1,
    });
    expect(slept).toEqual([7000, 7000]);
    expect(
      sb
        .requests()
        .filter((r) => r.method === 'PATCH')
        .map((r) => r.status),
    ).toEqual([429, 429, 204]);
    expect(sb.row('eol_salesinvoices', ROW)?.eol_dispatchreason).toBe('layout_missing');
  });

  test('when 429 keeps coming, then after 5 attempts a transient DataverseThrottledError carries the server hint', async () => {
    sb.injectThrottle({ path: /^eol_salesinvoices/, count: 10, retryAfterSeconds: 3 });
    const err = await gw.records.loadContext(ROW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseThrottledError);
    expect(err).toMatchObject({ transient: true, retryAfterMs: 3000, status: 429 });
    expect(slept).toHaveLength(4);
  });

  test('when missing rows are created, then one $batch creates them and the map links Exact ids to row ids', async () => {
    const ids = ['eeeeeeee-0000-4000-8000-000000000002', 'eeeeeeee-0000-4000-8000-000000000003'];
    const map = await gw.records.createRows(
      ids.map((id, i) => ({
        exactInvoiceId: id,
        administrationId: ADMIN,
        relationId: i === 0 ? REL : null,
        name: `Recurring ${i}`,
        invoiceNumber: null,
        invoiceDate: '2025-04-01',
        source: 2,
      })),
    );
    expect(
      sb
        .requests()
        .map((r) => `${r.method} ${r.path}`)
        .filter((s) => s.includes('/api/')),
    ).toEqual(['POST /api/data/v9.2/$batch']);
    expect([...map.keys()]).toEqual(ids);
    expect(sb.row('eol_salesinvoices', map.get(ids[0]!)!)).toMatchObject({
      eol_exactinvoiceid: ids[0],
      _eol_administrationid_value: ADMIN,
      _eol_relationid_value: REL,
      eol_source: 2,
    });
    const found = await gw.records.findByExactIds(ADMIN, [
      ...ids,
      EXACT_INV,
      'eeeeeeee-0000-4000-8000-0000000000ff',
    ]);
    expect(found.map((r: InvoiceRow) => r.exactInvoiceId).sort()).toEqual([...ids, EXACT_INV].sort());
  });

  test('when relations and the organisation language are read, then active relations map and 1043 means Dutch', async () => {
    sb.seed({
      eol_relations: [
        {
          eol_relationid: 'bbbbbbbb-0000-4000-8000-000000000002',
          eol_name: 'Inactief',
          _eol_administrationid_value: ADMIN,
          statecode: 1,
        },
      ],
    });
    expect((await gw.directory.relations(ADMIN)).map((r) => r.name)).toEqual(['Jansen']);
    await expect(gw.directory.organizationLanguage()).resolves.toBe('nl');
    await expect(gateway({ language: 'en' }).directory.organizationLanguage()).resolves.toBe('en');
  });

  test('when a failure is notified, then an email goes to every notify address with SendEmail and the owner gets an in-app notification', async () => {
    const ctx = (await gw.records.loadContext(ROW))!;
    await gw.notifier.notifyFailure({
      administration: ctx.administration!,
      invoice: ctx.invoice,
      exactInvoiceId: EXACT_INV,
      reason: 'layout_missing',
      message: 'Niet verzonden: geen lay-out',
    });
    const [email] = sb.rows('emails');
    // SendEmail hands it to server-side synchronization: 6 Pending Send (issue 15).
    expect(email).toMatchObject({
      statecode: 1,
      statuscode: 6,
      subject: 'AutoInvoice: factuur concept 1 niet verzonden',
      _regardingobjectid_value: ROW,
    });
    expect(email!.email_activity_parties).toEqual([
      { participationtypemask: 1, 'partyid_systemuser@odata.bind': `/systemusers(${sb.applicationUserId})` },
      { participationtypemask: 2, addressused: 'boekhouding@bakkerij.nl' },
      { participationtypemask: 2, addressused: 'it@bakkerij.nl' },
    ]);
    expect(String(email!.description)).toContain('Niet verzonden: geen lay-out');
    expect(sb.rows('appnotifications')).toEqual([
      expect.objectContaining({ _ownerid_value: OWNER, title: 'Factuur niet verzonden' }),
    ]);
  });

  test('when many failures are digested, then one email lists them all', async () => {
    const ctx = (await gw.records.loadContext(ROW))!;
    const notice = {
      administration: ctx.administration!,
      invoice: ctx.invoice,
      exactInvoiceId: EXACT_INV,
      reason: 'email_missing' as const,
      message: 'Geen e-mailadres',
    };
    await gw.notifier.notifyDigest(ctx.administration!, [
      notice,
      { ...notice, invoice: null, exactInvoiceId: 'eeeeeeee-0000-4000-8000-000000000009' },
    ]);
    expect(sb.rows('emails')).toHaveLength(1);
    expect(String(sb.rows('emails')[0]!.description)).toContain('eeeeeeee-0000-4000-8000-000000000009');
  });

  test('when the client secret is wrong, then a permanent auth error whose message holds no secret', async () => {
    const err = await gateway({ clientSecret: 'wrong-secret-value-123' })
      .records.loadContext(ROW)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseAuthError);
    expect((err as DataverseAuthError).transient).toBe(false);
    expect(String((err as Error).message)).not.toContain('wrong-secret-value-123');
  });

  test("when many requests run within a token's life, then one token is fetched; when it is revoked, then the next request fetches a new one and succeeds", async () => {
    const issued = () => sb.issuedSecrets().length;
    const before = issued();
    for (let i = 0; i < 5; i++) await gw.records.loadContext(ROW);
    expect(issued() - before).toBe(1);
    sb.revokeTokens();
    await expect(gw.records.loadContext(ROW)).resolves.toMatchObject({ invoice: { rowId: ROW } });
    expect(issued() - before).toBe(2);
    expect(sb.requests().filter((r) => r.status === 401)).toHaveLength(1);

    // Requests in flight together when the token is refused: each is retried once, and all succeed.
    sb.revokeTokens();
    const together = await Promise.all(Array.from({ length: 5 }, () => gw.records.loadContext(ROW)));
    expect(together.every((c) => c?.invoice.rowId === ROW)).toBe(true);
    expect(issued() - before).toBeGreaterThanOrEqual(3);
  });

  test('when errors arise after tokens were issued, then no token or secret appears in any error message', async () => {
    sb.injectThrottle({ path: 'eol_salesinvoices', count: 10 });
    const messages: string[] = [];
    await gw.records.loadContext(ROW).catch((e: Error) => messages.push(e.message, String(e.stack)));
    await gw.records
      .writeDispatch('cccccccc-0000-4000-8000-0000000000ff', {
        status: 5,
        channel: null,
        reason: 'sent',
        message: 'x',
        scheduledFor: null,
        sentOn: null,
        attempts: 0,
      })
      .catch((e: Error) => messages.push(e.message));
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(sb.issuedSecrets().length).toBeGreaterThan(1);
    for (const secret of sb.issuedSecrets()) for (const m of messages) expect(m).not.toContain(secret);
  });
});
