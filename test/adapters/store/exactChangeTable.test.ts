import { createExactChangeClient, tableExactChangeLog } from '../../../src/adapters/store/exactChangeTable';
import { TableStoreError } from '../../../src/adapters/store/tables';
import { ACCOUNT_TOPIC, INVOICE_TOPIC } from '../../../src/app/recentReads';
import { useAzurite } from '../../support/azurite';

const azurite = useAzurite();
const T0 = new Date('2026-12-02T10:00:00.000Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);

let table = 0;
const freshLog = () =>
  tableExactChangeLog(createExactChangeClient(azurite.connectionString, `exactChanges${++table}`));

describe('the Exact change log on Table Storage', () => {
  test('when changes and subscriptions are noted, then since(T) returns the subscribed topics and only the changes noted at or after T, key in lower case', async () => {
    const log = freshLog();
    await log.subscribed('contoso', 101, INVOICE_TOPIC, T0);
    await log.subscribed('contoso', 101, ACCOUNT_TOPIC, T0);
    await log.note('contoso', 101, INVOICE_TOPIC, 'AAAA0000-0000-0000-0000-000000000001', plus(-1));
    await log.note('contoso', 101, INVOICE_TOPIC, 'AAAA0000-0000-0000-0000-000000000002', T0);
    await log.note('contoso', 101, ACCOUNT_TOPIC, 'BBBB0000-0000-0000-0000-000000000001', plus(1_500));

    const noted = await log.since('contoso', 101, T0);
    expect(noted.topics).toEqual(new Set([INVOICE_TOPIC, ACCOUNT_TOPIC]));
    expect(noted.changes).toEqual([
      { topic: INVOICE_TOPIC, key: 'aaaa0000-0000-0000-0000-000000000002', at: T0 },
      { topic: ACCOUNT_TOPIC, key: 'bbbb0000-0000-0000-0000-000000000001', at: plus(1_500) },
    ]);
    // Asked from earlier, the change 1 ms before T0 is there too.
    expect((await log.since('contoso', 101, plus(-1))).changes.map((c) => c.key)).toEqual([
      'aaaa0000-0000-0000-0000-000000000001',
      'aaaa0000-0000-0000-0000-000000000002',
      'bbbb0000-0000-0000-0000-000000000001',
    ]);
  });

  test('when the same webhook is noted twice, then it is one row', async () => {
    const log = freshLog();
    await log.note('contoso', 101, INVOICE_TOPIC, 'AAAA0000-0000-0000-0000-000000000001', T0);
    await log.note('contoso', 101, INVOICE_TOPIC, 'aaaa0000-0000-0000-0000-000000000001', T0);
    expect((await log.since('contoso', 101, T0)).changes).toHaveLength(1);
  });

  test('when another division or another tenant has rows, then they are not returned', async () => {
    const log = freshLog();
    await log.subscribed('contoso', 101, INVOICE_TOPIC, T0);
    await log.note('contoso', 101, INVOICE_TOPIC, 'mine', plus(10));
    await log.subscribed('contoso', 102, ACCOUNT_TOPIC, T0);
    await log.note('contoso', 102, ACCOUNT_TOPIC, 'other-division', plus(10));
    await log.subscribed('fabrikam', 101, ACCOUNT_TOPIC, T0);
    await log.note('fabrikam', 101, INVOICE_TOPIC, 'other-tenant', plus(10));
    // A tenant whose name starts like this one's must not share its partition either.
    await log.note('contoso|101', 101, INVOICE_TOPIC, 'prefix-tenant', plus(10));

    const noted = await log.since('contoso', 101, T0);
    expect(noted.topics).toEqual(new Set([INVOICE_TOPIC]));
    expect(noted.changes.map((c) => c.key)).toEqual(['mine']);
    expect(await log.since('nobody', 101, T0)).toEqual({ topics: new Set(), changes: [] });
  });

  test('when the tenant name holds /, # or ?, then notes and reads work (percent-encoded partition)', async () => {
    const log = freshLog();
    const tenant = 'acme/nl#1?x=y\\z';
    await log.subscribed(tenant, 7, INVOICE_TOPIC, T0);
    await log.note(tenant, 7, INVOICE_TOPIC, 'AAAA/1#?', plus(5));
    const noted = await log.since(tenant, 7, T0);
    expect(noted.topics).toEqual(new Set([INVOICE_TOPIC]));
    expect(noted.changes).toEqual([{ topic: INVOICE_TOPIC, key: 'aaaa/1#?', at: plus(5) }]);
    expect((await log.since('acme', 7, T0)).changes).toEqual([]);
  });

  test('when pruned before an instant, then older change rows are deleted and subscriptions and newer changes kept; the count is returned', async () => {
    const log = freshLog();
    await log.subscribed('contoso', 101, INVOICE_TOPIC, plus(-86_400_000));
    await log.note('contoso', 101, INVOICE_TOPIC, 'old-1', plus(-2_000));
    await log.note('contoso', 101, ACCOUNT_TOPIC, 'old-2', plus(-1));
    await log.note('contoso', 101, INVOICE_TOPIC, 'at-cut', T0);
    await log.note('contoso', 101, INVOICE_TOPIC, 'new', plus(1_000));
    await log.note('contoso', 102, INVOICE_TOPIC, 'other-division-old', plus(-2_000));

    expect(await log.prune('contoso', 101, T0)).toBe(2);

    const left = await log.since('contoso', 101, new Date(0));
    expect(left.topics).toEqual(new Set([INVOICE_TOPIC]));
    expect(left.changes.map((c) => c.key)).toEqual(['at-cut', 'new']);
    expect((await log.since('contoso', 102, new Date(0))).changes.map((c) => c.key)).toEqual([
      'other-division-old',
    ]);
    expect(await log.prune('contoso', 101, T0)).toBe(0);
  });

  test('when the table service is unreachable, then since rejects with a TableStoreError (ledger_unavailable) whose message holds no account key', async () => {
    const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    const cs = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};TableEndpoint=http://127.0.0.1:9/devstoreaccount1;`;
    // Every call fails as an unreachable endpoint does, its message echoing the connection string. No real
    // socket: a refused connection's errors can surface on the SDK's agent after the test (peppolCache.test.ts).
    const refused = () =>
      Promise.reject(Object.assign(new Error(`connect ECONNREFUSED (${cs})`), { code: 'ECONNREFUSED' }));
    const calls: string[] = [];
    const dead = new Proxy(createExactChangeClient(cs, 'exactChangesDead'), {
      get(target, prop, receiver) {
        if (prop === 'createTable' || prop === 'listEntities')
          return () => (calls.push(String(prop)), refused());
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const err = await tableExactChangeLog(dead)
      .since('contoso', 101, T0)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(calls).toEqual(['createTable']);
    expect(err).toBeInstanceOf(TableStoreError);
    expect((err as TableStoreError).reason).toBe('ledger_unavailable');
    expect((err as TableStoreError).message).toBe(
      'table storage: create table exactChangesDead failed (ECONNREFUSED)',
    );
    expect((err as TableStoreError).message).not.toContain(key);
    expect((err as TableStoreError).message).not.toContain('AccountKey');
  });
});
