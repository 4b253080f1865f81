/** REST resources under `/api/v1/…`, after authentication and limits (see server.ts). */
import { HttpError, type Reply, json } from './http';
import { divisionSet, invoiceSet, layoutSet, meSet } from './entities';
import { accountSet, contactSet, generalLayoutSet } from './accountSets';
import { syncAccounts, updateAccount } from './accounts';
import { nextLink, page, queryOf, toWire } from './odata';
import { createInvoice } from './invoices';
import { print } from './print';
import { mailMessageSet, postboxMessagesOf } from './evidence';
import { documentsResource } from './documents';
import type { ApiContext } from './context';
import { lineSet, linesOf, withLines } from './lines';
import type { Division } from './store';

export type { ApiContext } from './context';

const PAGE = 60;
const BULK_PAGE = 1000;

export function handleMe(ctx: ApiContext): Reply {
  const set = meSet(ctx.base, ctx.store, ctx.now);
  if (ctx.method !== 'GET') throw new HttpError(405, 'Method not allowed');
  return json(
    200,
    page(set, [ctx.user], queryOf(ctx.query), PAGE, nextLink(ctx.base, ctx.pathname, ctx.query)),
  );
}

/** `resource` is the path after `/api/v1/{division}/`, e.g. `salesinvoice/SalesInvoices(guid'…')`. */
export function handleDivisionResource(
  ctx: ApiContext,
  div: Division,
  resource: string,
): Reply | Promise<Reply> {
  const keyMatch = /^(.*)\(guid'([^']+)'\)(\/SalesInvoiceLines)?$/i.exec(resource);
  const collection = (keyMatch?.[1] ?? resource).toLowerCase();
  const key = keyMatch?.[2]?.toLowerCase();
  const q = queryOf(ctx.query);
  const next = nextLink(ctx.base, ctx.pathname, ctx.query);
  const list = <T>(
    set: Parameters<typeof page<T>>[0],
    items: T[],
    size = PAGE,
    expand?: (item: T, wire: Record<string, unknown>) => void,
  ): Reply => {
    if (ctx.method !== 'GET') throw new HttpError(405, 'Method not allowed');
    if (key === undefined) return json(200, page(set, items, q, size, next, expand));
    const item = items.find((i) => String(set.fields(i)[set.key]).toLowerCase() === key);
    if (!item) throw new HttpError(404, 'Not found');
    const select = q.select ? q.select.split(',').map((s) => s.trim()) : null;
    const sample = set.fields(set.sample);
    for (const n of select ?? [])
      if (!(n in sample) && !set.navigations?.includes(n))
        throw new HttpError(400, `No property '${n}' exists in type '${set.type}'`);
    const wire = toWire(set, item, select && select.filter((n) => !set.navigations?.includes(n)));
    expand?.(item, wire);
    return json(200, { d: wire });
  };

  switch (collection) {
    case 'system/divisions':
    case 'system/alldivisions': {
      const mine = [...ctx.store.divisions.values()].filter((d) => ctx.store.canAccess(ctx.user, d.division));
      return list(divisionSet(ctx.base, ctx.store, div.division, 'system'), mine);
    }
    // hrm/Divisions depends on the division in the URL (PQ#229): it answers that division only [choice].
    case 'hrm/divisions':
      return list(divisionSet(ctx.base, ctx.store, div.division, 'hrm'), [div]);
    case 'salesinvoice/salesinvoicelines':
      return list(lineSet(ctx.base, div), [...div.invoices.values()].flatMap(linesOf));
    case 'crm/accounts':
      if (ctx.method === 'PUT' && key !== undefined) return updateAccount(ctx, div, key);
      return list(accountSet(ctx.base, div), [...div.accounts.values()]);
    case 'sync/crm/accounts':
      if (key !== undefined) throw new HttpError(404, `Resource not found: ${resource}`);
      return syncAccounts(ctx, div);
    case 'crm/contacts':
      return list(contactSet(ctx.base, div), [...div.contacts.values()]);
    case 'salesinvoice/layouts':
      return list(layoutSet(ctx.base, div), [...div.layouts.values()]);
    case 'general/layouts':
      return list(generalLayoutSet(ctx.base, div), [...div.layouts.values()]);
    case 'salesinvoice/salesinvoices':
      if (ctx.method === 'POST' && key === undefined) return createInvoice(ctx, div);
      if (keyMatch?.[3] && key !== undefined) {
        const invoice = div.invoices.get(key);
        if (!invoice) throw new HttpError(404, 'Not found');
        return json(200, page(lineSet(ctx.base, div), linesOf(invoice), q, PAGE, next));
      }
      return list(
        invoiceSet(ctx.base, div, false),
        [...div.invoices.values()],
        PAGE,
        navigation(ctx, div, q),
      );
    case 'bulk/salesinvoice/salesinvoices':
      if (!q.select && q.top !== '1')
        throw new HttpError(400, 'Please add a $select or a $top=1 statement to the query string.');
      return list(invoiceSet(ctx.base, div, true), [...div.invoices.values()], BULK_PAGE);
    case 'documents/documents':
    case 'documents/documentattachments': {
      const req = { base: ctx.base, method: ctx.method, key, q, next };
      return documentsResource(ctx.store, ctx.scopes, req, div, collection, PAGE).then((b) => json(200, b));
    }
    case 'mailbox/mailmessagessent':
      return list(mailMessageSet(ctx.base, div), postboxMessagesOf(ctx.store.outbox, div));
    case 'webhooks/webhooksubscriptions':
      return ctx.webhooks.resource(ctx, div.division, key);
    case 'salesinvoice/printedsalesinvoices':
      if (ctx.method !== 'POST' || key !== undefined) throw new HttpError(405, 'Method not allowed');
      return print(ctx, div);
    default:
      throw new HttpError(404, `Resource not found: ${resource}`);
  }
}

/** The SalesInvoiceLines navigation, present when no `$select` is given (or it names it). */
function navigation(ctx: ApiContext, div: Division, q: ReturnType<typeof queryOf>) {
  const add = withLines(ctx.base, div, q.expand, 'Exact.Web.Api.Models.SalesInvoice');
  const selected =
    q.select === undefined || q.select.split(',').some((s) => s.trim() === 'SalesInvoiceLines');
  return selected ? add : undefined;
}
