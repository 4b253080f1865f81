/** REST resources under `/api/v1/…`, after authentication and limits (see server.ts). */
import { HttpError, type Reply, json } from './http';
import { accountSet, divisionSet, invoiceSet, layoutSet, meSet } from './entities';
import { nextLink, page, queryOf, toWire } from './odata';
import { createInvoice } from './invoices';
import { print } from './print';
import type { Division, Store, User } from './store';

export interface ApiContext {
  store: Store;
  now: () => number;
  base: string;
  user: User;
  method: string;
  pathname: string;
  query: Record<string, string>;
  rawBody: string;
}

const PAGE = 60;
const BULK_PAGE = 1000;

export function handleMe(ctx: ApiContext): Reply {
  const set = meSet(ctx.base, ctx.store, ctx.now);
  if (ctx.method !== 'GET') throw new HttpError(405, 'Method not allowed');
  return json(200, page(set, [ctx.user], queryOf(ctx.query), PAGE, nextLink(ctx.base, ctx.pathname, ctx.query)));
}

/** `resource` is the path after `/api/v1/{division}/`, e.g. `salesinvoice/SalesInvoices(guid'…')`. */
export function handleDivisionResource(ctx: ApiContext, div: Division, resource: string): Reply {
  const keyMatch = /^(.*)\(guid'([^']+)'\)$/i.exec(resource);
  const collection = (keyMatch?.[1] ?? resource).toLowerCase();
  const key = keyMatch?.[2]?.toLowerCase();
  const q = queryOf(ctx.query);
  const next = nextLink(ctx.base, ctx.pathname, ctx.query);
  const list = <T>(set: Parameters<typeof page<T>>[0], items: T[], size = PAGE): Reply => {
    if (ctx.method !== 'GET') throw new HttpError(405, 'Method not allowed');
    if (key === undefined) return json(200, page(set, items, q, size, next));
    const item = items.find((i) => String(set.fields(i)[set.key]).toLowerCase() === key);
    if (!item) throw new HttpError(404, 'Not found');
    const select = q.select ? q.select.split(',').map((s) => s.trim()) : null;
    const sample = set.fields(set.sample);
    for (const n of select ?? [])
      if (!(n in sample)) throw new HttpError(400, `No property '${n}' exists in type '${set.type}'`);
    return json(200, { d: toWire(set, item, select) });
  };

  switch (collection) {
    case 'system/divisions':
    case 'system/alldivisions': {
      const mine = [...ctx.store.divisions.values()].filter((d) => ctx.store.canAccess(ctx.user, d.division));
      return list(divisionSet(ctx.base, ctx.store, div.division), mine);
    }
    case 'crm/accounts':
      return list(accountSet(ctx.base, div), [...div.accounts.values()]);
    case 'salesinvoice/layouts':
      return list(layoutSet(ctx.base, div), [...div.layouts.values()]);
    case 'salesinvoice/salesinvoices':
      if (ctx.method === 'POST' && key === undefined) return createInvoice(ctx, div);
      return list(invoiceSet(ctx.base, div, false), [...div.invoices.values()]);
    case 'bulk/salesinvoice/salesinvoices':
      if (!q.select && q.top !== '1')
        throw new HttpError(400, 'Please add a $select or a $top=1 statement to the query string.');
      return list(invoiceSet(ctx.base, div, true), [...div.invoices.values()], BULK_PAGE);
    case 'salesinvoice/printedsalesinvoices':
      if (ctx.method !== 'POST' || key !== undefined) throw new HttpError(405, 'Method not allowed');
      return print(ctx, div);
    default:
      throw new HttpError(404, `Resource not found: ${resource}`);
  }
}
