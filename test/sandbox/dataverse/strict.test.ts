import { ConfidentialClientApplication } from '@azure/msal-node';
import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import { createMsalNetworkClient } from '../../../src/adapters/dataverse/msalNetwork';

/** The Dataverse sandbox refuses what the metadata it holds does not allow, in Dataverse's status, code and wording. */
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const SECRET = 'sandbox-strict-secret-value';
const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000001';
const REL = 'bbbbbbbb-0000-4000-8000-000000000001';
const INV = (n: number) => `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PAYLOAD =
  "Error identified in Payload provided by the user for Entity :'eol_salesinvoices', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ";

let sb: DataverseSandbox;
let token: string;

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
  token = (await cca.acquireTokenByClientCredential({ scopes: [`${sb.url.replace(/\/$/, '')}/.default`] }))!
    .accessToken;
});
afterAll(() => sb.close());

beforeEach(() => {
  sb.reset();
  sb.seed({
    eol_administrations: [
      { eol_administrationid: ADMIN, eol_name: 'Bakkerij BV', eol_division: 123, eol_printinvoices: true },
    ],
    eol_relations: [{ eol_relationid: REL, eol_name: 'Jansen', _eol_administrationid_value: ADMIN }],
    eol_salesinvoices: [1, 2, 3].map((n) => ({
      eol_salesinvoiceid: INV(n),
      eol_name: `F${n}`,
      eol_invoicenumber: 1000 + n,
      eol_dispatchstatus: n,
      eol_autodispatch: n !== 2,
      eol_invoicedate: `2026-05-0${n}`,
      _eol_administrationid_value: ADMIN,
      _eol_relationid_value: REL,
    })),
  });
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sb.url}api/data/v9.2/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer whose shape each test asserts
  type Answer = Record<string, any>;
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: type.includes('json') && text ? (JSON.parse(text) as Answer) : null,
  };
}

const refused = (status: number, code: string, message: string) => ({
  status,
  json: { error: { code, message } },
});

describe('unknown names', () => {
  test.each([
    ['$select', 'eol_salesinvoices?$select=eol_name,eol_colour'],
    ['$filter', "eol_salesinvoices?$filter=eol_colour eq 'red'"],
    ['$orderby', 'eol_salesinvoices?$orderby=eol_colour desc'],
  ])(
    'when %s names a column the table does not have, then 400 code 0x0 "Could not find a property named …"',
    async (_, path) => {
      expect(await call('GET', path)).toMatchObject(
        refused(
          400,
          '0x0',
          "Could not find a property named 'eol_colour' on type 'Microsoft.Dynamics.CRM.eol_salesinvoice'.",
        ),
      );
    },
  );

  test('when $filter compares a lookup\'s navigation property with a GUID, then 400 "A binary operator with incompatible types …" (the value is _x_value)', async () => {
    expect(await call('GET', `eol_salesinvoices?$filter=eol_administrationid eq ${ADMIN}`)).toMatchObject(
      refused(
        400,
        '0x0',
        "A binary operator with incompatible types was detected. Found operand types 'Microsoft.Dynamics.CRM.eol_administration' and 'Edm.Guid' for operator kind 'Equal'.",
      ),
    );
    expect(
      (
        await call(
          'GET',
          `eol_salesinvoices?$select=eol_name&$filter=_eol_administrationid_value eq ${ADMIN}`,
        )
      ).json!.value,
    ).toHaveLength(3);
  });

  test('when a system table is queried for a column it does not have, then the same refusal names the system type', async () => {
    expect(await call('GET', 'organizations?$select=languagecode,colour')).toMatchObject(
      refused(
        400,
        '0x0',
        "Could not find a property named 'colour' on type 'Microsoft.Dynamics.CRM.organization'.",
      ),
    );
  });

  test('when a body holds a property the table does not have, then 400 0x80048d19 "Error identified in Payload … does not exist on type"', async () => {
    expect(await call('PATCH', `eol_salesinvoices(${INV(1)})`, { eol_colour: 'red' })).toMatchObject(
      refused(
        400,
        '0x80048d19',
        `${PAYLOAD}The property 'eol_colour' does not exist on type 'Microsoft.Dynamics.CRM.eol_salesinvoice'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      ),
    );
    expect(sb.row('eol_salesinvoices', INV(1))).not.toHaveProperty('eol_colour');
  });

  test('when a seed names a column the table does not have, then seeding fails and nothing is held', () => {
    expect(() =>
      sb.seed({ eol_salesinvoices: [{ eol_salesinvoiceid: INV(9), eol_name: 'F9', eol_colour: 'red' }] }),
    ).toThrow('sandbox: seed column eol_colour does not exist on eol_salesinvoice');
    expect(sb.row('eol_salesinvoices', INV(9))).toBeUndefined();
  });

  test('when the solution is not installed, then its entity set answers 404 0x8006088a "Resource not found for the segment"', async () => {
    const fresh = await startDataverseSandbox({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      provisioned: false,
    });
    try {
      const cca = new ConfidentialClientApplication({
        auth: {
          authority: fresh.authority,
          clientId: CLIENT_ID,
          clientSecret: SECRET,
          knownAuthorities: [new URL(fresh.authority).host],
        },
        system: { networkClient: createMsalNetworkClient(fresh.caCertPem) },
      });
      const t = (await cca.acquireTokenByClientCredential({
        scopes: [`${fresh.url.replace(/\/$/, '')}/.default`],
      }))!.accessToken;
      const res = await fetch(`${fresh.url}api/data/v9.2/eol_salesinvoices`, {
        headers: { Authorization: `Bearer ${t}` },
      });
      expect({ status: res.status, json: await res.json() }).toEqual(
        refused(404, '0x8006088a', "Resource not found for the segment 'eol_salesinvoices'."),
      );
    } finally {
      await fresh.close();
    }
  });
});

describe('values a column does not allow', () => {
  test('when a choice value is outside its option set, then 400 0x8004431a lists the accepted values and nothing changes', async () => {
    expect(await call('PATCH', `eol_salesinvoices(${INV(1)})`, { eol_dispatchstatus: 99 })).toMatchObject(
      refused(
        400,
        '0x8004431a',
        "A validation error occurred. The value 99 of 'eol_dispatchstatus' on record of type 'eol_salesinvoice' is outside the valid range. Accepted Values: 1,2,3,4,5,6,7,8,9",
      ),
    );
    expect(sb.row('eol_salesinvoices', INV(1))).toMatchObject({ eol_dispatchstatus: 1 });
  });

  test('when a multi-select holds a value outside its global option set, then the same refusal', async () => {
    expect(await call('PATCH', `eol_administrations(${ADMIN})`, { eol_channels: '1,9' })).toMatchObject(
      refused(
        400,
        '0x8004431a',
        "A validation error occurred. The value 9 of 'eol_channels' on record of type 'eol_administration' is outside the valid range. Accepted Values: 1,2,3,4",
      ),
    );
  });

  test('when a text is longer than its maximum length, then 400 0x80044331 names the column, table and length', async () => {
    expect(
      await call('PATCH', `eol_salesinvoices(${INV(1)})`, { eol_dispatchreason: 'x'.repeat(101) }),
    ).toMatchObject(
      refused(
        400,
        '0x80044331',
        "A validation error occurred. The length of the 'eol_dispatchreason' attribute of the 'eol_salesinvoice' entity exceeded the maximum allowed length of '100'.",
      ),
    );
    expect(
      (await call('PATCH', `eol_salesinvoices(${INV(1)})`, { eol_dispatchreason: 'x'.repeat(100) })).status,
    ).toBe(204);
  });

  test.each([
    [
      'a number as text',
      { eol_invoicenumber: '1001' },
      "Cannot convert the literal '1001' to the expected type 'Edm.Int32'.",
    ],
    [
      'a yes/no as text',
      { eol_resend: 'true' },
      "Cannot convert the literal 'true' to the expected type 'Edm.Boolean'.",
    ],
    [
      'a text as number',
      { eol_dispatchreason: 7 },
      "An incompatible primitive type 'Edm.Int32[Nullable=False]' was found for an item that was expected to be of type 'Edm.String[Nullable=True]'.",
    ],
    [
      'a time in a date-only column',
      { eol_invoicedate: '2026-05-01T10:00:00Z' },
      "Cannot convert the literal '2026-05-01T10:00:00Z' to the expected type 'Edm.Date'.",
    ],
    [
      'a date without time in a date-and-time column',
      { eol_senton: '2026-05-01' },
      "Cannot convert the literal '2026-05-01' to the expected type 'Edm.DateTimeOffset'.",
    ],
  ])("when a body sends %s, then 400 0x80048d19 with the OData reader's text", async (_, body, inner) => {
    expect(await call('PATCH', `eol_salesinvoices(${INV(1)})`, body)).toMatchObject(
      refused(400, '0x80048d19', `${PAYLOAD}${inner}`),
    );
  });

  test('when a lookup is bound to a row that does not exist, then 404 0x80040217 "… With Id = … Does Not Exist" and nothing is created', async () => {
    const missing = 'aaaaaaaa-0000-4000-8000-0000000000ff';
    const res = await call('POST', 'eol_salesinvoices', {
      eol_name: 'F9',
      'eol_administrationid@odata.bind': `/eol_administrations(${missing})`,
    });
    expect(res).toMatchObject(
      refused(404, '0x80040217', `eol_administration With Id = ${missing} Does Not Exist`),
    );
    expect(sb.rows('eol_salesinvoices')).toHaveLength(3);
  });
});

describe('query options', () => {
  test('when $skip is used, then 400 0x80060888 "The query parameter $skip is not supported"', async () => {
    expect(await call('GET', 'eol_salesinvoices?$skip=1')).toMatchObject(
      refused(400, '0x80060888', 'The query parameter $skip is not supported'),
    );
  });

  test('when $count=true, then @odata.count gives the matching rows however the page is cut', async () => {
    const res = await call(
      'GET',
      'eol_salesinvoices?$select=eol_name&$count=true&$filter=eol_invoicenumber ge 1002',
      undefined,
      { Prefer: 'odata.maxpagesize=1' },
    );
    expect(res.json).toMatchObject({ '@odata.count': 2, value: [{ eol_name: expect.any(String) }] });
    expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=1');
    expect(res.json!['@odata.nextLink']).toMatch(/\$skiptoken=/);
    const next = await fetch(res.json!['@odata.nextLink'] as string, {
      headers: { Authorization: `Bearer ${token}`, Prefer: 'odata.maxpagesize=1' },
    });
    expect(((await next.json()) as { value: unknown[] }).value).toHaveLength(1);
  });

  test('when $orderby names a column, then rows come in that order', async () => {
    const res = await call('GET', 'eol_salesinvoices?$select=eol_name&$orderby=eol_invoicenumber desc');
    expect(res.json!.value.map((r: { eol_name: string }) => r.eol_name)).toEqual(['F3', 'F2', 'F1']);
  });

  test('when formatted values are preferred, then choices, yes/no, dates, numbers and lookups carry their labels and the preference is applied', async () => {
    const res = await call(
      'GET',
      `eol_salesinvoices(${INV(2)})?$select=eol_dispatchstatus,eol_autodispatch,eol_invoicedate,eol_invoicenumber,_eol_administrationid_value`,
      undefined,
      {
        Prefer: 'odata.include-annotations="*"',
      },
    );
    expect(res.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
    expect(res.json).toMatchObject({
      'eol_dispatchstatus@OData.Community.Display.V1.FormattedValue': 'Scheduled',
      'eol_autodispatch@OData.Community.Display.V1.FormattedValue': 'No',
      'eol_invoicedate@OData.Community.Display.V1.FormattedValue': '5/2/2026',
      'eol_invoicenumber@OData.Community.Display.V1.FormattedValue': '1,002',
      '_eol_administrationid_value@OData.Community.Display.V1.FormattedValue': 'Bakkerij BV',
      '_eol_administrationid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'eol_administration',
      '_eol_administrationid_value@Microsoft.Dynamics.CRM.associatednavigationproperty':
        'eol_administrationid',
    });
    const plain = await call('GET', `eol_salesinvoices(${INV(2)})?$select=eol_dispatchstatus`);
    expect(Object.keys(plain.json!).filter((k) => k.includes('FormattedValue'))).toEqual([]);
  });

  test('when If-Match holds an old ETag, then 412 0x80060882 and the row is unchanged; the current ETag is accepted', async () => {
    const etag = String(sb.row('eol_salesinvoices', INV(1))!['@odata.etag']);
    expect(
      (await call('PATCH', `eol_salesinvoices(${INV(1)})`, { eol_resend: true }, { 'If-Match': etag }))
        .status,
    ).toBe(204);
    expect(
      await call('PATCH', `eol_salesinvoices(${INV(1)})`, { eol_resend: false }, { 'If-Match': etag }),
    ).toMatchObject(
      refused(
        412,
        '0x80060882',
        "The version of the existing record doesn't match the RowVersion property provided.",
      ),
    );
    expect(sb.row('eol_salesinvoices', INV(1))).toMatchObject({ eol_resend: true });
  });

  test('when $metadata is read, then a CSDL document declares the held tables, their keys, typed columns, lookups and entity sets', async () => {
    const res = await call('GET', '$metadata');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.text).toContain(
      '<EntityType Name="eol_salesinvoice" BaseType="mscrm.crmbaseentity"><Key><PropertyRef Name="eol_salesinvoiceid" /></Key>',
    );
    expect(res.text).toContain('<Property Name="eol_invoicedate" Type="Edm.Date" />');
    expect(res.text).toContain('<Property Name="_eol_administrationid_value" Type="Edm.Guid" />');
    expect(res.text).toContain(
      '<NavigationProperty Name="eol_administrationid" Type="mscrm.eol_administration" />',
    );
    expect(res.text).toContain(
      '<NavigationPropertyBinding Path="eol_administrationid" Target="eol_administrations" /><NavigationPropertyBinding Path="eol_relationid" Target="eol_relations" /><NavigationPropertyBinding Path="eol_emailid" Target="emails" /></EntitySet>',
    );
    expect(res.text).toContain(
      '<EntitySet Name="organizations" EntityType="Microsoft.Dynamics.CRM.organization">',
    );
  });
});
