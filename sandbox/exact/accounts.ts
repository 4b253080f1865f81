/**
 * Account writes and the accounts sync (decision 0071):
 * - `GET sync/CRM/Accounts`: Exact's texts (PS `Sync/CRM/Accounts.php`): Timestamp is "a rowversion value",
 *   "only the timestamp field is allowed as parameter"; `$select` is mandatory (AB `streams.py`: "The sync
 *   endpoints requires selection of fields"; `sync/CRM/Contacts` "does not support … $select=*"); 1000 a
 *   page (AB, PS `PAGE_SIZE_SYNC_AND_BULK`), in Timestamp order, `__next` whenever a page is full.
 * - `PUT crm/Accounts(guid'…')`: 204 with no body (reference §3), only the fields sent change; read-only
 *   fields (PS: `Modified`, `IsSales`, `Created`; the key) are refused. An accepted PUT raises the Accounts
 *   Update webhook (webhooks.ts) [choice: also one that changed no value].
 */
import { HttpError, type Reply, json, parseJsonBody } from './http';
import { accountSet, syncAccountSet } from './accountSets';
import { selected, toWire } from './odata';
import type { ApiContext } from './context';
import { guid, touch, type Division } from './store';
import type { SandboxAccount } from './types';

const SYNC_PAGE = 1000;
const TIMESTAMP_FILTER = /^\s*Timestamp\s+(gt|ge)\s+(\d+)L?\s*$/i;

/** [choice] The texts of the sync refusals (Exact's are undocumented); the bulk text where one fits. */
export function syncAccounts(ctx: ApiContext, div: Division): Reply {
  if (ctx.method !== 'GET') throw new HttpError(405, 'Method not allowed');
  const q = ctx.query;
  const select = q.$select?.trim();
  if (!select) throw new HttpError(400, 'Please add a $select or a $top=1 statement to the query string.');
  if (select === '*') throw new HttpError(400, 'The $select=* option is not supported for sync endpoints.');
  for (const option of ['$orderby', '$expand', '$skip'])
    if (q[option] !== undefined) throw new HttpError(400, `The query option '${option}' is not supported.`);
  let after = 0n;
  let inclusive = false;
  if (q.$filter !== undefined) {
    const m = TIMESTAMP_FILTER.exec(q.$filter);
    if (!m) throw new HttpError(400, 'Only the Timestamp field is allowed as a filter parameter.');
    after = BigInt(m[2]!);
    inclusive = m[1]!.toLowerCase() === 'ge';
  }
  if (q.$skiptoken !== undefined) {
    if (!/^\d+$/.test(q.$skiptoken)) throw new HttpError(400, `Invalid $skiptoken '${q.$skiptoken}'`);
    after = BigInt(q.$skiptoken);
    inclusive = false;
  }
  const set = syncAccountSet(ctx.base, div);
  const names = selected(set, select, set.fields(set.sample));
  const rows = [...div.accounts.values()]
    .filter((a) => (inclusive ? a.Timestamp >= after : a.Timestamp > after))
    .sort((a, b) => (a.Timestamp < b.Timestamp ? -1 : a.Timestamp > b.Timestamp ? 1 : 0))
    .slice(0, SYNC_PAGE);
  const d: Record<string, unknown> = { results: rows.map((a) => toWire(set, a, names)) };
  const last = rows[rows.length - 1];
  if (last && rows.length === SYNC_PAGE) d.__next = syncNext(ctx, last.Timestamp);
  return json(200, { d });
}

function syncNext(ctx: ApiContext, last: bigint): string {
  const params = { ...ctx.query, $skiptoken: last.toString() };
  const qs = Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`)
    .join('&');
  return `${ctx.base}${ctx.pathname}?${qs}`;
}

/** Fields a PUT may not name (PS marks them GET only; the key cannot change). */
const READ_ONLY = new Set(['ID', 'Created', 'Modified', 'IsSales', 'Division', 'Timestamp']);
const TEXT = ['Email', 'PeppolIdentifier', 'ChamberOfCommerce', 'VATNumber', 'OINNumber', 'Language'];
const METHODS = new Set([1, 2, 4, 8, 32]);

export function updateAccount(ctx: ApiContext, div: Division, key: string): Reply {
  const account = div.accounts.get(key);
  if (!account) throw new HttpError(404, 'Not found');
  const body = parseJsonBody(ctx.rawBody);
  const sample = accountSet(ctx.base, div).fields(account);
  const next: SandboxAccount = { ...account };
  for (const [name, value] of Object.entries(body)) {
    if (name === '__metadata') continue;
    if (READ_ONLY.has(name))
      throw new HttpError(400, `Property '${name}' is read-only and cannot be updated.`);
    if (!(name in sample))
      throw new HttpError(400, `No property '${name}' exists in type 'Exact.Web.Api.Models.Account'`);
    assign(div, next, name, value);
  }
  Object.assign(account, next);
  touch(div, account, ctx.now());
  ctx.store.onAccountChange(div.division, account.ID, 'Update'); // [choice] also when nothing changed
  return { status: 204 };
}

/** One writable field, validated the way Exact validates a write: a 500 with "Invalid: …" (PQ#172). */
function assign(div: Division, a: SandboxAccount, name: string, value: unknown): void {
  const invalid = (): HttpError => new HttpError(500, `Invalid: ${name}`);
  if (TEXT.includes(name)) {
    if (value !== null && typeof value !== 'string') throw invalid();
    (a as unknown as Record<string, unknown>)[name] = value === '' ? null : value; // [choice 21]
  } else if (name === 'Name') {
    if (typeof value !== 'string' || value.trim() === '') throw new HttpError(500, 'Mandatory: Name');
    a.Name = value;
  } else if (name === 'InvoicingMethod') {
    if (value !== null && !(typeof value === 'number' && METHODS.has(value))) throw invalid();
    if (value === 4 && !div.mailbox)
      throw new HttpError(500, 'The Mailbox feature is not part of your licence.');
    if (value === 32 && !div.peppol)
      throw new HttpError(500, 'Peppol is not activated for this administration.');
    a.InvoicingMethod = value;
  } else if (name === 'PeppolIdentifierType') {
    if (value !== null && !Number.isInteger(value)) throw invalid();
    a.PeppolIdentifierType = value as number | null;
  } else if (name === 'InvoiceAccount') {
    if (value !== null && !(typeof value === 'string' && div.accounts.has(guid(value)))) throw invalid();
    a.InvoiceAccount = value === null ? null : guid(value);
  } else if (name === 'MainContact') {
    const contact = typeof value === 'string' ? div.contacts.get(guid(value)) : undefined;
    if (value !== null && contact?.Account !== a.ID) throw invalid();
    a.MainContact = value === null ? null : guid(value as string);
  } else if (name === 'Blocked') {
    if (typeof value !== 'boolean') throw invalid();
    a.Blocked = value;
  } else if (name === 'Status') {
    if (!['A', 'S', 'P', 'C'].includes(value as string)) throw invalid();
    a.Status = value as SandboxAccount['Status'];
  } else throw new HttpError(400, `Property '${name}' cannot be updated.`);
}
