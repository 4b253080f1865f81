import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { ACC, DIV, INV, client, invoiceId, seed } from './fixture';
import type { AxiosInstance } from 'axios';

let sb: ExactSandbox;
let api: AxiosInstance;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(125) });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  api = client(sb, (await sb.authorize()).accessToken);
});

const SI = `/api/v1/${DIV}/salesinvoice/SalesInvoices`;

async function followAll(first: string): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let url: string | undefined = first;
  while (url) {
    const res: { status: number; data: { d: { results: Array<{ InvoiceID: string }>; __next?: string } } } =
      await api.get(url);
    expect(res.status).toBe(200);
    pages.push(res.data.d.results.length);
    ids.push(...res.data.d.results.map((r) => r.InvoiceID));
    url = res.data.d.__next;
  }
  return { ids, pages };
}

describe('Exact sandbox SalesInvoices', () => {
  test('when listing open invoices, then pages of 60 follow each other through an absolute __next with $skiptoken', async () => {
    const first = await api.get(`${SI}?$filter=Status eq 20&$select=InvoiceID,Status,InvoiceDate`);
    expect(first.data.d.__next).toMatch(
      new RegExp(`^${sb.url}/api/v1/${DIV}/salesinvoice/SalesInvoices\\?.*\\$skiptoken=guid'`),
    );
    expect(first.data.d.results[0]).toEqual({
      __metadata: expect.objectContaining({ type: 'Exact.Web.Api.Models.SalesInvoice' }),
      InvoiceID: invoiceId(1),
      Status: 20,
      InvoiceDate: `/Date(${Date.parse('2025-03-01T00:00:00Z')})/`,
    });
    const { ids, pages } = await followAll(`${SI}?$filter=Status eq 20&$select=InvoiceID`);
    expect(pages).toEqual([60, 60, 8]);
    expect(new Set(ids).size).toBe(128);
  });

  test('when several InvoiceIDs are combined with or, then exactly those come back in one call', async () => {
    const wanted = [invoiceId(3), INV.processed, invoiceId(77)];
    const filter = wanted.map((id) => `InvoiceID eq guid'${id.toUpperCase()}'`).join(' or ');
    const res = await api.get(SI, { params: { $filter: filter, $select: 'InvoiceID,Status,InvoiceNumber' } });
    expect(res.status).toBe(200);
    expect(res.data.d.results.map((r: { InvoiceID: string }) => r.InvoiceID).sort()).toEqual(
      [...wanted].sort(),
    );
    expect(
      res.data.d.results.find((r: { InvoiceID: string }) => r.InvoiceID === INV.processed).InvoiceNumber,
    ).toBe(25000007);
  });

  test('when and/or are combined with parentheses, then the filter narrows as OData says', async () => {
    const filter = `Status eq 20 and (InvoiceTo eq guid'${ACC.peppol}' or InvoiceTo eq guid'${ACC.postbox}')`;
    const res = await api.get(SI, { params: { $filter: filter, $select: 'InvoiceID' } });
    expect(res.data.d.results.map((r: { InvoiceID: string }) => r.InvoiceID)).toEqual([
      INV.peppol,
      INV.postbox,
    ]);
  });

  test('when one invoice is read by key, then d holds the entity itself', async () => {
    const res = await api.get(`${SI}(guid'${INV.processed}')?$select=Status,InvoiceNumber`);
    expect(res.status).toBe(200);
    expect(res.data.d).toMatchObject({ Status: 50, InvoiceNumber: 25000007 });
    expect((await api.get(`${SI}(guid'${invoiceId(999)}')`)).status).toBe(404);
  });

  test("when $top is given, then d is the bare array of rows (what picqer's find() reads as $records[0]) and no __next follows", async () => {
    const res = await api.get(`${SI}?$select=InvoiceID&$top=5`);
    expect(Array.isArray(res.data.d)).toBe(true);
    expect(res.data.d.map((r: { InvoiceID: string }) => r.InvoiceID)).toEqual([1, 2, 3, 4, 5].map(invoiceId));
    const one = await api.get(`${SI}?$filter=InvoiceID eq guid'${invoiceId(3)}'&$top=1`);
    expect(one.data.d[0]).toMatchObject({ InvoiceID: invoiceId(3) });
  });

  test("when the bulk endpoint is called without $select, then 400 with Exact's text", async () => {
    const res = await api.get(`/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices?$filter=Status eq 20`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      error: {
        code: '',
        message: { lang: '', value: 'Please add a $select or a $top=1 statement to the query string.' },
      },
    });
  });

  test('when the bulk endpoint gets $select, then up to 1000 rows come per page', async () => {
    sb.seed(seed(1500));
    const { pages } = await followAll(
      `/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices?$select=InvoiceID&$filter=Status eq 20`,
    );
    expect(pages).toEqual([1000, 503]);
  });

  test('when an unknown property is selected, then 400', async () => {
    expect((await api.get(`${SI}?$select=Nope`)).status).toBe(400);
  });

  test('when a concept invoice is posted, then it is open (20) without a number', async () => {
    const res = await api.post(SI, {
      OrderedBy: ACC.email,
      Journal: '70',
      InvoiceDate: '2025-04-01',
      SalesInvoiceLines: [{ Item: 'x', Quantity: 2, UnitPrice: 10 }],
    });
    expect(res.status).toBe(201);
    expect(res.data.d).toMatchObject({ Status: 20, InvoiceNumber: null, InvoiceTo: ACC.email, AmountDC: 20 });
    expect(sb.invoice(DIV, res.data.d.InvoiceID)?.Status).toBe(20);
  });

  test.each([
    [{ Journal: '70', SalesInvoiceLines: [{}] }, 'Mandatory: Ordered by'],
    [{ OrderedBy: ACC.email, SalesInvoiceLines: [{}] }, 'Mandatory: Journal'],
    [{ OrderedBy: ACC.email, Journal: '70' }, 'Mandatory: Sales invoice lines'],
    [{ OrderedBy: ACC.prospect, Journal: '70', SalesInvoiceLines: [{}] }, 'Invalid: Ordered by (Type)'],
  ])('when a concept invoice lacks what Exact requires (%j), then 500 "%s"', async (body, text) => {
    const res = await api.post(SI, body);
    expect(res.status).toBe(500);
    expect(res.data.error.message.value).toBe(text);
  });
});
