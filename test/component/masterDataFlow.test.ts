/**
 * Issue 14 end to end, on the demo: what Exact sends with is what the decision checks and the message names;
 * an edit in Dynamics reaches Exact's account before Exact sends with it; an edit made in Exact meanwhile is
 * not overwritten; a layout deleted in Exact blocks before printing; a sync in which nothing changed writes
 * nothing.
 */
import { InvocationContext } from '@azure/functions';
import { masterDataSync } from '../../functions/masterDataSync';
import { runSync } from '../../src/app/connected';
import { masterDataPorts } from '../../src/composition/runtime';
import { demoGuid, DEMO_ORGANIZATION_ID, invoices } from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  invoiceCreatedEvent,
  serialiseLikeDataverse,
} from '../../sandbox/seed/remoteExecutionContext';
import {
  ADMIN_A,
  demoRow,
  editRow,
  postWebhook,
  printsOf,
  settleQueue,
  useManualClockStack,
} from './helpers';

const { clock, env } = useManualClockStack(new Date('2026-05-12T08:01:00Z'));
const A = 100001;
const dv = () => env.stack.dataverse.get('demo')!;
const relation = (key: string) => dv().row('eol_relations', demoGuid(`relation:${key}`))!;

/** Dynamics' event for a row that was created, or whose Resend was set. */
async function dispatch(key: string, resend = false): Promise<void> {
  if (resend) editRow(env.stack, 'eol_salesinvoices', demoGuid(`row:${key}`), { eol_resend: true });
  const event = buildRemoteExecutionContext({
    organizationId: DEMO_ORGANIZATION_ID,
    entityId: demoGuid(`row:${key}`),
    messageName: resend ? 'Update' : 'Create',
    attributes: { eol_resend: resend, eol_administrationid: { lookup: 'eol_administration', id: ADMIN_A } },
  });
  expect((await postWebhook(serialiseLikeDataverse(event))).status).toBe(202);
  await settleQueue(env.stack, clock, 0);
}

/** A `$batch` of GETs (a long query the client batches) reads; it writes nothing. */
const readsOnly = (r: { path: string; body?: unknown }): boolean =>
  r.path.endsWith('/$batch') &&
  Array.isArray(r.body) &&
  (r.body as Array<{ method: string }>).every((p) => p.method === 'GET');

/** Writes to Dataverse: not GETs, nor a `$batch` of GETs. */
const writes = () =>
  dv()
    .requests()
    .filter((r) => r.method !== 'GET' && !readsOnly(r)).length;

describe('master data from Exact, in the dispatch', () => {
  test('when the demo connected, then its first sync wrote nothing to Exact: no typed value differs from a value Exact holds', () => {
    const sync = env.stack.connected.get('demo')!.sync;
    expect(sync.kind === 'synced' && sync.summary.relations.writtenBack).toBe(0);
    expect(env.stack.exact.requests().filter((r) => r.method === 'PUT')).toEqual([]);
  });

  test('when Geen Mail BV gets its address in Dynamics and Resend is set, then Exact’s account gets it and the invoice is sent there', async () => {
    await dispatch('I19');
    expect(demoRow(env.stack, 'I19')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'email_missing',
    });
    expect(printsOf(env.stack, 'I19')).toHaveLength(0);
    expect(String(demoRow(env.stack, 'I19').eol_dispatchmessage)).toContain(
      'Exact Online holds no email address',
    );

    editRow(env.stack, 'eol_relations', demoGuid('relation:R7'), {
      eol_invoiceemail: 'boekhouding@geenmail.example',
    });
    await dispatch('I19', true);
    expect(env.stack.exact.account(A, demoGuid('account:R7'))?.Email).toBe('boekhouding@geenmail.example');
    const [print] = printsOf(env.stack, 'I19');
    expect(print).toMatchObject({
      channel: 'email',
      sent: true,
      recipients: ['boekhouding@geenmail.example'],
    });
    const row = demoRow(env.stack, 'I19');
    expect(row).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
    expect(String(row.eol_dispatchmessage)).toContain(
      'to boekhouding@geenmail.example (the email address Exact Online holds',
    );
  });

  test('when Exact changed the address since the last sync while Dynamics edited it too, then Exact’s is kept, used and the relation explains the conflict, once', async () => {
    editRow(env.stack, 'eol_relations', demoGuid('relation:R2'), {
      eol_invoiceemail: 'nieuw@dehoek.example',
    });
    env.stack.exact.editAccount(A, demoGuid('account:R2'), { Email: 'exact@dehoek.example' });
    await dispatch('I2');
    expect(env.stack.exact.account(A, demoGuid('account:R2'))?.Email).toBe('exact@dehoek.example');
    expect(printsOf(env.stack, 'I2')).toMatchObject([
      { channel: 'email', recipients: ['exact@dehoek.example'] },
    ]);
    const conflict = String(relation('R2').eol_syncconflict);
    expect(conflict).toContain("'nieuw@dehoek.example' in Dynamics");
    expect(conflict).toContain("'exact@dehoek.example' in Exact");
    expect(String(demoRow(env.stack, 'I2').eol_dispatchmessage)).toContain('to exact@dehoek.example');
    // The same conflict, found again by the next invoice of the relation, is not written again.
    const relationWrites = () =>
      dv()
        .requests()
        .filter((r) => r.method !== 'GET' && !readsOnly(r) && JSON.stringify(r).includes('eol_relations'))
        .length;
    const before = relationWrites();
    await dispatch('I1');
    expect(printsOf(env.stack, 'I1')).toMatchObject([{ recipients: ['exact@dehoek.example'] }]);
    expect(relationWrites()).toBe(before);
  });

  test('when a layout is deleted in Exact, then the next sync marks it and an invoice using it fails before printing, naming it', async () => {
    env.stack.exact.removeLayout(A, demoGuid('layout:A-mail'));
    await masterDataSync(null, new InvocationContext({ functionName: 'masterDataSync' }));
    const printed = env.stack.exact.prints().length;
    await dispatch('I3');
    expect(env.stack.exact.prints().length).toBe(printed);
    const row = demoRow(env.stack, 'I3');
    expect(row).toMatchObject({ eol_dispatchstatus: 6, eol_dispatchreason: 'layout_missing' });
    expect(String(row.eol_dispatchmessage)).toContain('"Bakkerij Holding BV e-mailtekst"');
    expect(String(row.eol_dispatchmessage)).toContain('no longer exists in Exact Online');
  });

  test('when the daily sync runs, then Exact webhooks noted more than a day ago are pruned and newer ones and the subscriptions stay (decision 0155)', async () => {
    const changes = env.stack.runtime.exactChanges;
    const now = clock.now().getTime();
    await changes.note('demo', A, 'Accounts', demoGuid('account:old'), new Date(now - 2 * 86_400_000));
    await changes.note('demo', A, 'Accounts', demoGuid('account:new'), new Date(now - 3_600_000));
    await changes.subscribed('demo', A, 'SalesInvoices', new Date(now - 3 * 86_400_000));
    await masterDataSync(null, new InvocationContext({ functionName: 'masterDataSync' }));
    const left = await changes.since('demo', A, new Date(now - 4 * 86_400_000));
    expect(left.changes.map((c) => c.key)).toEqual([demoGuid('account:new')]);
    expect(left.topics.has('SalesInvoices')).toBe(true);
  });

  test('when the daily sync runs and nothing changed in Exact, then it writes nothing to Dataverse and reads each administration’s accounts in one call', async () => {
    await masterDataSync(null, new InvocationContext({ functionName: 'masterDataSync' }));
    const before = { writes: writes(), exact: env.stack.exact.requests().length };
    await masterDataSync(null, new InvocationContext({ functionName: 'masterDataSync' }));
    expect(writes()).toBe(before.writes);
    const calls = env.stack.exact.requests().slice(before.exact);
    const accountPages = calls.filter((r) => r.path.includes('/sync/CRM/Accounts'));
    expect(accountPages).toHaveLength(new Set(accountPages.map((r) => r.path.split('/')[3])).size);
    expect(accountPages.length).toBeGreaterThan(0);
    // What a day's sync adds to the sweep path (decision 0132): per administration its two layout lists and one
    // accounts page, and the divisions once per tenant — nothing written to Exact.
    const administrations = accountPages.length;
    expect(
      calls.map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/\/\d+\//, '/{division}/')}`),
    ).toEqual([
      'GET /api/v1/{division}/system/Divisions',
      ...Array.from({ length: administrations }, () => [
        'GET /api/v1/{division}/salesinvoice/Layouts',
        'GET /api/v1/{division}/general/Layouts',
        'GET /api/v1/{division}/sync/CRM/Accounts',
      ]).flat(),
    ]);
    // The summary the sync prints counts the same calls.
    const from = env.stack.exact.requests().length;
    const again = await runSync(masterDataPorts(env.stack.runtime.tenants.find((t) => t.name === 'demo')!));
    expect(again.kind === 'synced' && again.summary.exactCalls).toBe(
      env.stack.exact.requests().length - from,
    );
  });
});

describe('what the receiver check costs', () => {
  test('when rules 4–8 stop an invoice (opted out, relation switched off), then Exact’s account is not read for it', async () => {
    const accountReads = () =>
      env.stack.exact.requests().filter((r) => r.method === 'GET' && r.path.includes('/crm/Accounts')).length;
    const before = accountReads();
    await dispatch('I17'); // Bakkerij Jansen: auto-invoice switched off
    await dispatch('I23'); // Café De Hoek: opted out on the invoice
    expect([
      demoRow(env.stack, 'I17').eol_dispatchreason,
      demoRow(env.stack, 'I23').eol_dispatchreason,
    ]).toEqual(['relation_disabled', 'invoice_opted_out']);
    expect(accountReads()).toBe(before);
  });
});

describe('an edit Exact refuses', () => {
  test('when Exact refuses a Dynamics edit, then the relation says so and the next invoice does not offer the same values again', async () => {
    const putsOfR5 = () =>
      env.stack.exact.requests().filter((r) => r.method === 'PUT' && r.path.includes(demoGuid('account:R5')));
    const puts = () => putsOfR5().length;
    editRow(env.stack, 'eol_relations', demoGuid('relation:R5'), {
      eol_invoiceemail: 'post@groothandel.example',
    });
    // Exact answers the PUT with a 500 carrying a message, three times: a refusal (see the adapter's README).
    env.stack.exact.injectFault({
      method: 'PUT',
      path: '/crm/Accounts',
      kind: '500',
      count: 3,
      body: 'E-mail: invalid domain.',
    });
    await dispatch('I10');
    // The first two 500s are transient: the request comes back, and the third answer is the refusal.
    await settleQueue(env.stack, clock, 10 * 60_000);
    expect(putsOfR5().map((r) => r.status)).toEqual([500, 500, 500]);
    expect(String(relation('R5').eol_syncconflict)).toContain('Not written to Exact: Exact Online refused');
    expect(printsOf(env.stack, 'I10')).toMatchObject([{ channel: 'postbox' }]);
    const before = puts();
    await dispatch('I11');
    expect(printsOf(env.stack, 'I11')).toMatchObject([{ channel: 'postbox' }]);
    expect(puts()).toBe(before);
  });
});

describe('a relation typed in Dynamics before the first sync, on the Dynamics 365 email route', () => {
  test("when Exact's account has no email address, then the first sync keeps the Dynamics addresses, gives Exact the first, and the invoice is mailed to them from Dynamics", async () => {
    const D = 100004;
    const key = invoices.find((i) => i.relation === 'R21')!.key; // Lijst Per Puntkomma BV
    env.stack.exact.editAccount(D, demoGuid('account:R21'), { Email: null });
    // As typed by hand: never mirrored from Exact.
    editRow(env.stack, 'eol_relations', demoGuid('relation:R21'), {
      eol_exactstate: null,
      eol_exactinvoiceemail: null,
    });

    await masterDataSync(null, new InvocationContext({ functionName: 'masterDataSync' }));

    expect(env.stack.exact.account(D, demoGuid('account:R21'))?.Email).toBe('factuur@lijst.example');
    expect(relation('R21')).toMatchObject({
      eol_exactstate: 1,
      eol_invoiceemail: 'factuur@lijst.example; boekhouding@lijst.example',
      eol_exactinvoiceemail: 'factuur@lijst.example',
    });
    const event = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, key)));
    expect((await postWebhook(event)).status).toBe(202);
    await settleQueue(env.stack, clock, 0);
    const row = demoRow(env.stack, key);
    expect(row.eol_dispatchreason).toBe('email_pending');
    const [email] = dv().mail.emailsRegarding(demoGuid(`row:${key}`));
    const to = dv()
      .mail.parties(String(email!.activityid))
      .filter((p) => p.mask === 2)
      .map((p) => p.address);
    expect(to).toEqual(['factuur@lijst.example', 'boekhouding@lijst.example']);
  });
});
