/**
 * The production ExactMasterData (src/app/masterData/ports.ts; decisions 0070, 0071): divisions, layouts,
 * account changes by Timestamp, accounts and contacts by id, and the account write-back. Every call goes
 * through exactRequest (governor, token, error mapping, GET retries), every answer through a zod schema.
 *
 *   const md = createExactMasterData({ baseUrl, connectionId: 'tenant-1', tokens, governor });
 *   const { accounts, cursor, calls } = await md.accountChanges(123456, '1'); // 1 call per 1000 accounts
 *   await md.updateAccount(123456, accountId, { email: 'factuur@klant.nl' });  // PUT, 204
 */
import type { z } from 'zod';
import type { AccountEdit, ExactAccount, ExactContact, ExactMasterData } from '../../app/masterData/ports';
import { createRequestContext, type ExactConnectionOptions } from './context';
import { assertDivisionGranted } from './divisionGuard';
import { ExactServerError, ExactValidationError } from './errors';
import { chunkIds } from './exactClient';
import { readLayouts } from './layouts';
import {
  ACCOUNT_FIELDS,
  AccountRowSchema,
  CONTACT_SELECT,
  ContactRowSchema,
  SyncAccountRowSchema,
} from './masterDataSchemas';
import { peppolFields } from './peppol';
import type { ExactCallStats } from './request';
import { readRows } from './rows';
import { ExactDivisionSchema, ExactMeSchema } from './schemas';
import { putAccount } from './accountWrite';

export interface ExactMasterDataOptions extends ExactConnectionOptions {
  /** Ids per accounts/contacts read; default 60 (one page). */
  maxIdsPerRead?: number;
  /** Longest URL sent; default 7500 characters (see ExactGatewayOptions.maxUrlLength). */
  maxUrlLength?: number;
}

export interface ExactMasterDataClient extends ExactMasterData {
  stats(): ExactCallStats;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const q = encodeURIComponent;
const SYNC_SELECT = ['Timestamp', ...ACCOUNT_FIELDS].join(',');
const ACCOUNT_SELECT = ACCOUNT_FIELDS.join(',');

export function createExactMasterData(opts: ExactMasterDataOptions): ExactMasterDataClient {
  const ctx = createRequestContext(opts);
  const maxIds = opts.maxIdsPerRead ?? 60;
  const maxUrl = opts.maxUrlLength ?? 7500;
  const write500s = new Map<string, number>();

  /** `ID eq guid'…' or …` reads, ≤ maxIds per call; ids Exact does not return are absent. */
  async function byIds<T extends { id: string }>(
    division: number,
    collection: string,
    select: string,
    row: z.ZodType<T>,
    ids: readonly string[],
  ): Promise<Map<string, T>> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    const bad = wanted.find((id) => !GUID.test(id));
    if (bad !== undefined) throw new ExactValidationError(`not an Exact id: ${bad.slice(0, 40)}`, 400);
    const filter = (chunk: string[]) => chunk.map((id) => `ID eq guid'${id}'`).join(' or ');
    const head = `${collection}?$select=${q(select)}&$filter=`;
    const out = new Map<string, T>();
    for (const chunk of chunkIds(wanted, maxIds, maxUrl, `${ctx.baseUrl}/api/v1/${division}/${head}`, filter))
      for await (const item of readRows(ctx, division, head + q(filter(chunk)), row, chunk.length))
        out.set(item.id, item);
    return out;
  }

  /** The division to list divisions from: the consent's first, else the user's current one (one call). */
  async function homeDivision(): Promise<number> {
    const granted = opts.tokens.grantedDivisions
      ? await opts.tokens.grantedDivisions(opts.connectionId)
      : null;
    if (granted?.[0] !== undefined) return granted[0];
    for await (const me of readRows(ctx, null, 'current/Me?$select=CurrentDivision', ExactMeSchema))
      return me.CurrentDivision;
    throw new ExactServerError('current/Me returned no row', 502);
  }

  return {
    async divisions() {
      const home = await homeDivision();
      const out = [];
      for await (const d of readRows(
        ctx,
        home,
        `system/Divisions?$select=${q('Code,Description')}`,
        ExactDivisionSchema,
      ))
        out.push({ division: d.Code, name: d.Description?.trim() || String(d.Code) });
      return out;
    },

    layouts: (division) => readLayouts(ctx, division),

    async accountChanges(division, cursor) {
      if (!/^\d+$/.test(cursor))
        throw new ExactValidationError(`not a Timestamp cursor: ${cursor.slice(0, 40)}`, 400);
      const spent = { pages: 0 };
      const path = `sync/CRM/Accounts?$select=${q(SYNC_SELECT)}&$filter=${q(`Timestamp gt ${cursor}L`)}`;
      const accounts: ExactAccount[] = [];
      let last = BigInt(cursor);
      for await (const { account, timestamp } of readRows(
        ctx,
        division,
        path,
        SyncAccountRowSchema,
        undefined,
        spent,
      )) {
        accounts.push(account);
        if (BigInt(timestamp) > last) last = BigInt(timestamp);
      }
      return { accounts, cursor: last.toString(), calls: spent.pages };
    },

    accounts: (division, ids) => byIds(division, 'crm/Accounts', ACCOUNT_SELECT, AccountRowSchema, ids),

    contacts: (division, ids) =>
      byIds<ExactContact>(division, 'crm/Contacts', CONTACT_SELECT, ContactRowSchema, ids),

    async updateAccount(division, accountId, edit) {
      const id = accountId.toLowerCase();
      if (!GUID.test(id)) throw new ExactValidationError(`not an Exact id: ${id.slice(0, 40)}`, 400);
      const body = accountBody(edit);
      if (Object.keys(body).length === 0) return;
      await assertDivisionGranted(opts.tokens, opts.connectionId, division);
      await putAccount(ctx, write500s, division, id, body);
    },

    stats: () => ({ ...ctx.stats, byStatus: { ...ctx.stats.byStatus } }),
  };
}

/** Only the fields present in the edit (Exact support's advice, picqer/exact-php-client#600). */
export function accountBody(edit: AccountEdit): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (edit.email !== undefined) body.Email = edit.email;
  if (edit.invoicingMethod !== undefined) body.InvoicingMethod = edit.invoicingMethod;
  if (edit.peppolId !== undefined) Object.assign(body, peppolFields(edit.peppolId));
  return body;
}
