/**
 * Issue 14 item 1 and its first acceptance point through the connect callback itself
 * (functions/exactConnect.ts → afterConnect → syncTenant): a tenant whose Dynamics holds no master data yet
 * consents, and its administrations, layouts and relations come from Exact — administrations switched off.
 */
import axios from 'axios';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { exactCallback, exactConnect } from '../../functions/exactConnect';
import type { SyncSummary } from '../../src/app/masterData';
import { accountsCreatedAfterSync, administrations, exactSeed } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';

const env = useLocalStack();
const dv = () => env.stack.dataverse.get('demo')!;
const get = (url: string, cookie?: string) =>
  new HttpRequest({ method: 'GET', url, headers: cookie ? { cookie } : {} });

/** The connect link, Exact's consent (the sandbox consents at once) and the callback, as a browser runs them. */
async function connect(): Promise<{ status?: number; jsonBody?: unknown }> {
  const start = await exactConnect(
    get('http://127.0.0.1:7071/api/exact/connect?tenant=demo'),
    new InvocationContext(),
  );
  const headers = new Headers(start.headers as Record<string, string>);
  const consent = await axios.get(headers.get('location')!, {
    maxRedirects: 0,
    validateStatus: (s) => s === 302,
  });
  const cookie = headers.get('set-cookie')!.split(';')[0]!;
  return exactCallback(get(String(consent.headers.location), cookie), new InvocationContext());
}

describe('connecting Exact fills the master data', () => {
  test('when a tenant with no master data in Dynamics connects, then the callback syncs: every granted administration appears switched off, with its layouts, and its customers as relations', async () => {
    // Dynamics as before any sync: no administration, layout or relation row.
    dv().reset();
    expect(dv().rows('eol_administrations')).toEqual([]);

    const answer = await connect();

    expect(answer.status).toBe(200);
    const sync = (answer.jsonBody as { sync: { kind: string; summary: SyncSummary } }).sync;
    expect(sync.kind).toBe('synced');
    expect(sync.summary.administrations.created.sort()).toEqual(administrations.map((a) => a.name).sort());
    const rows = dv().rows('eol_administrations');
    expect(rows.map((r) => [r.eol_division, r.eol_printinvoices, r.eol_exactstate]).sort()).toEqual(
      administrations.map((a) => [a.division, false, 1]).sort(),
    );
    // Every layout of every division, each under its administration's row, typed document or email text.
    const seed = exactSeed(new Date());
    const adminOf = new Map(rows.map((r) => [String(r.eol_administrationid), Number(r.eol_division)]));
    const mirrored = dv()
      .rows('eol_layouts')
      .map((l) => [adminOf.get(String(l._eol_administrationid_value)), l.eol_exactlayoutid, l.eol_layouttype])
      .sort();
    // (The seed lists one of division 100002's layout ids twice; Exact holds it once.)
    const inExact = [
      ...new Map(
        seed.divisions.flatMap((d) =>
          d.layouts.map((l) => [`${d.division}/${l.ID}`, [d.division, l.ID.toLowerCase(), l.Type]] as const),
        ),
      ).values(),
    ].sort();
    expect(mirrored).toEqual(inExact);
    expect(sync.summary.layouts.created).toBe(inExact.length);
    // Customers became relations; with no Dynamics account to link to, each is reported unlinked.
    // (The stack added the demo's "created after the sync" accounts to Exact once it had connected.)
    const customers =
      seed.divisions.flatMap((d) => d.accounts).filter((a) => a.Status === 'C').length +
      accountsCreatedAfterSync().length;
    expect(dv().rows('eol_relations')).toHaveLength(customers);
    expect(sync.summary.relations.created).toBe(customers);
    expect(sync.summary.relations.unlinked).toHaveLength(customers);
    expect(new Set(sync.summary.relations.unlinked.map((u) => u.why))).toEqual(new Set(['none']));
  });
});
