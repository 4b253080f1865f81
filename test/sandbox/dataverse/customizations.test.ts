/** The sandbox keeps forms and views as Dataverse does: it refuses what names a missing column and runs views on rows. */
import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import type { ApiRequest } from '../../../sandbox/dataverse/webapi';
import { DataverseClient } from '../../../src/adapters/dataverse/client';
import { buildComponents } from '../../../src/adapters/dataverse/solution/components';

let sb: DataverseSandbox;
beforeAll(async () => {
  sb = await startDataverseSandbox();
});
afterAll(() => sb.close());

const call = (method: string, path: string, body?: unknown, query: Record<string, string> = {}) => {
  const req: ApiRequest = { method, path, query, headers: {}, body };
  try {
    return sb.customizations.handle(req)!;
  } catch (err) {
    return {
      status: (err as { status: number }).status,
      headers: {},
      body: { message: (err as Error).message },
    };
  }
};

const c = buildComponents();
const needsAction = c.views.find((v) => v.key === 'needsaction')!;
const viewBody = (fetchxml: string, layoutxml = needsAction.layoutxml) => ({
  name: 'Needs action',
  returnedtypecode: 'eol_salesinvoice',
  querytype: 0,
  fetchxml,
  layoutxml,
});
const row = (id: string, status: number | null, senton: string | null = null) => ({
  eol_salesinvoiceid: id,
  eol_name: `SO-${id.slice(0, 4)}`,
  eol_dispatchstatus: status,
  eol_senton: senton,
  eol_invoicedate: '2026-05-01',
});

describe('customizations in the Dataverse sandbox', () => {
  test('when a view names a column the table does not have, then it is refused as Dataverse refuses it', () => {
    const res = call(
      'POST',
      'savedqueries',
      viewBody(needsAction.fetchxml.replace('eol_dispatchreason', 'eol_nosuchcolumn')),
    );
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toBe(
      "'eol_salesinvoice' entity doesn't contain attribute with Name = 'eol_nosuchcolumn' and NameMapping = 'Logical'.",
    );
    const layout = call(
      'POST',
      'savedqueries',
      viewBody(needsAction.fetchxml, needsAction.layoutxml.replace('eol_senton', 'eol_sentat')),
    );
    expect(layout.status).toBe(400);
  });

  test('when a form binds a column the table does not have, then it is refused', () => {
    const form = c.forms.find((f) => f.table === 'eol_salesinvoice')!;
    const res = call('POST', 'systemforms', {
      name: 'x',
      objecttypecode: 'eol_salesinvoice',
      type: 2,
      formxml: form.formxml.replace('datafieldname="eol_senton"', 'datafieldname="eol_sentat"'),
    });
    expect(res.status).toBe(400);
    expect(
      call('POST', 'systemforms', {
        name: 'x',
        objecttypecode: 'eol_salesinvoice',
        type: 2,
        formxml: form.formxml,
      }).status,
    ).toBe(204);
  });

  test('when a saved view is run on an entity set, then it returns exactly its rows in its order', () => {
    const ids = [
      'a1000000-0000-4000-8000-000000000001',
      'a1000000-0000-4000-8000-000000000002',
      'a1000000-0000-4000-8000-000000000003',
    ];
    sb.seed({
      eol_salesinvoices: [
        row(ids[0]!, 6),
        row(ids[1]!, 4, new Date().toISOString().replace(/\.\d+Z$/, 'Z')),
        row(ids[2]!, null),
      ],
    });
    expect(
      call('POST', 'savedqueries', { ...viewBody(needsAction.fetchxml), savedqueryid: needsAction.id })
        .status,
    ).toBe(204);
    const res = call('GET', 'eol_salesinvoices', undefined, { savedQuery: needsAction.id });
    expect(res.status).toBe(200);
    expect(
      (res.body as { value: Array<Record<string, unknown>> }).value.map((r) => r.eol_salesinvoiceid),
    ).toEqual([ids[0]]);
    const sent = c.views.find((v) => v.key === 'sent30')!;
    const byFetch = call('GET', 'eol_salesinvoices', undefined, { fetchXml: sent.fetchxml });
    expect(
      (byFetch.body as { value: Array<Record<string, unknown>> }).value.map((r) => r.eol_salesinvoiceid),
    ).toEqual([ids[1]]);
    const old = sent.fetchxml.replace('value="30"', 'value="0"');
    sb.seed({ eol_salesinvoices: [{ eol_salesinvoiceid: ids[1], eol_senton: '2020-01-01T00:00:00Z' }] });
    expect(
      (call('GET', 'eol_salesinvoices', undefined, { fetchXml: old }).body as { value: unknown[] }).value,
    ).toEqual([]);
  });

  test('when the waiting-for-review view asks for status 8 the choice does not hold yet, then it is accepted and returns nothing', () => {
    const review = c.views.find((v) => v.key === 'review')!;
    expect(call('POST', 'savedqueries', viewBody(review.fetchxml, review.layoutxml)).status).toBe(204);
    expect(
      (
        call('GET', 'eol_salesinvoices', undefined, { fetchXml: review.fetchxml }).body as {
          value: unknown[];
        }
      ).value,
    ).toEqual([]);
  });

  test('when a site map names a table the environment does not have, then it is refused', () => {
    const bad = c.sitemap.xml.replace('Entity="eol_relation"', 'Entity="eol_nosuchtable"');
    expect(
      call('POST', 'sitemaps', { sitemapname: 'A', sitemapnameunique: 'eol_A', sitemapxml: bad }).status,
    ).toBe(400);
  });
});

describe('views over the wire', () => {
  test('when dynamics-web-api sends a FetchXml query, then the sandbox answers it over HTTP with the matching rows', async () => {
    delete process.env.http_proxy;
    delete process.env.https_proxy;
    const client = new DataverseClient({
      serverUrl: sb.url,
      authority: sb.authority,
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'sandbox-client-secret',
      extraCaPem: sb.caCertPem,
    });
    const id = 'b1000000-0000-4000-8000-000000000001';
    sb.seed({ eol_salesinvoices: [row(id, 6)] });
    const out = await client.run(
      'run view',
      (api) => api.fetchAll({ collection: 'eol_salesinvoices', fetchXml: needsAction.fetchxml }),
      { idempotent: true },
    );
    const failed = sb
      .rows('eol_salesinvoices')
      .filter((r) => r.eol_dispatchstatus === 6)
      .map((r) => String(r.eol_salesinvoiceid))
      .sort();
    expect(failed).toContain(id);
    const got = (out as { value: Array<{ eol_salesinvoiceid: string }> }).value.map(
      (r) => r.eol_salesinvoiceid,
    );
    expect(got.sort()).toEqual(failed);
  });
});
