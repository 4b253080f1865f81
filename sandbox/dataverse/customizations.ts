/**
 * The customization side of the sandbox: the component rows (forms, views, apps, site maps, commands,
 * roles, publishers, solutions) and views run against the data rows — `GET <entity set>?savedQuery=<id>`
 * and `GET <entity set>?fetchXml=<url-encoded FetchXml>` (webapi/use-fetchxml-web-api.md,
 * webapi/retrieve-and-execute-predefined-queries.md).
 */
import { tableView, type TableView } from './columns';
import { ComponentRows } from './componentRows';
import { annotationsPreferred } from './annotations';
import { pagingCookie, parseFetch, runFetch } from './fetchXml';
import type { MetadataStore } from './metadataStore';
import { entityBySet, ERR, type Row } from './model';
import type { Store } from './store';
import type { ApiRequest, ApiResponse } from './webapi';

const MORE = 'Microsoft.Dynamics.CRM.morerecords';
const COOKIE = 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie';

export class CustomizationSandbox {
  readonly components: ComponentRows;

  constructor(
    private readonly store: Store,
    private readonly metadata: () => MetadataStore,
    private readonly base: () => string,
    businessUnitId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.components = new ComponentRows(metadata, (l) => this.viewOf(l), businessUnitId);
  }

  reset(): void {
    this.components.reset();
  }

  handle(req: ApiRequest): ApiResponse | null {
    const path = decodeURIComponent(req.path);
    const out = this.components.handle(req, path, this.base());
    if (out) return out;
    const q = req.query;
    if (req.method !== 'GET' || (q.savedQuery === undefined && q.fetchXml === undefined)) return null;
    const def = /^\w+$/.test(path) ? entityBySet(path) : undefined;
    const view = def ? tableView(this.metadata(), def.set) : undefined;
    if (!def || !view) return null;
    const fetchxml = q.savedQuery !== undefined ? this.savedQuery(q.savedQuery, view) : q.fetchXml!;
    const rows = [...this.store.table(def.set).values()];
    const query = parseFetch(fetchxml);
    const page = runFetch(query, view, rows, def.key, this.now());
    const value = page.rows.map((r) => ({
      '@odata.etag': `W/"${String(rows.find((x) => x[def.key] === r[def.key])?.versionnumber ?? 0)}"`,
      ...r,
    }));
    // The paging annotations come when asked for (Prefer: odata.include-annotations), the cookie only
    // while more rows follow — which is how a client (dynamics-web-api's fetchAll) knows to ask again.
    const wanted = annotationsPreferred(req.headers.prefer);
    const annotations: Record<string, unknown> = {};
    if (query.paging && wanted?.wants(MORE)) annotations[`@${MORE}`] = page.more;
    if (query.paging && page.more && wanted?.wants(COOKIE))
      annotations[`@${COOKIE}`] = pagingCookie(query.paging.page, def.key, page.rows);
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/json; odata.metadata=minimal',
        'OData-Version': '4.0',
        ...(wanted ? { 'Preference-Applied': wanted.applied } : {}),
      },
      body: { '@odata.context': `${this.base()}$metadata#${def.set}`, ...annotations, value },
    };
  }

  private savedQuery(id: string, view: TableView): string {
    const key = id.replace(/[{}]/g, '').toLowerCase();
    const row = this.components.rows('savedqueries').find((r: Row) => r.savedqueryid === key);
    if (!row) throw ERR.notFound('savedquery', key);
    if (row.returnedtypecode !== view.logical)
      throw ERR.badRequest(
        `The view ${key} is a view of ${String(row.returnedtypecode)}, not of ${view.logical}.`,
      );
    return String(row.fetchxml);
  }

  private viewOf(logical: string): TableView | undefined {
    const entry = [...this.metadata().entities.values()].find((e) => e.meta.LogicalName === logical);
    return entry ? tableView(this.metadata(), String(entry.meta.EntitySetName)) : undefined;
  }
}
