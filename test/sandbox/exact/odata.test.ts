import type { AxiosInstance } from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { ACC, DIV, INV, OTHER_DIV, client, invoiceId, seed } from './fixture';

/** Exact's OData v2 as clients meet it: typed comparisons, ordering, counts, $top, divisions, lines, dates. */
let sb: ExactSandbox;
let api: AxiosInstance;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(5) });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  api = client(sb, (await sb.authorize()).accessToken);
});

const SI = `/api/v1/${DIV}/salesinvoice/SalesInvoices`;
const exactError = (value: string) => ({ error: { code: '', message: { lang: '', value } } });
const NULLABLE_GUID =
  'System.Nullable`1[[System.Guid, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089]]';

describe('typed $filter comparisons', () => {
  test('when a GUID column is compared with a quoted string, then 400 "Operator \'eq\' incompatible with operand types …" (picqer#52), not 0 rows', async () => {
    const res = await api.get(`${SI}?$select=InvoiceID&$filter=InvoiceTo eq '${ACC.email}'`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual(
      exactError(
        `Operator 'eq' incompatible with operand types '${NULLABLE_GUID}' and 'System.String' at position 10.`,
      ),
    );
  });

  test('when the key is compared with a quoted string, then the same refusal names System.Guid', async () => {
    const res = await api.get(`${SI}?$select=InvoiceID&$filter=InvoiceID eq '${invoiceId(1)}'`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual(
      exactError(
        "Operator 'eq' incompatible with operand types 'System.Guid' and 'System.String' at position 10.",
      ),
    );
  });

  test('when a GUID is written bare (without guid\'…\'), then 400 "Syntax error at position …"', async () => {
    const res = await api.get(`${SI}?$select=InvoiceID&$filter=InvoiceID eq ${invoiceId(1)}`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual(exactError('Syntax error at position 21.'));
  });

  test("when a number column is compared with a quoted number (Status eq '20'), then 400 naming System.Int16 and System.String", async () => {
    const res = await api.get(`${SI}?$select=InvoiceID&$filter=Status eq '20'`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual(
      exactError(
        "Operator 'eq' incompatible with operand types 'System.Int16' and 'System.String' at position 7.",
      ),
    );
  });

  test("when the comparisons are typed (guid'…', a number), then the rows match", async () => {
    const res = await api.get(
      `${SI}?$select=InvoiceID&$filter=InvoiceTo eq guid'${ACC.email.toUpperCase()}' and Status eq 20`,
    );
    expect(res.status).toBe(200);
    expect(res.data.d.results.map((r: { InvoiceID: string }) => r.InvoiceID)).toEqual(
      [1, 2, 3, 4, 5].map(invoiceId),
    );
  });
});

describe('ordering, counting and $top', () => {
  test('when $orderby names fields with directions, then rows come in that order (key order breaks ties)', async () => {
    const res = await api.get(`${SI}?$select=InvoiceID,InvoiceDate,Status&$orderby=Status desc,InvoiceDate`);
    const ids = res.data.d.results.map((r: { InvoiceID: string }) => r.InvoiceID);
    expect(ids[0]).toBe(INV.processed);
    expect(ids.at(-1)).toBe(INV.draft);
    expect(ids.slice(1, -1)).toEqual([...[1, 2, 3, 4, 5].map(invoiceId), INV.peppol, INV.postbox, INV.bare]);
  });

  test('when $orderby names an unknown field, then 400 "No property … exists in type …"', async () => {
    const res = await api.get(`${SI}?$select=InvoiceID&$orderby=Colour`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual(
      exactError("No property 'Colour' exists in type 'Exact.Web.Api.Models.SalesInvoice'"),
    );
  });

  test('when $inlinecount=allpages, then d.__count holds the count of all matching rows as a string', async () => {
    const res = await api.get(`${SI}?$select=InvoiceID&$filter=Status eq 20&$inlinecount=allpages`);
    expect(res.data.d.__count).toBe('8');
    expect(res.data.d.results).toHaveLength(8);
  });

  test("when $top is given, then d is a bare array, as picqer's findId() reads it ($records[0][primaryKey])", async () => {
    const res = await api.get(
      `${SI}?$select=InvoiceID&$filter=InvoiceID eq guid'${INV.bare}'&$top=1&$orderby=InvoiceID`,
    );
    expect(res.data).toEqual({ d: [expect.objectContaining({ InvoiceID: INV.bare })] });
  });
});

describe('divisions, lines and dates', () => {
  test('when system/Divisions is read, then every division the user granted comes back; hrm/Divisions answers the division in the URL', async () => {
    const system = await api.get(`/api/v1/${DIV}/system/Divisions?$select=Code,Current`);
    expect(system.data.d.results).toEqual([
      expect.objectContaining({ Code: DIV, Current: true }),
      expect.objectContaining({ Code: OTHER_DIV, Current: false }),
    ]);
    const hrm = await api.get(`/api/v1/${OTHER_DIV}/hrm/Divisions?$select=Code,Description`);
    expect(hrm.data.d.results).toEqual([
      {
        __metadata: expect.objectContaining({ type: 'Exact.Web.Api.Models.HRM.Division' }),
        Code: OTHER_DIV,
        Description: 'Zuster BV',
      },
    ]);
  });

  test('when an invoice is read, then SalesInvoiceLines is deferred; with $expand the lines come inline, and the navigation path lists them', async () => {
    const created = await api.post(SI, {
      OrderedBy: ACC.email,
      Journal: '70',
      SalesInvoiceLines: [
        { Description: 'Brood', Quantity: 2, UnitPrice: 3.5 },
        { Description: 'Taart', AmountFC: 12 },
      ],
    });
    expect(created.status).toBe(201);
    const id = created.data.d.InvoiceID as string;
    const plain = await api.get(`${SI}(guid'${id}')`);
    expect(plain.data.d.SalesInvoiceLines).toEqual({
      __deferred: {
        uri: `${sb.url}/api/v1/${DIV}/salesinvoice/SalesInvoices(guid'${id}')/SalesInvoiceLines`,
      },
    });
    const expanded = await api.get(`${SI}?$filter=InvoiceID eq guid'${id}'&$expand=SalesInvoiceLines`);
    expect(expanded.data.d.results[0].SalesInvoiceLines.results).toEqual([
      expect.objectContaining({
        InvoiceID: id,
        LineNumber: 1,
        Description: 'Brood',
        Quantity: 2,
        AmountFC: 7,
      }),
      expect.objectContaining({ InvoiceID: id, LineNumber: 2, Description: 'Taart', AmountFC: 12 }),
    ]);
    const nav = await api.get(`${SI}(guid'${id}')/SalesInvoiceLines?$select=Description&$orderby=LineNumber`);
    expect(nav.data.d.results.map((l: { Description: string }) => l.Description)).toEqual(['Brood', 'Taart']);
    const all = await api.get(
      `/api/v1/${DIV}/salesinvoice/SalesInvoiceLines?$select=ID&$filter=InvoiceID eq guid'${id}'`,
    );
    expect(all.data.d.results).toHaveLength(2);
  });

  test('when any answer carries a date (invoices, Me, a print), then it is /Date(ms)/', async () => {
    const isoLike = /\d{4}-\d{2}-\d{2}T/;
    const invoices = await api.get(`${SI}?$select=InvoiceID,InvoiceDate,DueDate,Created,Modified`);
    for (const r of invoices.data.d.results)
      for (const f of ['InvoiceDate', 'DueDate', 'Created', 'Modified'])
        expect(r[f]).toMatch(/^\/Date\(\d+\)\/$/);
    const me = await api.get('/api/v1/current/Me?$select=ServerTime');
    expect(me.data.d.results[0].ServerTime).toMatch(/^\/Date\(\d+\)\/$/);
    const printed = await api.post(`/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`, {
      InvoiceID: invoiceId(1),
      InvoiceDate: '2025-03-05T00:00:00',
      SendEmailToCustomer: true,
    });
    expect(printed.status).toBe(201);
    expect(printed.data.d.InvoiceDate).toBe(`/Date(${Date.UTC(2025, 2, 5)})/`);
    expect(JSON.stringify([invoices.data, me.data, printed.data])).not.toMatch(isoLike);
  });

  test('when Accept does not ask for JSON, then the answer is Atom XML (data) or the OData error element, not JSON', async () => {
    const xml = await api.get(`${SI}?$select=InvoiceID,Status&$filter=InvoiceID eq guid'${invoiceId(1)}'`, {
      headers: { Accept: '*/*' },
      responseType: 'text',
    });
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toBe('application/atom+xml;type=feed;charset=utf-8');
    expect(xml.data).toContain(
      `<m:properties><d:InvoiceID>${invoiceId(1)}</d:InvoiceID><d:Status>20</d:Status></m:properties>`,
    );
    const err = await api.get(`${SI}?$select=Nope`, {
      headers: { Accept: 'application/xml' },
      responseType: 'text',
    });
    expect(err.status).toBe(400);
    expect(err.data).toContain(
      `<message xml:lang="">No property 'Nope' exists in type 'Exact.Web.Api.Models.SalesInvoice'</message>`,
    );
  });
});
