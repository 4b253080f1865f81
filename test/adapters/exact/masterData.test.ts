/** The master-data adapter against the Exact sandbox: what it reads, what it costs, what it writes. */
import type { ExactSandbox } from '../../../sandbox/exact';
import {
  ExactNotFoundError,
  ExactServerError,
  ExactValidationError,
} from '../../../src/adapters/exact/errors';
import type { ExactMasterDataClient } from '../../../src/adapters/exact/masterData';
import {
  DIV,
  EMAIL_LAYOUT,
  LAYOUT,
  NO_FEATURES_DIV,
  OLD_LAYOUT,
  accountId,
  callsTo,
  contactId,
  masterSeed,
  startMasterData,
} from './masterDataSupport';

let sb: ExactSandbox;
let client: Awaited<ReturnType<typeof startMasterData>>['client'];
let md: ExactMasterDataClient;

beforeAll(async () => {
  ({ sb, client } = await startMasterData(masterSeed(2500)));
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  md = await client();
});

describe('accountChanges (sync/CRM/Accounts by Timestamp)', () => {
  test('when 2,500 accounts are read from cursor 1, then three calls of at most 1000 return all of them, prospects marked, and the cursor is the highest Timestamp as a decimal string', async () => {
    const { accounts, cursor, calls } = await md.accountChanges(DIV, '1');
    expect(calls).toBe(3);
    const sync = callsTo(sb, '/sync/CRM/Accounts');
    expect(sync).toHaveLength(3);
    expect(sync[0]?.query.$filter).toBe('Timestamp gt 1L');
    expect(sync[0]?.query.$select?.split(',')).toEqual(
      expect.arrayContaining(['Timestamp', 'ID', 'Status', 'Email']),
    );
    expect(accounts).toHaveLength(2500);
    expect(new Set(accounts.map((a) => a.id)).size).toBe(2500);
    expect(accounts.filter((a) => !a.customer)).toHaveLength(Math.floor(2500 / 7));
    const newest = sb.account(DIV, accountId(2500))!.Timestamp;
    expect(newest > 2n ** 53n).toBe(true);
    expect(cursor).toBe(newest.toString());
  });

  test('when nothing changed since the cursor, then exactly one call returns no accounts and the same cursor', async () => {
    const first = await md.accountChanges(DIV, '1');
    const again = await md.accountChanges(DIV, first.cursor);
    expect(again).toEqual({ accounts: [], cursor: first.cursor, calls: 1 });
    expect(callsTo(sb, '/sync/CRM/Accounts').at(-1)?.query.$filter).toBe(`Timestamp gt ${first.cursor}L`);
  });

  test('when one account is edited in Exact after a sync, then the next sync returns only that account in one call', async () => {
    const first = await md.accountChanges(DIV, '1');
    sb.editAccount(DIV, accountId(17), { Email: 'nieuw@klant17.test' });
    const next = await md.accountChanges(DIV, first.cursor);
    expect(next.calls).toBe(1);
    expect(next.accounts.map((a) => [a.id, a.email])).toEqual([[accountId(17), 'nieuw@klant17.test']]);
    expect(BigInt(next.cursor)).toBe(BigInt(first.cursor) + 1n);
  });

  test('when an account carries every mirrored field, then it maps to the port shape (Peppol type → scheme:value, blank → null, Modified from Dutch local time)', async () => {
    sb.clock.set(Date.parse('2026-07-01T10:00:00.000Z'));
    sb.editAccount(DIV, accountId(1), { Blocked: true });
    // The sandbox's clock runs on after `set`: the edit may land a millisecond later (a CI flake).
    const edited = sb.account(DIV, accountId(1))!.Modified;
    expect(edited - Date.parse('2026-07-01T10:00:00.000Z')).toBeLessThan(1000);
    const { accounts } = await md.accountChanges(DIV, String(sb.account(DIV, accountId(1))!.Timestamp - 1n));
    expect(accounts).toEqual([
      {
        id: accountId(1),
        name: 'Café De Hoek',
        customer: true,
        blocked: true,
        email: 'factuur@hoek.test',
        invoicingMethod: 2,
        peppolId: '0106:12345678',
        kvk: '12345678',
        vatNumber: 'NL001234567B01',
        oin: null,
        language: 'NL',
        invoiceAccount: accountId(2),
        mainContact: contactId(1),
        modified: new Date(edited).toISOString(),
      },
    ]);
  });

  test('when two divisions are synced at the same time by one client, then each reports its own calls', async () => {
    const [big, small] = await Promise.all([
      md.accountChanges(DIV, '1'),
      md.accountChanges(NO_FEATURES_DIV, '1'),
    ]);
    expect([big.calls, small.calls]).toEqual([3, 1]);
    expect(small.accounts.map((a) => a.name)).toEqual(['Zuster klant']);
  });

  test('when the cursor is not a decimal number, then nothing is sent and a validation error says so', async () => {
    await expect(md.accountChanges(DIV, '12e3')).rejects.toBeInstanceOf(ExactValidationError);
    expect(callsTo(sb, '/sync/')).toHaveLength(0);
  });
});

describe('accounts and contacts by id', () => {
  test('when 130 accounts are asked for, then three crm/Accounts reads of at most 60 ids answer them and unknown ids are absent', async () => {
    const ids = [...Array.from({ length: 129 }, (_, i) => accountId(i + 1)), accountId(999_999)];
    const found = await md.accounts(DIV, ids);
    const reads = callsTo(sb, '/crm/Accounts');
    expect(reads.map((r) => (r.query.$filter?.match(/ID eq guid'/g) ?? []).length)).toEqual([60, 60, 10]);
    expect(md.stats().calls).toBe(3);
    expect(found.size).toBe(129);
    expect(found.has(accountId(999_999))).toBe(false);
    expect(found.get(accountId(1))).toMatchObject({ email: 'factuur@hoek.test', peppolId: '0106:12345678' });
  });

  test('when contacts are asked for, then one crm/Contacts read gives their Email (never BusinessEmail) and name', async () => {
    const found = await md.contacts(DIV, [contactId(1), contactId(2).toUpperCase(), contactId(9)]);
    expect(callsTo(sb, '/crm/Contacts')).toHaveLength(1);
    expect([...found.values()]).toEqual([
      { id: contactId(1), account: accountId(1), email: 'eigenaar@hoek.test', name: 'J. de Hoek' },
      { id: contactId(2), account: accountId(1), email: null, name: 'P. Inkoop' },
    ]);
  });
});

describe('updateAccount (PUT crm/Accounts)', () => {
  test('when the invoice e-mail is edited, then the PUT carries only Email, Exact holds it, and the next sync returns the account', async () => {
    const { cursor } = await md.accountChanges(DIV, '1');
    await md.updateAccount(DIV, accountId(5), { email: 'nieuw@klant5.test' });
    const put = callsTo(sb, '/crm/Accounts(').filter((r) => r.method === 'PUT');
    expect(put.map((r) => [r.status, r.body])).toEqual([[204, { Email: 'nieuw@klant5.test' }]]);
    expect(sb.account(DIV, accountId(5))).toMatchObject({ Email: 'nieuw@klant5.test', Name: 'Klant 5' });
    const next = await md.accountChanges(DIV, cursor);
    expect(next.accounts.map((a) => [a.id, a.email])).toEqual([[accountId(5), 'nieuw@klant5.test']]);
  });

  test('when a Peppol id and method are edited, then the PUT carries the value with its type code and the method, nothing else', async () => {
    await md.updateAccount(DIV, accountId(6), { peppolId: '0106:87654321', invoicingMethod: 32 });
    const put = callsTo(sb, '/crm/Accounts(').find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({ InvoicingMethod: 32, PeppolIdentifier: '87654321', PeppolIdentifierType: 2 });
    const read = await md.accounts(DIV, [accountId(6)]);
    expect(read.get(accountId(6))).toMatchObject({ peppolId: '0106:87654321', invoicingMethod: 32 });
  });

  test('when the edit is empty, then no call is made', async () => {
    await md.updateAccount(DIV, accountId(5), {});
    expect(md.stats().calls).toBe(0);
  });

  test('when the account does not exist, then the 404 is an ExactNotFoundError', async () => {
    await expect(md.updateAccount(DIV, accountId(999_999), { email: 'x@y.test' })).rejects.toBeInstanceOf(
      ExactNotFoundError,
    );
  });

  test('when Exact refuses the write with a 500 and a text (Peppol not activated), then it is transient twice and a validation error the third time', async () => {
    const edit = { invoicingMethod: 32 };
    for (let i = 0; i < 2; i++) {
      const err = await md.updateAccount(NO_FEATURES_DIV, accountId(1), edit).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExactServerError);
      expect(err).toMatchObject({ transient: true, suspectedValidation: true });
    }
    const third = await md.updateAccount(NO_FEATURES_DIV, accountId(1), edit).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(ExactValidationError);
    expect((third as Error).message).toContain('Peppol is not activated');
    expect(sb.account(NO_FEATURES_DIV, accountId(1))?.InvoicingMethod).toBeUndefined();
  });

  test('when the division is not among the granted ones, then nothing is sent', async () => {
    const narrow = await client({ granted: [NO_FEATURES_DIV] });
    await expect(narrow.updateAccount(DIV, accountId(5), { email: 'x@y.test' })).rejects.toMatchObject({
      status: 403,
    });
    expect(narrow.stats().calls).toBe(0);
  });
});

describe('layouts', () => {
  test('when general/Layouts answers, then two calls give every print layout with its language and status', async () => {
    const layouts = await md.layouts(DIV);
    expect(md.stats().calls).toBe(2);
    expect(layouts).toEqual([
      { id: LAYOUT.nl, name: 'Factuur NL', type: 'document', language: 'nl', inactive: false },
      { id: LAYOUT.en, name: 'Invoice EN', type: 'document', language: 'en', inactive: false },
      { id: EMAIL_LAYOUT, name: 'E-mail NL', type: 'email', language: 'nl', inactive: false },
      { id: OLD_LAYOUT, name: 'Oud', type: 'document', language: null, inactive: true },
    ]);
  });

  test('when general/Layouts keeps failing, then the layouts still come from salesinvoice/Layouts with no language', async () => {
    sb.injectFault({ path: '/general/Layouts', kind: '503', count: 10 });
    const layouts = await md.layouts(DIV);
    expect(layouts.map((l) => [l.id, l.language, l.inactive])).toEqual([
      [LAYOUT.nl, null, false],
      [LAYOUT.en, null, false],
      [EMAIL_LAYOUT, null, false],
      [OLD_LAYOUT, null, false],
    ]);
    expect(callsTo(sb, '/salesinvoice/Layouts')).toHaveLength(1);
  });

  test('when salesinvoice/Layouts fails, then the read fails (it is the authority on what a print accepts)', async () => {
    sb.injectFault({ path: '/salesinvoice/Layouts', kind: '503', count: 10 });
    await expect(md.layouts(DIV)).rejects.toBeInstanceOf(ExactServerError);
  });
});

describe('divisions', () => {
  test('when the consent lists its divisions, then system/Divisions is read from the first in one call', async () => {
    expect(await md.divisions()).toEqual([
      { division: DIV, name: 'Bakkerij Test BV' },
      { division: NO_FEATURES_DIV, name: 'Zuster BV' },
    ]);
    expect(sb.requests().map((r) => r.path)).toEqual([`/api/v1/${DIV}/system/Divisions`]);
  });

  test('when the stored consent has no divisions, then current/Me names the division to list from', async () => {
    const old = await client({ granted: null });
    expect((await old.divisions()).map((d) => d.division)).toEqual([DIV, NO_FEATURES_DIV]);
    expect(sb.requests().map((r) => r.path)).toEqual([
      '/api/v1/current/Me',
      `/api/v1/${DIV}/system/Divisions`,
    ]);
  });
});
