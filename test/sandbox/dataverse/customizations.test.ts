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

describe('FetchXml paging', () => {
  const ids = [1, 2, 3, 4, 5].map((n) => `c1000000-0000-4000-8000-00000000000${n}`);
  const paged = (attrs: string) => needsAction.fetchxml.replace('<fetch ', `<fetch ${attrs} `);
  const prefer = { prefer: 'odata.include-annotations="*"' };
  beforeAll(() => {
    sb.reset();
    // Five failed invoices, dated so "Needs action" (newest invoice date first) orders them 5, 4, 3, 2, 1.
    sb.seed({
      eol_salesinvoices: ids.map((id, i) => ({ ...row(id, 6), eol_invoicedate: `2026-05-0${i + 1}` })),
    });
  });
  const page = (attrs: string, headers: Record<string, string> = prefer) => {
    const res = sb.customizations.handle({
      method: 'GET',
      path: 'eol_salesinvoices',
      query: { fetchXml: paged(attrs) },
      headers,
      body: undefined,
    })!;
    const body = res.body as Record<string, unknown> & { value: Array<{ eol_salesinvoiceid: string }> };
    return {
      ids: body.value.map((r) => r.eol_salesinvoiceid),
      more: body['@Microsoft.Dynamics.CRM.morerecords'],
      cookie: body['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'] as string | undefined,
    };
  };

  test('when a view is fetched with count and page, then each page holds its rows in order, says whether more follow, and carries a cookie only while they do', () => {
    const newestFirst = [...ids].reverse();
    const first = page('count="2" page="1"');
    expect(first).toMatchObject({ ids: newestFirst.slice(0, 2), more: true });
    const cookie = decodeURIComponent(decodeURIComponent(/pagingcookie="([^"]+)"/.exec(first.cookie!)![1]!));
    expect(cookie).toBe(
      `<cookie page="1"><eol_salesinvoiceid last="{${newestFirst[1]!.toUpperCase()}}" first="{${newestFirst[0]!.toUpperCase()}}" /></cookie>`,
    );
    expect(first.cookie).toMatch(/^<cookie pagenumber="2" /);
    expect(page('count="2" page="2"')).toMatchObject({ ids: newestFirst.slice(2, 4), more: true });
    expect(page('count="2" page="3"')).toEqual({ ids: newestFirst.slice(4), more: false, cookie: undefined });
    expect(page('count="2" page="4"')).toEqual({ ids: [], more: false, cookie: undefined });
    // Without the Prefer header: the rows, no annotations.
    expect(page('count="2" page="1"', {})).toEqual({
      ids: newestFirst.slice(0, 2),
      more: undefined,
      cookie: undefined,
    });
  });

  test('when paging attributes are malformed or combined with top, then the FetchXml is refused', () => {
    const status = (attrs: string) => {
      try {
        page(attrs);
        return 200;
      } catch (err) {
        return (err as { status: number }).status;
      }
    };
    expect(status('top="2" page="1"')).toBe(400);
    expect(status('count="0"')).toBe(400);
    expect(status('page="x"')).toBe(400);
    expect(status('page="2" paging-cookie="not a cookie"')).toBe(400);
  });

  test('when dynamics-web-api pages through a view with fetchAll over HTTP, then it gets every row exactly once, in order, in as many requests as pages', async () => {
    delete process.env.http_proxy;
    delete process.env.https_proxy;
    const client = new DataverseClient({
      serverUrl: sb.url,
      authority: sb.authority,
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'sandbox-client-secret',
      extraCaPem: sb.caCertPem,
    });
    const before = sb.requests().length;
    const out = await client.run(
      'run view',
      (api) =>
        api.fetchAll({
          collection: 'eol_salesinvoices',
          fetchXml: paged('count="2"'),
          includeAnnotations: 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie',
        }),
      { idempotent: true },
    );
    const got = (out as { value: Array<{ eol_salesinvoiceid: string }> }).value.map(
      (r) => r.eol_salesinvoiceid,
    );
    expect(got).toEqual([...ids].reverse());
    const pages = sb
      .requests()
      .slice(before)
      .filter((r) => r.path.endsWith('/eol_salesinvoices'));
    expect(pages).toHaveLength(3);
    // Pages 2 and 3 send the cookie of the page before, as Dataverse expects.
    expect(pages.map((r) => /page="(\d+)"/.exec(r.query.fetchXml!)?.[1])).toEqual(['1', '2', '3']);
    expect(pages.slice(1).every((r) => r.query.fetchXml!.includes('paging-cookie="&lt;cookie page='))).toBe(
      true,
    );
  });
});
