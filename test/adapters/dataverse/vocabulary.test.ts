import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import type { InvoiceRecords, Notifier, TenantDirectory } from '../../../src/app/ports';
import type { MasterDataRecords } from '../../../src/app/masterData/records';
import { createDataverseGateway, type DataverseGateway } from '../../../src/adapters/dataverse';
import {
  EOL_TABLES,
  EXTENDED_TABLES,
  OPTION_SETS,
  SALES_INVOICE,
  USER_OWNED,
} from '../../../src/adapters/dataverse/vocabulary';
import { CHANNEL_CODE, DISPATCH_STATUS, INVOICE_METHOD, SOURCE } from '../../../src/domain/types';
import { runDataverseCli } from '../../../src/cli/dataverse';
import { columnsUsed, type ColumnUse } from './columnsUsed';

/**
 * Every column the gateway reads or writes is one `npm run dataverse -- provision` creates: the sandbox is
 * provisioned by the command, then every port method of the gateway runs against it and the columns its
 * requests name are looked up in the provisioned metadata.
 */
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const TENANT = '11111111-1111-4111-8111-111111111111';
const SECRET = 'vocabulary-test-client-secret';
const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000001';
const REL = 'bbbbbbbb-0000-4000-8000-000000000001';
const ROW = 'cccccccc-0000-4000-8000-000000000001';
const OWNER = 'dddddddd-0000-4000-8000-000000000001';
const EXACT_INV = 'eeeeeeee-0000-4000-8000-000000000001';
const EMAIL = '55555555-0000-4000-8000-000000000001';

let sb: DataverseSandbox;
/** Entity set → the logical names of its provisioned attributes. */
const provisioned = new Map<string, Set<string>>();

const tableBySet = (set: string) => [...EOL_TABLES, ...EXTENDED_TABLES].find((t) => t.entitySet === set);
const navTarget = (set: string, nav: string): string | undefined => {
  const c = tableBySet(set)?.columns[nav];
  return c?.kind === 'lookup' ? EOL_TABLES.find((t) => t.name === c.target)?.entitySet : undefined;
};
/** A use the provisioned schema does not carry; system columns come with every user-owned table. */
/** On a system table the connector extends, only its own (eol_) columns are checked. */
const checked = (u: ColumnUse): boolean =>
  EOL_TABLES.some((t) => t.entitySet === u.set) ||
  (tableBySet(u.set) !== undefined && u.column.startsWith('eol_'));
const unprovisioned = (uses: ColumnUse[]): string[] =>
  uses
    .filter(checked)
    .filter((u) => !provisioned.get(u.set)?.has(u.column) && !(u.column in USER_OWNED))
    .map((u) => `${u.how} ${u.set}.${u.column}`);

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    languageCode: 1043,
  });
  const caFile = join(mkdtempSync(join(tmpdir(), 'dv-vocab-')), 'ca.pem');
  writeFileSync(caFile, sb.caCertPem);
  const code = await runDataverseCli(
    [
      'provision',
      '--url',
      sb.url,
      '--authority',
      sb.authority,
      '--client-id',
      CLIENT_ID,
      '--ca-file',
      caFile,
    ],
    { out: () => undefined, err: () => undefined },
    { DATAVERSE_CLIENT_SECRET: SECRET },
    { sleep: async () => undefined },
  );
  expect(code).toBe(0);
  for (const entry of sb.metadata.store.entities.values()) {
    provisioned.set(
      String(entry.meta.EntitySetName),
      new Set(entry.attributes.map((a) => String(a.LogicalName))),
    );
  }
  seed();
});
afterAll(() => sb.close());

function seed(): void {
  sb.seed({
    systemusers: [{ systemuserid: OWNER, fullname: 'Sales User' }],
    emails: [{ activityid: EMAIL, subject: 'Factuur 2025001' }],
    eol_administrations: [
      {
        eol_administrationid: ADMIN,
        eol_name: 'Bakkerij BV',
        eol_division: 123,
        eol_printinvoices: true,
        eol_notifyemail: 'boekhouding@bakkerij.nl',
      },
    ],
    eol_relations: [
      {
        eol_relationid: REL,
        eol_name: 'Jansen',
        _eol_administrationid_value: ADMIN,
        eol_exactaccountid: 'ffffffff-0000-4000-8000-000000000001',
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
      },
    ],
  });
}

const gateway = (): DataverseGateway =>
  createDataverseGateway({
    serverUrl: sb.url,
    authority: sb.authority,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    extraCaPem: sb.caCertPem,
    sleep: async () => undefined,
  });

/** One call per port method, with every optional part filled (a new method does not compile until it is listed). */
let created = 0;
const nextExactId = () => `eeeeeeee-0000-4000-8000-1000000000${String(++created).padStart(2, '0')}`;
const RECORDS: { [K in keyof InvoiceRecords]: (r: InvoiceRecords) => Promise<unknown> } = {
  loadContext: (r) => r.loadContext(ROW),
  loadContexts: (r) => r.loadContexts([ROW]),
  findByExactIds: (r) => r.findByExactIds(ADMIN, [EXACT_INV]),
  createRows: (r) =>
    r.createRows([
      {
        exactInvoiceId: nextExactId(),
        administrationId: ADMIN,
        relationId: REL,
        name: 'Recurring',
        invoiceNumber: 7,
        invoiceDate: '2025-04-01',
        source: 2,
      },
    ]),
  writeDispatch: (r) =>
    r.writeDispatch(ROW, {
      status: 4,
      channel: 'email',
      reason: 'sent',
      message: 'Verzonden per e-mail',
      scheduledFor: new Date('2025-03-31T07:00:00Z'),
      sentOn: new Date('2025-03-31T07:00:00Z'),
      attempts: 1,
      invoiceNumber: 2025002,
      clearResend: true,
      emailId: EMAIL,
    }),
  writeDispatches: (r) =>
    r.writeDispatches([
      {
        rowId: ROW,
        update: {
          status: 4,
          channel: 'email',
          reason: 'sent',
          message: 'Verzonden per e-mail',
          scheduledFor: null,
          sentOn: new Date('2025-03-31T07:00:00Z'),
          attempts: 1,
          invoiceNumber: 2025003,
          clearResend: true,
          emailId: EMAIL,
        },
      },
      {
        rowId: ROW,
        update: {
          status: 4,
          channel: 'email',
          reason: 'sent',
          message: 'Verzonden per e-mail',
          scheduledFor: null,
          sentOn: null,
          attempts: 1,
        },
      },
    ]),
};
const DIRECTORY: { [K in keyof TenantDirectory]: (d: TenantDirectory) => Promise<unknown> } = {
  administrations: (d) => d.administrations(),
  relations: (d) => d.relations(ADMIN),
  organizationLanguage: (d) => d.organizationLanguage(),
};
const NOTIFIER: { [K in keyof Notifier]: (n: Notifier, g: DataverseGateway) => Promise<unknown> } = {
  notifyFailure: async (n, g) => {
    const ctx = (await g.records.loadContext(ROW))!;
    await n.notifyFailure({
      administration: ctx.administration!,
      invoice: ctx.invoice,
      exactInvoiceId: EXACT_INV,
      reason: 'layout_missing',
      message: 'x',
    });
  },
  notifyDigest: async (n, g) => {
    const ctx = (await g.records.loadContext(ROW))!;
    const notice = {
      administration: ctx.administration!,
      invoice: ctx.invoice,
      exactInvoiceId: EXACT_INV,
      reason: 'layout_missing' as const,
      message: 'x',
    };
    await n.notifyDigest(ctx.administration!, [notice, notice]);
  },
};

const LAYOUT_ROW = '99999999-0000-4000-8000-000000000001';
const NEW_REL = '99999999-0000-4000-8000-000000000002';
const MASTER_DATA: { [K in keyof MasterDataRecords]: (m: MasterDataRecords) => Promise<unknown> } = {
  administrations: (m) => m.administrations(),
  layouts: (m) => m.layouts(ADMIN),
  relations: (m) => m.relations(ADMIN),
  relation: (m) => m.relation(REL),
  accounts: (m) => m.accounts(),
  save: (m) =>
    m.save([
      {
        table: 'layout',
        id: LAYOUT_ROW,
        create: true,
        fields: {
          administrationId: ADMIN,
          exactId: 'ffffffff-0000-4000-8000-0000000000a1',
          name: 'Factuur',
          type: 'document',
          language: 'nl',
          state: 'active',
          inactive: false,
        },
      },
      {
        table: 'administration',
        id: ADMIN,
        create: false,
        fields: {
          division: 123,
          name: 'Bakkerij BV',
          printInvoices: true,
          state: 'active',
          accountCursor: '1234',
          defaultLayoutId: LAYOUT_ROW,
          defaultEmailLayoutId: null,
          legacyDefaultLayout: null,
          legacyDefaultEmailLayout: null,
        },
      },
      {
        table: 'relation',
        id: NEW_REL,
        create: true,
        fields: {
          administrationId: ADMIN,
          exactAccountId: 'ffffffff-0000-4000-8000-0000000000b1',
          name: 'Pieters',
        },
      },
      {
        table: 'relation',
        id: REL,
        create: false,
        fields: {
          administrationId: ADMIN,
          exactAccountId: 'ffffffff-0000-4000-8000-000000000001',
          name: 'Jansen',
          state: 'active',
          accountId: null,
          invoiceAccountId: NEW_REL,
          kvk: '12345678',
          vatNumber: 'NL800123456B01',
          oin: null,
          language: 'NL',
          invoiceMethod: 2,
          invoiceEmail: 'a@jansen.nl',
          peppolId: null,
          exactInvoiceMethod: 2,
          exactInvoiceEmail: 'a@jansen.nl',
          exactPeppolId: null,
          conflict: null,
          layoutId: LAYOUT_ROW,
          emailLayoutId: null,
          legacyLayout: null,
          legacyEmailLayout: null,
        },
      },
    ]),
};

describe('every column the gateway reads or writes is provisioned', () => {
  const calls = [
    ...Object.entries(RECORDS).map(
      ([name, run]) => [`records.${name}`, (g: DataverseGateway) => run(g.records)] as const,
    ),
    ...Object.entries(DIRECTORY).map(
      ([name, run]) => [`directory.${name}`, (g: DataverseGateway) => run(g.directory)] as const,
    ),
    ...Object.entries(MASTER_DATA).map(
      ([name, run]) => [`masterData.${name}`, (g: DataverseGateway) => run(g.masterData)] as const,
    ),
    ...Object.entries(NOTIFIER).map(
      ([name, run]) => [`notifier.${name}`, (g: DataverseGateway) => run(g.notifier, g)] as const,
    ),
  ];

  test.each(calls)(
    'when %s runs against the provisioned sandbox, then every eol_ column its requests name exists there',
    async (_name, run) => {
      const from = sb.requests().length;
      await run(gateway());
      const uses = columnsUsed(sb.requests().slice(from), navTarget);
      expect(uses.length).toBeGreaterThan(0);
      expect(unprovisioned(uses)).toEqual([]);
      // A bind names a table the environment holds: a provisioned eol_ table (the email's
      // regardingobjectid_eol_salesinvoice) or a system table (the invoice's eol_emailid → emails).
      // (A null bind unlinks and names no table.)
      const bound = uses.filter((u) => u.how === 'bind' && u.boundTo !== 'null').map((u) => u.boundTo!);
      expect(bound.filter((set) => !provisioned.has(set))).toEqual([]);
    },
  );

  test('when the writes of a dispatch and of a created row are collected, then they cover every column the connector sets (PRODUCT.md §8)', async () => {
    const from = sb.requests().length;
    const g = gateway();
    await RECORDS.writeDispatch(g.records);
    await RECORDS.createRows(g.records);
    const written = columnsUsed(sb.requests().slice(from), navTarget)
      .filter((u) => u.how === 'write' || u.how === 'bind')
      .map((u) => u.column)
      .sort();
    expect(written).toEqual(
      [
        'eol_administrationid',
        'eol_dispatchattempts',
        'eol_dispatchchannel',
        'eol_dispatchmessage',
        'eol_dispatchreason',
        'eol_dispatchstatus',
        'eol_emailid',
        'eol_exactinvoiceid',
        'eol_invoicedate',
        'eol_invoicenumber',
        'eol_invoicenumber',
        'eol_name',
        'eol_relationid',
        'eol_resend',
        'eol_sendnow',
        'eol_scheduledfor',
        'eol_senton',
        'eol_source',
      ].sort(),
    );
  });

  test('when a request names a column provisioning does not create, then the check reports it', () => {
    const uses = columnsUsed(
      [
        {
          method: 'GET',
          path: '/api/data/v9.2/eol_salesinvoices',
          query: {
            $select: 'eol_name,eol_nothere',
            $expand: 'eol_relationid($select=eol_name,eol_gone)',
            $filter: '_eol_missing_value eq 1',
          },
          status: 200,
          at: 0,
        },
        {
          method: 'PATCH',
          path: '/api/data/v9.2/eol_salesinvoices(cccccccc-0000-4000-8000-000000000001)',
          query: {},
          body: { eol_typo: 1, 'eol_nolookup@odata.bind': '/eol_relations(x)' },
          status: 204,
          at: 0,
        },
      ],
      navTarget,
    );
    expect(unprovisioned(uses)).toEqual([
      'select eol_salesinvoices.eol_nothere',
      'select eol_relations.eol_gone',
      'filter eol_salesinvoices.eol_missing',
      'write eol_salesinvoices.eol_typo',
      'bind eol_salesinvoices.eol_nolookup',
    ]);
  });
});

describe('the vocabulary and the domain agree', () => {
  const values = (o: { options: readonly { value: number }[] }) => o.options.map((x) => x.value);

  test('when the option sets are compared with the domain codes, then channels, sources and invoice methods are numbered alike', () => {
    expect(values(OPTION_SETS.eol_channel)).toEqual(Object.values(CHANNEL_CODE));
    expect(values(OPTION_SETS.eol_source)).toEqual(Object.values(SOURCE));
    expect([...values(OPTION_SETS.eol_invoicemethod)].sort((a, b) => a - b)).toEqual(
      Object.values(INVOICE_METHOD).sort((a, b) => a - b),
    );
  });

  test('when a row arrives with a dispatch status outside PRODUCT.md §2 and §12 (1–9), then its schema refuses it', () => {
    const wire = SALES_INVOICE.columns.eol_dispatchstatus.wire;
    expect(wire.safeParse(7).success).toBe(true);
    expect(wire.safeParse(DISPATCH_STATUS.review).success).toBe(true);
    expect(wire.safeParse(null).success).toBe(true);
    expect(wire.safeParse(10).success).toBe(false);
    expect(wire.safeParse(0).success).toBe(false);
  });

  test('when the dispatch status choice is compared with the domain, then every DISPATCH_STATUS has its option', () => {
    const options = SALES_INVOICE.columns.eol_dispatchstatus.options.map((o) => o.value);
    expect([...options].sort((a, b) => a - b)).toEqual(Object.values(DISPATCH_STATUS).sort((a, b) => a - b));
  });
});
