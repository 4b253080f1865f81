/** The sandbox's master data: sync/CRM/Accounts, crm/Accounts PUT, crm/Contacts, general/Layouts. */
import type { AxiosInstance } from 'axios';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { client } from './fixture';
import {
  BUYER,
  DIV,
  EMAIL_LAYOUT,
  GEEN_MAIL,
  HOEK,
  HOLDING,
  LAYOUT,
  MAIN,
  NO_MAIL_CONTACT,
  masterSeed,
} from './masterFixture';

let sb: ExactSandbox;
let api: AxiosInstance;

beforeAll(async () => {
  sb = await startExactSandbox({ seed: masterSeed() });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  api = client(sb, (await sb.authorize()).accessToken);
});

const SYNC = `/api/v1/${DIV}/sync/CRM/Accounts`;
const ACCOUNT = (id: string) => `/api/v1/${DIV}/crm/Accounts(guid'${id}')`;
const errorText = (data: unknown) => (data as { error: { message: { value: string } } }).error.message.value;

describe('sync/CRM/Accounts', () => {
  test('when read from Timestamp 1 with a $select, then every account comes in Timestamp order with its rowversion as a string beyond 2^53', async () => {
    const res = await api.get(`${SYNC}?$select=Timestamp,ID,Name,Status&$filter=Timestamp gt 1L`);
    expect(res.status).toBe(200);
    const rows = res.data.d.results as Array<{ Timestamp: string; ID: string }>;
    expect(rows.map((r) => r.ID)).toEqual([HOEK, HOLDING, expect.any(String), GEEN_MAIL]);
    expect(rows.every((r) => typeof r.Timestamp === 'string' && BigInt(r.Timestamp) > 2n ** 53n)).toBe(true);
    expect(rows.map((r) => BigInt(r.Timestamp))).toEqual([...rows.map((r) => BigInt(r.Timestamp))].sort());
    expect(res.data.d.__next).toBeUndefined();
    expect(Object.keys(rows[0]!)).toEqual(['__metadata', 'Timestamp', 'ID', 'Name', 'Status']);
  });

  test('when an account changes, then its Timestamp rises above every other and a filter on the old maximum returns only it', async () => {
    const before = sb.account(DIV, GEEN_MAIL)!.Timestamp;
    sb.editAccount(DIV, HOLDING, { Email: 'nieuw@holding.test' });
    expect(sb.account(DIV, HOLDING)!.Timestamp).toBe(before + 1n);
    const res = await api.get(`${SYNC}?$select=ID,Email&$filter=Timestamp gt ${before}L`);
    expect(res.data.d.results).toEqual([
      expect.objectContaining({ ID: HOLDING, Email: 'nieuw@holding.test' }),
    ]);
  });

  test.each([
    ['no $select', '$filter=Timestamp gt 1L', 'Please add a $select'],
    ['$select=*', '$select=*', 'not supported'],
    ['a filter on another field', "$select=ID&$filter=Status eq 'C'", 'Only the Timestamp field'],
    [
      'a filter combining Timestamp with another field',
      "$select=ID&$filter=Timestamp gt 1L and Status eq 'C'",
      'Only the Timestamp field',
    ],
    ['an unknown field', '$select=ID,Bogus', "No property 'Bogus'"],
    ['$orderby', '$select=ID&$orderby=Name', "'$orderby' is not supported"],
  ])('when asked with %s, then 400 with Exact’s error envelope', async (_what, query, text) => {
    const res = await api.get(`${SYNC}?${query}`);
    expect(res.status).toBe(400);
    expect(errorText(res.data)).toContain(text);
  });

  test('when more than 1000 accounts changed, then pages of 1000 follow each other through __next until none is left', async () => {
    for (let i = 0; i < 1500; i++)
      sb.editAccount(DIV, `55555555-0000-0000-0000-${String(i).padStart(12, '0')}`, { Name: `Nieuw ${i}` });
    const sizes: number[] = [];
    let url: string | undefined = `${SYNC}?$select=ID,Timestamp&$filter=Timestamp gt 1L`;
    while (url) {
      const res: { data: { d: { results: unknown[]; __next?: string } } } = await api.get(url);
      sizes.push(res.data.d.results.length);
      url = res.data.d.__next;
    }
    expect(sizes).toEqual([1000, 504]);
  });
});

describe('PUT crm/Accounts', () => {
  test('when writable fields are sent, then 204 without a body, only those fields change, and Modified and Timestamp move', async () => {
    const before = sb.account(DIV, HOEK)!;
    sb.clock.advance(60_000);
    const res = await api.put(ACCOUNT(HOEK), {
      Email: 'nieuw@hoek.test',
      PeppolIdentifier: '12345678',
      PeppolIdentifierType: 2,
    });
    expect(res.status).toBe(204);
    expect(res.data).toBe('');
    const after = sb.account(DIV, HOEK)!;
    expect(after).toEqual({
      ...before,
      Email: 'nieuw@hoek.test',
      PeppolIdentifier: '12345678',
      PeppolIdentifierType: 2,
      Modified: after.Modified,
      Timestamp: after.Timestamp,
    });
    expect(after.Modified).toBeGreaterThanOrEqual(before.Modified + 60_000);
    expect(after.Timestamp > before.Timestamp).toBe(true);
  });

  test.each(['Modified', 'IsSales', 'Created', 'ID'])(
    'when the read-only field %s is sent, then 400 with Exact’s error envelope and nothing changes',
    async (field) => {
      const before = sb.account(DIV, HOEK);
      const res = await api.put(ACCOUNT(HOEK), {
        Email: 'nieuw@hoek.test',
        [field]: field === 'IsSales' ? false : '/Date(0)/',
      });
      expect(res.status).toBe(400);
      expect(res.data).toEqual({
        error: { code: '', message: { lang: '', value: expect.stringContaining(field) } },
      });
      expect(sb.account(DIV, HOEK)).toEqual(before);
    },
  );

  test('when an unknown property is sent, then 400 names it', async () => {
    const res = await api.put(ACCOUNT(HOEK), { InvoiceEmail: 'x@y.test' });
    expect(res.status).toBe(400);
    expect(errorText(res.data)).toContain("No property 'InvoiceEmail'");
  });

  test('when the main contact is a contact of another account, then 500 "Invalid: MainContact" and nothing changes', async () => {
    const res = await api.put(`/api/v1/${DIV}/crm/Accounts(guid'${HOLDING}')`, { MainContact: MAIN });
    expect(res.status).toBe(500);
    expect(errorText(res.data)).toBe('Invalid: MainContact');
    expect(sb.account(DIV, HOLDING)?.MainContact).not.toBe(MAIN);
  });

  test('when an unknown account is written, then 404; PUT on another collection is 405', async () => {
    expect(
      (await api.put(ACCOUNT('11111111-0000-0000-0000-0000000000ff'), { Email: 'x@y.test' })).status,
    ).toBe(404);
    expect((await api.put(`/api/v1/${DIV}/crm/Contacts(guid'${MAIN}')`, { Email: 'x@y.test' })).status).toBe(
      405,
    );
  });
});

describe('crm/Contacts and general/Layouts', () => {
  test('when contacts are read by id, then ID, Account, Email, BusinessEmail, FullName and IsMainContact come back', async () => {
    const res = await api.get(
      `/api/v1/${DIV}/crm/Contacts?$select=ID,Account,Email,BusinessEmail,FullName,IsMainContact&$filter=ID eq guid'${MAIN}' or ID eq guid'${BUYER}' or ID eq guid'${NO_MAIL_CONTACT}'`,
    );
    expect(res.data.d.results.map(({ __metadata, ...c }: Record<string, unknown>) => c)).toEqual([
      {
        ID: MAIN,
        Account: HOEK,
        Email: 'eigenaar@hoek.test',
        BusinessEmail: null,
        FullName: 'J. de Hoek',
        IsMainContact: true,
      },
      {
        ID: BUYER,
        Account: HOEK,
        Email: 'inkoop@hoek.test',
        BusinessEmail: 'zakelijk@hoek.test',
        FullName: 'P. Inkoop',
        IsMainContact: false,
      },
      {
        ID: NO_MAIL_CONTACT,
        Account: HOEK,
        Email: null,
        BusinessEmail: 'alleen-zakelijk@hoek.test',
        FullName: null,
        IsMainContact: false,
      },
    ]);
  });

  test('when general/Layouts is read, then each layout has its Category, Language and Status', async () => {
    const res = await api.get(`/api/v1/${DIV}/general/Layouts?$select=ID,Category,Language,Status`);
    expect(res.data.d.results.map(({ __metadata, ...l }: Record<string, unknown>) => l)).toEqual([
      { ID: LAYOUT, Category: 0, Language: 'NL', Status: 2 },
      { ID: EMAIL_LAYOUT, Category: 0, Language: 'NL', Status: 1 },
    ]);
  });

  test('when crm/Accounts is read, then the new fields are there and Modified is Dutch local time', async () => {
    sb.clock.set(Date.parse('2026-01-15T09:00:00.000Z'));
    sb.editAccount(DIV, HOEK, { OINNumber: '00000001234567890000' });
    // The clock runs on after `set`: the edit may land a millisecond later (a CI flake).
    const edited = sb.account(DIV, HOEK)!.Modified;
    expect(edited - Date.parse('2026-01-15T09:00:00.000Z')).toBeLessThan(1000);
    const res = await api.get(
      `${ACCOUNT(HOEK)}?$select=ChamberOfCommerce,VATNumber,OINNumber,Language,InvoiceAccount,MainContact,Blocked,Modified`,
    );
    const { __metadata, ...a } = res.data.d as Record<string, unknown>;
    expect(a).toEqual({
      ChamberOfCommerce: '12345678',
      VATNumber: 'NL001234567B01',
      OINNumber: '00000001234567890000',
      Language: 'NL',
      InvoiceAccount: null,
      MainContact: MAIN,
      Blocked: false,
      // Dutch local time (UTC+1 in January) written as if it were UTC.
      Modified: `/Date(${edited + 3_600_000})/`,
    });
  });
});
