import { ManualClock } from '../../src/adapters/queue/clock';
import type { AccountEdit, ExactAccount, ExactMasterData } from '../../src/app/masterData/ports';
import type { ExactInvoiceState } from '../../src/app/ports';
import {
  ACCOUNT_TOPIC,
  CHANGE_MARGIN_MS,
  INVOICE_TOPIC,
  RecentReads,
  rememberingMasterData,
  type ExactChangeLog,
  type NotedChanges,
} from '../../src/app/recentReads';

const TENANT = 'contoso';
const DIV = 101;
const INVOICE_ID = 'AAAA0000-0000-0000-0000-000000000001';
const ACCOUNT_ID = 'BBBB0000-0000-0000-0000-000000000001';

/** The shared change log in memory: what `since` was asked, and a switch to make it fail. */
class FakeChangeLog implements ExactChangeLog {
  readonly asked: Array<{ tenantId: string; division: number; since: Date }> = [];
  private readonly changes: Array<{
    tenantId: string;
    division: number;
    topic: string;
    key: string;
    at: Date;
  }> = [];
  private readonly subscriptions: Array<{ tenantId: string; division: number; topic: string }> = [];
  failing = false;

  async note(tenantId: string, division: number, topic: string, key: string, at: Date): Promise<void> {
    this.changes.push({ tenantId, division, topic, key: key.toLowerCase(), at });
  }

  async subscribed(tenantId: string, division: number, topic: string, _at: Date): Promise<void> {
    this.subscriptions.push({ tenantId, division, topic });
  }

  async since(tenantId: string, division: number, since: Date): Promise<NotedChanges> {
    this.asked.push({ tenantId, division, since });
    if (this.failing) throw new Error('table storage: read Exact changes failed (no response)');
    const mine = <T extends { tenantId: string; division: number }>(r: T) =>
      r.tenantId === tenantId && r.division === division;
    return {
      topics: new Set(this.subscriptions.filter(mine).map((s) => s.topic)),
      changes: this.changes
        .filter((c) => mine(c) && c.at.getTime() >= since.getTime())
        .map(({ topic, key, at }) => ({ topic, key, at })),
    };
  }
}

function state(invoiceId = INVOICE_ID, status: ExactInvoiceState['status'] = 20): ExactInvoiceState {
  return {
    invoiceId,
    status,
    invoiceNumber: null,
    invoiceDate: '2026-12-02',
    invoiceTo: ACCOUNT_ID.toLowerCase(),
    invoiceToName: 'Fabrikam',
    type: 8020,
    creditNote: false,
    description: null,
    orderNumber: null,
    origin: 'manual',
  };
}

function account(id = ACCOUNT_ID, email = 'billing@fabrikam.example'): ExactAccount {
  return {
    id,
    name: 'Fabrikam',
    customer: true,
    blocked: false,
    email,
    invoicingMethod: 2,
    peppolId: null,
    kvk: null,
    vatNumber: null,
    oin: null,
    language: 'NL',
    invoiceAccount: null,
    mainContact: null,
    modified: null,
  };
}

async function setup(opts: { invoiceMs?: number; accountMs?: number; topics?: string[] } = {}) {
  const clock = new ManualClock('2026-12-02T10:00:00Z');
  const log = new FakeChangeLog();
  for (const topic of opts.topics ?? [INVOICE_TOPIC, ACCOUNT_TOPIC])
    await log.subscribed(TENANT, DIV, topic, clock.now());
  const recent = new RecentReads({
    tenantId: TENANT,
    log,
    clock,
    invoiceMs: opts.invoiceMs ?? 60_000,
    accountMs: opts.accountMs ?? 15 * 60_000,
  });
  return { clock, log, recent };
}

const at = (clock: ManualClock, offsetMs: number) => new Date(clock.now().getTime() + offsetMs);

describe('RecentReads: invoice states', () => {
  test('when the division is subscribed to SalesInvoices and nothing changed, then a remembered open invoice is returned within invoiceMs and not after it', async () => {
    const { clock, recent } = await setup({ invoiceMs: 60_000 });
    recent.rememberInvoices(DIV, [state()], clock.now());
    expect(await recent.settle(DIV)).toContain(INVOICE_TOPIC);
    expect(recent.invoice(DIV, INVOICE_ID)).toEqual(state());
    // The key is case-insensitive: Exact's GUIDs arrive in either case.
    expect(recent.invoice(DIV, INVOICE_ID.toLowerCase())?.status).toBe(20);

    clock.advance(60_000);
    await recent.settle(DIV);
    expect(recent.invoice(DIV, INVOICE_ID)?.status).toBe(20);

    clock.advance(1);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
    await recent.settle(DIV);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
  });

  test('when an invoice is remembered in another division, then it is not returned for this one', async () => {
    const { clock, recent } = await setup();
    recent.rememberInvoices(DIV + 1, [state()], clock.now());
    expect(recent.invoice(DIV + 1, INVOICE_ID)?.status).toBe(20);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
  });

  test('when a webhook for the invoice was noted after the read, then settle drops it', async () => {
    const { clock, log, recent } = await setup();
    const readAt = clock.now();
    recent.rememberInvoices(DIV, [state()], readAt);
    clock.advance(2_000);
    await log.note(TENANT, DIV, INVOICE_TOPIC, INVOICE_ID, clock.now());
    expect(recent.invoice(DIV, INVOICE_ID)?.status).toBe(20); // not yet: settle has not asked the log
    await recent.settle(DIV);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
  });

  test('when a webhook for the invoice was noted less than the margin before the read, then settle drops it; exactly the margin before, then it is kept', async () => {
    // The rule as coded: dropped when readAt < changedAt + CHANGE_MARGIN_MS.
    const { clock, log, recent } = await setup();
    const readAt = clock.now();
    const justInside = 'cccc0000-0000-0000-0000-000000000001';
    const onTheEdge = 'cccc0000-0000-0000-0000-000000000002';
    const wellBefore = 'cccc0000-0000-0000-0000-000000000003';
    recent.rememberInvoices(DIV, [state(justInside), state(onTheEdge), state(wellBefore)], readAt);
    await log.note(TENANT, DIV, INVOICE_TOPIC, justInside, at(clock, -(CHANGE_MARGIN_MS - 1)));
    await log.note(TENANT, DIV, INVOICE_TOPIC, onTheEdge, at(clock, -CHANGE_MARGIN_MS));
    await log.note(TENANT, DIV, INVOICE_TOPIC, wellBefore, at(clock, -CHANGE_MARGIN_MS - 60_000));
    clock.advance(1_000);
    await recent.settle(DIV);
    expect(recent.invoice(DIV, justInside)).toBeUndefined();
    expect(recent.invoice(DIV, onTheEdge)?.invoiceId).toBe(onTheEdge);
    expect(recent.invoice(DIV, wellBefore)?.invoiceId).toBe(wellBefore);
  });

  test('when a webhook names an invoice in upper case, then the remembered read of it is still dropped', async () => {
    const { clock, log, recent } = await setup();
    recent.rememberInvoices(DIV, [state(INVOICE_ID.toLowerCase())], clock.now());
    clock.advance(100);
    await log.note(TENANT, DIV, INVOICE_TOPIC, INVOICE_ID.toUpperCase(), clock.now());
    await recent.settle(DIV);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
  });

  test('when an Accounts webhook names a key, then an invoice with that key is not dropped', async () => {
    const { clock, log, recent } = await setup();
    recent.rememberInvoices(DIV, [state()], clock.now());
    clock.advance(100);
    await log.note(TENANT, DIV, ACCOUNT_TOPIC, INVOICE_ID, clock.now());
    await recent.settle(DIV);
    expect(recent.invoice(DIV, INVOICE_ID)?.status).toBe(20);
  });

  test('when invoiceMs is 0, then a remembered invoice is never returned', async () => {
    const { clock, recent } = await setup({ invoiceMs: 0 });
    recent.rememberInvoices(DIV, [state()], clock.now(), true);
    expect(await recent.settle(DIV)).toContain(INVOICE_TOPIC);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
  });

  test('when an older read of the same invoice is remembered after a newer one, then the newer read is kept', async () => {
    const { clock, recent } = await setup();
    const older = at(clock, -1_000);
    recent.rememberInvoices(DIV, [state(INVOICE_ID, 50)], clock.now());
    recent.rememberInvoices(DIV, [state(INVOICE_ID, 20)], older);
    expect(recent.invoice(DIV, INVOICE_ID)?.status).toBe(50);
    // A read at the same instant or later replaces it.
    recent.rememberInvoices(DIV, [state(INVOICE_ID, 20)], clock.now());
    expect(recent.invoice(DIV, INVOICE_ID)?.status).toBe(20);
  });

  test('when an invoice is forgotten, then it is not returned even though no webhook named it', async () => {
    const { clock, recent } = await setup();
    recent.rememberInvoices(DIV, [state()], clock.now());
    recent.forgetInvoice(DIV, INVOICE_ID.toLowerCase());
    await recent.settle(DIV);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
  });

  test('when the open invoices were listed, then listedRecently holds within invoiceMs of the listing and not after; a read by id does not count', async () => {
    const { clock, recent } = await setup({ invoiceMs: 60_000 });
    recent.rememberInvoices(DIV, [state()], clock.now());
    expect(recent.listedRecently(DIV)).toBe(false);
    recent.rememberInvoices(DIV, [state()], clock.now(), true);
    clock.advance(60_000);
    expect(recent.listedRecently(DIV)).toBe(true);
    clock.advance(1);
    expect(recent.listedRecently(DIV)).toBe(false);
  });
});

describe('RecentReads: settle', () => {
  test('when the change log cannot be read, then settle returns no topics and does not throw', async () => {
    const { clock, log, recent } = await setup();
    recent.rememberInvoices(DIV, [state()], clock.now());
    log.failing = true;
    await expect(recent.settle(DIV)).resolves.toEqual(new Set());
    expect(log.asked).toHaveLength(1);
  });

  test('when the change log failed once, then the next settle asks again from before the read it could not check', async () => {
    const { clock, log, recent } = await setup();
    const readAt = clock.now();
    recent.rememberInvoices(DIV, [state()], readAt);
    clock.advance(10_000);
    log.failing = true;
    await recent.settle(DIV);
    clock.advance(10_000);
    log.failing = false;
    await log.note(TENANT, DIV, INVOICE_TOPIC, INVOICE_ID, at(clock, -15_000));
    expect(await recent.settle(DIV)).toEqual(new Set([INVOICE_TOPIC, ACCOUNT_TOPIC]));
    expect(log.asked.map((a) => a.since.getTime())).toEqual([
      readAt.getTime() - CHANGE_MARGIN_MS,
      readAt.getTime() - CHANGE_MARGIN_MS,
    ]);
    expect(recent.invoice(DIV, INVOICE_ID)).toBeUndefined();
  });

  test('when the division is subscribed, then settle returns its subscribed topics; a division without subscription rows returns none', async () => {
    const { log, recent } = await setup({ topics: [INVOICE_TOPIC] });
    expect(await recent.settle(DIV)).toEqual(new Set([INVOICE_TOPIC]));
    expect(await recent.settle(DIV + 1)).toEqual(new Set());
    expect(log.asked.map((a) => [a.tenantId, a.division])).toEqual([
      [TENANT, DIV],
      [TENANT, DIV + 1],
    ]);
  });

  test('when settle is asked twice, then it asks for changes since the earlier of the last settle and the oldest read remembered since, minus the margin', async () => {
    const { clock, log, recent } = await setup();
    const t0 = clock.now().getTime();
    // First settle, nothing remembered: since = now − margin.
    await recent.settle(DIV);
    expect(log.asked[0]!.since.getTime()).toBe(t0 - CHANGE_MARGIN_MS);

    // A read that started 30 s before the last settle is remembered afterwards: it is older than the settle.
    clock.advance(20_000);
    recent.rememberInvoices(DIV, [state()], new Date(t0 - 30_000));
    recent.rememberAccounts(DIV, [account()], new Date(t0 - 10_000));
    await recent.settle(DIV);
    expect(log.asked[1]!.since.getTime()).toBe(t0 - 30_000 - CHANGE_MARGIN_MS);

    // A read newer than the last settle: the last settle (t0 + 20 s) is the earlier one.
    clock.advance(20_000);
    recent.rememberInvoices(DIV, [state()], at(clock, -1_000));
    await recent.settle(DIV);
    expect(log.asked[2]!.since.getTime()).toBe(t0 + 20_000 - CHANGE_MARGIN_MS);

    // Nothing remembered since: the last settle again (the oldest read was reset by the settle).
    clock.advance(20_000);
    await recent.settle(DIV);
    expect(log.asked[3]!.since.getTime()).toBe(t0 + 40_000 - CHANGE_MARGIN_MS);
  });

  test('when a read is remembered while settle is still asking the log, then the next settle asks from that read’s start, not from the first settle', async () => {
    const { clock, log, recent } = await setup();
    const t0 = clock.now().getTime();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const since = log.since.bind(log);
    log.since = async (...a) => (await gate, since(...a));
    const first = recent.settle(DIV);
    // A read that started 60 s before is remembered while the first settle waits for the log.
    recent.rememberInvoices(DIV, [state()], new Date(t0 - 60_000));
    release();
    await first;
    clock.advance(1_000);
    await recent.settle(DIV);
    expect(log.asked[1]!.since.getTime()).toBe(t0 - 60_000 - CHANGE_MARGIN_MS);
  });

  test('when a webhook was noted before the since instant, then it is not returned by the log and the read stays', async () => {
    // The fake filters like the table (changes at or after `since`): an old change must not drop a new read.
    const { clock, log, recent } = await setup();
    await log.note(TENANT, DIV, INVOICE_TOPIC, INVOICE_ID, at(clock, -60_000));
    recent.rememberInvoices(DIV, [state()], clock.now());
    await recent.settle(DIV);
    expect(recent.invoice(DIV, INVOICE_ID)?.status).toBe(20);
  });
});

describe('RecentReads: accounts', () => {
  test('when an account is remembered and nothing changed, then it is returned within accountMs and not after it', async () => {
    const { clock, recent } = await setup({ accountMs: 15 * 60_000 });
    recent.rememberAccounts(DIV, [account()], clock.now());
    expect(await recent.settle(DIV)).toContain(ACCOUNT_TOPIC);
    expect(recent.account(DIV, ACCOUNT_ID.toLowerCase())).toEqual(account());
    clock.advance(15 * 60_000);
    expect(recent.account(DIV, ACCOUNT_ID)?.email).toBe('billing@fabrikam.example');
    clock.advance(1);
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
  });

  test('when an Accounts webhook names the account after its read, then settle drops it; a SalesInvoices webhook with the same key does not', async () => {
    const { clock, log, recent } = await setup();
    const other = 'bbbb0000-0000-0000-0000-000000000002';
    recent.rememberAccounts(DIV, [account(), account(other)], clock.now());
    clock.advance(500);
    await log.note(TENANT, DIV, ACCOUNT_TOPIC, ACCOUNT_ID, clock.now());
    await log.note(TENANT, DIV, INVOICE_TOPIC, other, clock.now());
    await recent.settle(DIV);
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
    expect(recent.account(DIV, other)?.id).toBe(other);
  });

  test('when accountMs is 0, then a remembered account is never returned', async () => {
    const { clock, recent } = await setup({ accountMs: 0 });
    recent.rememberAccounts(DIV, [account()], clock.now());
    await recent.settle(DIV);
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
  });

  test('when an older read of an account is remembered after a newer one, then the newer read is kept', async () => {
    const { clock, recent } = await setup();
    recent.rememberAccounts(DIV, [account(ACCOUNT_ID, 'new@fabrikam.example')], clock.now());
    recent.rememberAccounts(DIV, [account(ACCOUNT_ID, 'old@fabrikam.example')], at(clock, -1));
    expect(recent.account(DIV, ACCOUNT_ID)?.email).toBe('new@fabrikam.example');
  });

  test('when an account is forgotten, then it is not returned', async () => {
    const { clock, recent } = await setup();
    recent.rememberAccounts(DIV, [account()], clock.now());
    recent.forgetAccount(DIV, ACCOUNT_ID);
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
  });
});

describe('rememberingMasterData', () => {
  /** The remembering port around `inner`, which records its calls in `calls` and what it saw in `order`. */
  const remembering = (clock: ManualClock, recent: RecentReads, calls: string[] = [], order: string[] = []) =>
    rememberingMasterData(
      inner(clock, calls, order, () => recent),
      recent,
      clock,
    );

  function inner(clock: ManualClock, calls: string[], order: string[], recent: () => RecentReads) {
    const md: ExactMasterData = {
      divisions: async () => (calls.push('divisions'), [{ division: DIV, name: 'Contoso BV' }]),
      layouts: async (division) => (calls.push(`layouts:${division}`), []),
      async accountChanges(division, cursor) {
        calls.push(`accountChanges:${division}:${cursor}`);
        clock.advance(3_000); // the listing takes 3 s
        return { accounts: [account()], cursor: '42', calls: 1 };
      },
      accounts: async (division, ids) => (
        calls.push(`accounts:${division}:${ids.join(',')}`),
        new Map([[ACCOUNT_ID, account()]])
      ),
      contacts: async (division, ids) => (calls.push(`contacts:${division}:${ids.join(',')}`), new Map()),
      async updateAccount(division: number, accountId: string, edit: AccountEdit) {
        order.push(`update:${recent().account(division, accountId) ? 'remembered' : 'forgotten'}`);
        calls.push(`updateAccount:${division}:${accountId}:${JSON.stringify(edit)}`);
      },
    };
    return md;
  }

  test('when the sync lists account changes, then the accounts are remembered as read when the call started', async () => {
    const { clock, log, recent } = await setup();
    const calls: string[] = [];
    const md = remembering(clock, recent, calls);
    const started = clock.now();
    const changes = await md.accountChanges(DIV, '1');
    expect(changes.cursor).toBe('42');
    expect(recent.account(DIV, ACCOUNT_ID)?.email).toBe('billing@fabrikam.example');
    // readAt = before the call: the next settle asks from the call's start (minus the margin).
    await recent.settle(DIV);
    expect(log.asked[0]!.since.getTime()).toBe(started.getTime() - CHANGE_MARGIN_MS);
    // A webhook noted during the listing (1 s in, less than the margin before its end) drops it.
    await log.note(TENANT, DIV, ACCOUNT_TOPIC, ACCOUNT_ID, new Date(started.getTime() + 1_000));
    await recent.settle(DIV);
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
  });

  test('when an Accounts webhook was noted 4.5 s before a 3 s listing started, then the listed account is dropped (readAt is the start, not the end)', async () => {
    const { clock, log, recent } = await setup();
    const md = remembering(clock, recent);
    const started = clock.now();
    // 4.5 s before the start: inside the margin for readAt = start; 7.5 s before the end, outside it for
    // readAt = end (and before that settle's `since`).
    await log.note(TENANT, DIV, ACCOUNT_TOPIC, ACCOUNT_ID, new Date(started.getTime() - 4_500));
    await md.accountChanges(DIV, '1');
    await recent.settle(DIV);
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
  });

  test('when an account is written to Exact, then it is forgotten before the write goes out', async () => {
    const { clock, recent } = await setup();
    const calls: string[] = [];
    const order: string[] = [];
    const md = remembering(clock, recent, calls, order);
    recent.rememberAccounts(DIV, [account()], clock.now());
    await md.updateAccount(DIV, ACCOUNT_ID, { email: 'new@fabrikam.example' });
    expect(order).toEqual(['update:forgotten']);
    expect(calls).toEqual([`updateAccount:${DIV}:${ACCOUNT_ID}:{"email":"new@fabrikam.example"}`]);
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
  });

  test('when the other methods are called, then they pass through to the inner port and remember nothing', async () => {
    const { clock, log, recent } = await setup();
    const calls: string[] = [];
    const md = remembering(clock, recent, calls);
    expect(await md.divisions()).toEqual([{ division: DIV, name: 'Contoso BV' }]);
    expect(await md.layouts(DIV)).toEqual([]);
    expect((await md.accounts(DIV, [ACCOUNT_ID])).get(ACCOUNT_ID)?.id).toBe(ACCOUNT_ID);
    expect(await md.contacts(DIV, ['c1'])).toEqual(new Map());
    expect(calls).toEqual([
      'divisions',
      `layouts:${DIV}`,
      `accounts:${DIV}:${ACCOUNT_ID}`,
      `contacts:${DIV}:c1`,
    ]);
    // The pre-print read remembers what it reads itself (reuse.ts): this port does not.
    expect(recent.account(DIV, ACCOUNT_ID)).toBeUndefined();
    await recent.settle(DIV);
    expect(log.asked[0]!.since.getTime()).toBe(clock.now().getTime() - CHANGE_MARGIN_MS);
  });
});
