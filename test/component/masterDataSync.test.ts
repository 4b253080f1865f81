import { randomUUID } from 'node:crypto';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse';
import { createDataverseGateway, type DataverseGateway } from '../../src/adapters/dataverse';
import { summaryLines, syncTenant, writeBackRelation, type MasterDataPorts } from '../../src/app/masterData';
import { ExactValidationError } from '../../src/adapters/exact/errors';
import { FakeExactMasterData } from '../app/masterData/fakeExactMasterData';

/**
 * Issue 14 items 1–3 and 5 through the production Dataverse adapter against the Dataverse sandbox, with Exact
 * faked in memory (tests/app/masterData/fakeExactMasterData.ts).
 */
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const TENANT = '11111111-1111-4111-8111-111111111111';
const SECRET = 'master-data-sync-secret';
const DIV = 101;
const guid = (n: number, kind = 'a') => `${kind.repeat(8)}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const DOC = guid(1, 'd');
const MAIL = guid(2, 'd');

let sb: DataverseSandbox;
let gw: DataverseGateway;
let exact: FakeExactMasterData;
let ports: MasterDataPorts;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  gw = createDataverseGateway({
    serverUrl: sb.url,
    authority: sb.authority,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    extraCaPem: sb.caCertPem,
    sleep: async () => undefined,
  });
  exact = new FakeExactMasterData();
  exact.divisionList = [
    { division: DIV, name: 'Bakkerij BV' },
    { division: 102, name: 'Bakkerij Holding' },
  ];
  exact.layoutsByDivision.set(DIV, [
    { id: DOC, name: 'Factuur', type: 'document', language: 'nl', inactive: false },
    { id: MAIL, name: 'Mail', type: 'email', language: null, inactive: false },
  ]);
  ports = { exact, records: gw.masterData, newId: randomUUID };
});

const writesSince = (from: number) =>
  sb
    .requests()
    .slice(from)
    .filter((r) => r.path.includes('/api/data/') && (r.method !== 'GET' || r.path.endsWith('$batch')));
const relation = (exactId: string) => sb.rows('eol_relations').find((r) => r.eol_exactaccountid === exactId);
const adminRow = (division: number) =>
  sb.rows('eol_administrations').find((r) => r.eol_division === division);

describe('first sync on connect', () => {
  test('when a tenant connects, then its administrations appear switched off and the layouts are mirrored', async () => {
    const summary = await syncTenant(ports);

    expect(summary.administrations.created.sort()).toEqual(['Bakkerij BV', 'Bakkerij Holding']);
    for (const division of [DIV, 102])
      expect(adminRow(division)).toMatchObject({ eol_printinvoices: false, eol_exactstate: 1 });
    const admin = adminRow(DIV)!;
    expect(
      sb
        .rows('eol_layouts')
        .map((l) => [
          l.eol_name,
          l.eol_exactlayoutid,
          l.eol_layouttype,
          l.eol_language ?? null,
          l._eol_administrationid_value,
        ]),
    ).toEqual([
      ['Factuur', DOC, 1, 'nl', admin.eol_administrationid],
      ['Mail', MAIL, 2, null, admin.eol_administrationid],
    ]);
    expect(summary.layouts.created).toBe(2);
  });

  test('when relations are synced, then each is linked by the first rule that finds one account, and the unlinked ones are reported with why', async () => {
    sb.seed({
      accounts: [
        { accountid: guid(1, 'c'), name: 'Kvk Match BV', eol_kvk: '12345678' },
        { accountid: guid(2, 'c'), name: 'Vat Match', eol_vatnumber: 'NL800123456B01' },
        { accountid: guid(3, 'c'), name: 'Jansen  Bouw' },
        { accountid: guid(4, 'c'), name: 'Twice' },
        { accountid: guid(5, 'c'), name: 'twice' },
      ],
    });
    exact.putAccount(DIV, { id: guid(1), name: 'Other name', kvk: '12.34.56.78' });
    exact.putAccount(DIV, { id: guid(2), name: 'Vat Match Exact', vatNumber: 'NL 8001.23.456.B01' });
    exact.putAccount(DIV, { id: guid(3), name: 'jansen bouw' });
    exact.putAccount(DIV, { id: guid(4), name: 'Twice' });
    exact.putAccount(DIV, { id: guid(5), name: 'Nobody' });
    exact.putAccount(DIV, { id: guid(6), name: 'Supplier', customer: false });

    const summary = await syncTenant(ports);

    expect(relation(guid(1))?._eol_accountid_value).toBe(guid(1, 'c'));
    expect(relation(guid(2))?._eol_accountid_value).toBe(guid(2, 'c'));
    expect(relation(guid(3))?._eol_accountid_value).toBe(guid(3, 'c'));
    expect(relation(guid(4))?._eol_accountid_value ?? null).toBeNull();
    expect(relation(guid(6))).toBeUndefined();
    expect(summary.relations.linkedBy).toEqual({ link: 0, kvk: 1, vat: 1, name: 1 });
    expect(summary.relations.unlinked).toEqual([
      { administration: 'Bakkerij BV', name: 'Twice', why: 'several', ambiguous: ['name'] },
      { administration: 'Bakkerij BV', name: 'Nobody', why: 'none', ambiguous: [] },
    ]);

    // The next sync keeps the links it made: counted under "existing link", nothing written.
    const from = sb.requests().length;
    const again = await syncTenant(ports);
    expect(again.relations.linkedBy).toEqual({ link: 3, kvk: 0, vat: 0, name: 0 });
    expect(writesSince(from)).toEqual([]);
  });
});

describe('a sync in which nothing changed', () => {
  test('when 2,500 customers are mirrored and nothing changes, then the second sync writes nothing to Dataverse and reads accounts with one call per 1,000', async () => {
    for (let i = 1; i <= 2500; i++)
      exact.putAccount(DIV, { id: guid(i), name: `Klant ${i}`, email: `k${i}@example.nl` });
    const first = await syncTenant(ports);
    expect(first.relations.created).toBe(2500);
    // 2,500 accounts in pages of 1,000 (3 calls), the administration without accounts 1.
    expect(exact.calls.accountPages).toBe(4);
    // 2,500 rows in $batch requests of at most 500 writes.
    const batches = sb.requests().filter((r) => r.path.endsWith('$batch'));
    expect(batches.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...batches.map((b) => (b.body as unknown[]).length))).toBeLessThanOrEqual(500);

    const from = sb.requests().length;
    const pagesBefore = exact.calls.accountPages;
    const second = await syncTenant(ports);

    expect(writesSince(from)).toEqual([]);
    expect(second.dataverseWrites).toBe(0);
    // One division has accounts and the other none: one accounts call each, both within 1 per 1,000 accounts.
    expect(exact.calls.accountPages - pagesBefore).toBe(2);
    expect(exact.calls.accountPages - pagesBefore).toBeLessThanOrEqual(Math.ceil(2500 / 1000));
    expect(exact.calls.updateAccount).toBe(0);
  });
});

describe('Dynamics edits written to Exact', () => {
  async function mirrored() {
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen', email: 'old@jansen.nl', invoicingMethod: 2 });
    await syncTenant(ports);
    return relation(guid(1))!;
  }

  test('when an invoice email is edited in Dynamics, then the next sync PUTs only that field to Exact and the sync after writes nothing', async () => {
    const row = await mirrored();
    sb.seed({
      eol_relations: [{ eol_relationid: row.eol_relationid, eol_invoiceemail: 'factuur@jansen.nl' }],
    });

    const summary = await syncTenant(ports);

    expect(exact.updates).toEqual([
      { division: DIV, accountId: guid(1), edit: { email: 'factuur@jansen.nl' } },
    ]);
    expect(exact.account(DIV, guid(1))?.email).toBe('factuur@jansen.nl');
    expect(summary.relations.writtenBack).toBe(1);
    expect(relation(guid(1))).toMatchObject({
      eol_invoiceemail: 'factuur@jansen.nl',
      eol_exactinvoiceemail: 'factuur@jansen.nl',
    });

    // Exact returns the account again (its Timestamp rose): it now equals the base, so nothing is written.
    const from = sb.requests().length;
    const next = await syncTenant(ports);
    expect(next.relations.writtenBack).toBe(0);
    expect(writesSince(from)).toEqual([]);
    expect(exact.updates).toHaveLength(1);
  });

  test('when Exact changed the same field since the last sync, then neither value is overwritten and the row names both', async () => {
    const row = await mirrored();
    sb.seed({
      eol_relations: [{ eol_relationid: row.eol_relationid, eol_invoiceemail: 'dynamics@jansen.nl' }],
    });
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen', email: 'exact@jansen.nl' });

    const summary = await syncTenant(ports);

    expect(exact.updates).toEqual([]);
    expect(exact.account(DIV, guid(1))?.email).toBe('exact@jansen.nl');
    const after = relation(guid(1))!;
    expect(after.eol_invoiceemail).toBe('dynamics@jansen.nl');
    expect(after.eol_syncconflict).toContain("'dynamics@jansen.nl' in Dynamics");
    expect(after.eol_syncconflict).toContain("'exact@jansen.nl' in Exact");
    expect(summary.relations.conflicts).toEqual(['Jansen']);

    // Accepting Exact's value in Dynamics ends the conflict.
    sb.seed({ eol_relations: [{ eol_relationid: row.eol_relationid, eol_invoiceemail: 'exact@jansen.nl' }] });
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen' });
    await syncTenant(ports);
    expect(relation(guid(1))).toMatchObject({
      eol_exactinvoiceemail: 'exact@jansen.nl',
      eol_syncconflict: null,
    });
    expect(exact.updates).toEqual([]);
  });
});

describe('layouts through their lookups', () => {
  test('when a relation and an administration hold layout GUIDs as text, then the sync moves them to the lookups, the decision still reads the GUIDs, and a second sync changes nothing', async () => {
    const ADMIN = guid(9, 'e');
    const REL = guid(9, 'f');
    sb.seed({
      eol_administrations: [
        {
          eol_administrationid: ADMIN,
          eol_name: 'Bakkerij BV',
          eol_division: DIV,
          eol_defaultlayout: DOC.toUpperCase(),
        },
      ],
      eol_relations: [
        {
          eol_relationid: REL,
          eol_name: 'Jansen',
          _eol_administrationid_value: ADMIN,
          eol_exactaccountid: guid(1),
          eol_emaillayout: MAIL,
          eol_layout: guid(7, 'd'),
        },
      ],
    });
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen' });

    const summary = await syncTenant(ports);

    const docRow = sb.rows('eol_layouts').find((l) => l.eol_exactlayoutid === DOC)!;
    const mailRow = sb.rows('eol_layouts').find((l) => l.eol_exactlayoutid === MAIL)!;
    expect(sb.row('eol_administrations', ADMIN)).toMatchObject({
      _eol_defaultlayoutid_value: docRow.eol_layoutid,
      eol_defaultlayout: null,
    });
    // An unknown GUID stays in its text column (still read) and is reported.
    expect(sb.row('eol_relations', REL)).toMatchObject({
      _eol_emaillayoutid_value: mailRow.eol_layoutid,
      eol_emaillayout: null,
      eol_layout: guid(7, 'd'),
    });
    expect(summary.layoutMigration).toEqual({ migrated: 2, unmigrated: [`Jansen: ${guid(7, 'd')}`] });
    const [facts] = await gw.directory.relations(ADMIN);
    expect(facts).toMatchObject({ layout: guid(7, 'd'), emailLayout: MAIL });
    const [admin] = await gw.directory.administrations();
    expect(admin).toMatchObject({ defaultLayout: DOC, defaultEmailLayout: null });

    const from = sb.requests().length;
    await syncTenant(ports);
    expect(writesSince(from)).toEqual([]);
  });

  test('when Exact no longer lists a layout, then its row is marked gone (not deleted) and the facts say the layout is gone', async () => {
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen' });
    await syncTenant(ports);
    const rel = relation(guid(1))!;
    const mailRow = sb.rows('eol_layouts').find((l) => l.eol_exactlayoutid === MAIL)!;
    sb.seed({
      eol_relations: [
        {
          eol_relationid: rel.eol_relationid,
          'eol_emaillayoutid@odata.bind': `/eol_layouts(${String(mailRow.eol_layoutid)})`,
        },
      ],
    });
    exact.layoutsByDivision.set(
      DIV,
      exact.layoutsByDivision.get(DIV)!.filter((l) => l.id !== MAIL),
    );

    const summary = await syncTenant(ports);

    expect(summary.layouts.gone).toBe(1);
    expect(sb.row('eol_layouts', String(mailRow.eol_layoutid))).toMatchObject({ eol_exactstate: 2 });
    const [facts] = await gw.directory.relations(String(adminRow(DIV)!.eol_administrationid));
    expect(facts).toMatchObject({ emailLayout: MAIL, emailLayoutGone: true });
    expect(facts!.layoutGone).toBeUndefined();
  });
});

describe('administrations that vanish', () => {
  test('when a division is no longer granted, then its administration is marked gone, never deleted, and comes back as the same row', async () => {
    await syncTenant(ports);
    const holding = adminRow(102)!;
    exact.divisionList = exact.divisionList.filter((d) => d.division !== 102);

    const summary = await syncTenant(ports);
    expect(summary.administrations.gone).toEqual(['Bakkerij Holding']);
    expect(sb.row('eol_administrations', String(holding.eol_administrationid))).toMatchObject({
      eol_exactstate: 2,
    });

    exact.divisionList.push({ division: 102, name: 'Bakkerij Holding BV' });
    const back = await syncTenant(ports);
    expect(back.administrations).toEqual({ created: [], gone: [], renamed: ['Bakkerij Holding BV'] });
    expect(sb.row('eol_administrations', String(holding.eol_administrationid))).toMatchObject({
      eol_exactstate: 1,
      eol_name: 'Bakkerij Holding BV',
    });
  });
});

describe('invoice accounts', () => {
  test("when a person's account is invoiced to a company, then the relation points at the company's relation and the facts carry its method", async () => {
    // The person comes first in Exact's order, so its row is created before the company's in the same sync.
    exact.putAccount(DIV, { id: guid(2), name: 'Piet de Vries', invoiceAccount: guid(1) });
    exact.putAccount(DIV, { id: guid(1), name: 'De Vries Holding', invoicingMethod: 32 });

    await syncTenant(ports);

    const company = relation(guid(1))!;
    expect(relation(guid(2))?._eol_invoiceaccountid_value).toBe(company.eol_relationid);
    expect(relation(guid(1))?._eol_invoiceaccountid_value ?? null).toBeNull();
    const facts = await gw.directory.relations(String(adminRow(DIV)!.eol_administrationid));
    expect(facts.find((f) => f.name === 'Piet de Vries')).toMatchObject({
      invoiceMethod: null,
      invoiceAccountMethod: 32,
    });
  });

  test('when an account stops being a customer in Exact, then its relation is marked gone, never deleted', async () => {
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen' });
    await syncTenant(ports);
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen', customer: false });

    const summary = await syncTenant(ports);

    expect(summary.relations.gone).toBe(1);
    expect(relation(guid(1))).toMatchObject({ eol_exactstate: 2 });
  });
});

describe('one administration failing', () => {
  test('when Exact refuses one division, then the other administrations are synced and the summary names the failed one', async () => {
    exact.putAccount(102, { id: guid(1), name: 'Holding Klant' });
    exact.putAccount(DIV, { id: guid(2), name: 'Bakker Klant' });
    const layouts = exact.layouts.bind(exact);
    exact.layouts = async (division) => {
      if (division === DIV) throw new ExactValidationError('division not accessible', 403);
      return layouts(division);
    };

    const summary = await syncTenant(ports);

    expect(summary.failed).toEqual([
      { administration: 'Bakkerij BV', reason: 'exact_rejected', transient: false },
    ]);
    expect(relation(guid(1))).toMatchObject({ eol_name: 'Holding Klant' });
    expect(relation(guid(2))).toBeUndefined();
  });
});

describe('relations typed by hand before the first sync', () => {
  test("when a hand-typed relation's email differs from Exact's, then the first sync shows Exact's, names the replaced value, writes nothing to Exact, and the next sync changes nothing", async () => {
    const ADMIN = guid(9, 'e');
    const REL = guid(9, 'f');
    sb.seed({
      eol_administrations: [{ eol_administrationid: ADMIN, eol_name: 'Bakkerij BV', eol_division: DIV }],
      eol_relations: [
        {
          eol_relationid: REL,
          eol_name: 'Café De Hoek',
          _eol_administrationid_value: ADMIN,
          eol_exactaccountid: guid(1).toUpperCase(),
          eol_invoiceemail: 'factuur@hoek.nl; eigenaar@hoek.nl',
          eol_invoicemethod: 0,
        },
      ],
    });
    exact.putAccount(DIV, { id: guid(1), name: 'Café De Hoek', email: 'info@hoek.nl', invoicingMethod: 2 });

    await syncTenant(ports);

    // Matched case-insensitively: the GUID typed in capitals is the same account (and is not rewritten).
    expect(sb.row('eol_relations', REL)).toMatchObject({
      eol_exactstate: 1,
      eol_invoiceemail: 'info@hoek.nl',
      eol_exactinvoiceemail: 'info@hoek.nl',
      // "Automatic" is the connector's own choice: kept.
      eol_invoicemethod: 0,
      eol_exactinvoicemethod: 2,
    });
    expect(sb.row('eol_relations', REL)?.eol_syncconflict).toContain(
      "Invoice email: 'factuur@hoek.nl; eigenaar@hoek.nl' replaced by 'info@hoek.nl'",
    );
    expect(exact.updates).toEqual([]);

    const from = sb.requests().length;
    await syncTenant(ports);
    expect(writesSince(from)).toEqual([]);
    expect(exact.updates).toEqual([]);
  });
  test("when a hand-typed relation has an invoice email and Exact's account has none, then the first sync keeps it in Dynamics and writes it to Exact, and the next sync changes nothing", async () => {
    const ADMIN = guid(9, 'e');
    const REL = guid(9, 'f');
    sb.seed({
      eol_administrations: [{ eol_administrationid: ADMIN, eol_name: 'Bakkerij BV', eol_division: DIV }],
      eol_relations: [
        {
          eol_relationid: REL,
          eol_name: 'Eigen Adres BV',
          _eol_administrationid_value: ADMIN,
          eol_exactaccountid: guid(1),
          eol_invoiceemail: 'factuur@eigenadres.nl; kopie@eigenadres.nl',
          eol_invoicemethod: 2,
        },
      ],
    });
    exact.putAccount(DIV, { id: guid(1), name: 'Eigen Adres BV', invoicingMethod: 2 });

    const summary = await syncTenant(ports);

    // Exact mails one address: the first of the list is written; Dynamics keeps the list it was given.
    expect(exact.updates).toEqual([
      { division: DIV, accountId: guid(1), edit: { email: 'factuur@eigenadres.nl' } },
    ]);
    expect(exact.account(DIV, guid(1))?.email).toBe('factuur@eigenadres.nl');
    expect(summary.relations.writtenBack).toBe(1);
    expect(sb.row('eol_relations', REL)).toMatchObject({
      eol_exactstate: 1,
      eol_invoiceemail: 'factuur@eigenadres.nl; kopie@eigenadres.nl',
      eol_exactinvoiceemail: 'factuur@eigenadres.nl',
    });
    expect(sb.row('eol_relations', REL)?.eol_syncconflict ?? null).toBeNull();

    const from = sb.requests().length;
    await syncTenant(ports);
    expect(writesSince(from)).toEqual([]);
    expect(exact.updates).toHaveLength(1);
  });
});

describe('an edit Exact refuses, in the sync', () => {
  test('when Exact refuses the edit, then the row says so, the base stays, and each daily sync offers it once more without writing the same text again', async () => {
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen', email: 'old@jansen.nl', invoicingMethod: 2 });
    await syncTenant(ports);
    const row = relation(guid(1))!;
    sb.seed({ eol_relations: [{ eol_relationid: row.eol_relationid, eol_invoiceemail: 'x@bad.example' }] });
    const update = exact.updateAccount.bind(exact);
    exact.updateAccount = async (division, id, edit) => {
      exact.calls.updateAccount++;
      if (edit.email === 'x@bad.example') throw new ExactValidationError('E-mail: invalid domain.', 400);
      return update(division, id, edit);
    };

    const summary = await syncTenant(ports);

    expect(summary.relations.writeBackFailed).toEqual(['Jansen']);
    expect(relation(guid(1))).toMatchObject({
      eol_invoiceemail: 'x@bad.example',
      eol_exactinvoiceemail: 'old@jansen.nl',
      eol_syncconflict:
        'Not written to Exact: Exact Online refused {"email":"x@bad.example"} (E-mail: invalid domain.).',
    });
    const from = sb.requests().length;
    const calls = exact.calls.updateAccount;
    await syncTenant(ports);
    expect(exact.calls.updateAccount - calls).toBe(1);
    expect(writesSince(from)).toEqual([]);

    // A corrected value goes through, and the explanation goes.
    sb.seed({ eol_relations: [{ eol_relationid: row.eol_relationid, eol_invoiceemail: 'x@jansen.nl' }] });
    await syncTenant(ports);
    expect(exact.account(DIV, guid(1))?.email).toBe('x@jansen.nl');
    expect(relation(guid(1))).toMatchObject({ eol_exactinvoiceemail: 'x@jansen.nl', eol_syncconflict: null });
  });
});

describe('a Dynamics edit written back outside a sync', () => {
  test('when the relation holds an edit, then one account read and one PUT carry it to Exact; without an edit, Exact is not called', async () => {
    exact.putAccount(DIV, { id: guid(1), name: 'Geen Mail BV', invoicingMethod: 2 });
    await syncTenant(ports);
    const row = relation(guid(1))!;
    const admin = { id: String(adminRow(DIV)!.eol_administrationid), division: DIV };
    const callsBefore = { ...exact.calls };
    expect(await writeBackRelation(ports, admin, String(row.eol_relationid))).toEqual({
      written: false,
      conflict: null,
      exactCalls: 0,
      dataverseWrites: 0,
    });
    expect(exact.calls).toEqual(callsBefore);

    sb.seed({
      eol_relations: [{ eol_relationid: row.eol_relationid, eol_invoiceemail: 'factuur@geenmail.nl' }],
    });
    const done = await writeBackRelation(ports, admin, String(row.eol_relationid));

    expect(done).toMatchObject({ written: true, conflict: null, exactCalls: 2 });
    expect(exact.updates).toEqual([
      { division: DIV, accountId: guid(1), edit: { email: 'factuur@geenmail.nl' } },
    ]);
    expect(relation(guid(1))).toMatchObject({ eol_exactinvoiceemail: 'factuur@geenmail.nl' });
    const from = sb.requests().length;
    await syncTenant(ports);
    expect(writesSince(from)).toEqual([]);
  });

  test('when Exact changed the edited field since the last sync, then nothing is PUT and the row explains it', async () => {
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen', peppolId: '0106:1' });
    await syncTenant(ports);
    const row = relation(guid(1))!;
    sb.seed({ eol_relations: [{ eol_relationid: row.eol_relationid, eol_peppolid: '0106:2' }] });
    exact.putAccount(DIV, { id: guid(1), name: 'Jansen', peppolId: '0106:3' });

    const out = await writeBackRelation(
      ports,
      { id: String(adminRow(DIV)!.eol_administrationid), division: DIV },
      String(row.eol_relationid),
    );

    expect(out.written).toBe(false);
    expect(out.conflict).toContain("Peppol id: '0106:2' in Dynamics, '0106:3' in Exact");
    expect(exact.updates).toEqual([]);
    expect(relation(guid(1))).toMatchObject({ eol_peppolid: '0106:2', eol_syncconflict: out.conflict });
  });
});

describe('the summary', () => {
  test('when two administrations have unlinked relations, then Dynamics accounts are read once, and the summary lines name the unlinked with why', async () => {
    sb.seed({
      accounts: [
        { accountid: guid(1, 'c'), name: 'Twice' },
        { accountid: guid(2, 'c'), name: 'Twice' },
      ],
    });
    exact.putAccount(DIV, { id: guid(1), name: 'Twice' });
    exact.putAccount(102, { id: guid(2), name: 'Nobody' });
    const from = sb.requests().length;

    const summary = await syncTenant(ports);

    const accountReads = sb
      .requests()
      .slice(from)
      .filter((r) => r.method === 'GET' && r.path.endsWith('/accounts'));
    expect(accountReads).toHaveLength(1);
    expect(summaryLines(summary)).toEqual(
      expect.arrayContaining([
        'administrations: 2 new (switched off): Bakkerij BV, Bakkerij Holding, 0 gone',
        '  unlinked Twice (Bakkerij BV): several accounts match by name',
        '  unlinked Nobody (Bakkerij Holding): no matching account',
      ]),
    );
  });
});
