import { ManualClock } from '../../src/adapters/queue/clock';
import { dispatchInvoices, type DispatchDeps } from '../../src/app/dispatch';
import type {
  DispatchQueue,
  DispatchRequest,
  LedgerEntry,
  LedgerPatch,
  RowsRequest,
} from '../../src/app/ports';
import { sweepOneAdministration } from '../../src/app/sweep';
import { sweepDeps } from '../../src/composition/runtime';
import { demoGuid, DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import {
  ADMIN_A,
  ADMIN_B,
  crashOnce,
  crashOnWrite,
  demoDeps,
  demoRow,
  doublePrints,
  postWebhook,
  printsOf,
  rowsOf,
  settleQueue,
  SimulatedCrash,
} from './helpers';

const START = new Date('2026-05-12T10:00:00Z');
const clock = new ManualClock(START);
const env = useLocalStack({
  clock,
  timers: clock,
  exactClock: clock,
  today: START,
  exact: { minutelyLimit: 100_000, dailyLimit: 100_000 },
});

const request = (key: string, admin = ADMIN_A) => rowsOf([key], { admin, now: clock.now() });

async function ledgerOf(key: string, division = 100001): Promise<LedgerEntry | null> {
  return env.stack.runtime.ledger.get({ tenantId: 'demo', division, invoiceId: demoGuid(`invoice:${key}`) });
}

describe('exactly once: duplicates, concurrency and crashes', () => {
  test('when the same webhook is delivered 5 times at once, then Exact prints the invoice once', async () => {
    const body = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, 'I1')));
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => postWebhook(body)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    await settleQueue(env.stack, clock);
    expect(printsOf(env.stack, 'I1')).toHaveLength(1);
    expect(demoRow(env.stack, 'I1').eol_dispatchstatus).toBe(4);
  });

  test('when 5 distinct events for one invoice arrive at once, then Exact prints it once and later events write nothing', async () => {
    const row = demoRow(env.stack, 'I2');
    const bodies = [1, 2, 3, 4, 5].map(() =>
      serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row)),
    );
    await Promise.all(bodies.map((b) => postWebhook(b)));
    await settleQueue(env.stack, clock);
    expect(printsOf(env.stack, 'I2')).toHaveLength(1);

    // A repeated event for a sent invoice costs no Dataverse write and keeps the explanation.
    const sentMessage = demoRow(env.stack, 'I2').eol_dispatchmessage;
    const patches = () =>
      env.stack.dataverse
        .get('demo')!
        .requests()
        .filter((r) => r.method === 'PATCH').length;
    const before = patches();
    await postWebhook(serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row)));
    await settleQueue(env.stack, clock);
    expect(patches()).toBe(before);
    expect(demoRow(env.stack, 'I2').eol_dispatchmessage).toBe(sentMessage);
  });

  test('when 5 workers dispatch one invoice concurrently, then one prints and the others see it busy or sent', async () => {
    const deps = demoDeps(env.stack);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => dispatchInvoices(deps, request('I3'))));
    await settleQueue(env.stack, clock);
    expect(printsOf(env.stack, 'I3')).toHaveLength(1);
    const outcomes = results.flat().map((l) => l.outcome);
    expect(outcomes.filter((o) => o === 'sent').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.every((o) => o === 'sent' || o === 'busy')).toBe(true);
    expect(demoRow(env.stack, 'I3').eol_dispatchstatus).toBe(4);
  });

  const isClaim = (_e: unknown, p: unknown) => (p as LedgerPatch).state === 'sending';
  const isSettle = (_e: unknown, p: unknown) => (p as LedgerPatch).state === 'sent';
  const isClear = (_e: unknown, p: unknown) =>
    (p as LedgerPatch).writebackPending === false && Object.keys(p as object).length === 1;
  const of = (key: string) => (e: unknown) => (e as LedgerEntry).key.invoiceId === demoGuid(`invoice:${key}`);
  const both =
    (a: (...x: unknown[]) => boolean, b: (...x: unknown[]) => boolean) =>
    (...x: unknown[]) =>
      a(...x) && b(...x);

  // What the row shows at the end: sent, on the print list (paper), or — when the worker died after the
  // print reached Exact and before its answer was recorded — delivery_unconfirmed for email/Peppol, whose
  // send Exact's API gives no evidence of (decision 0024).
  type End = 'sent' | 'printList' | 'unconfirmed';
  type Crash = [string, string, 'A' | 'B', (deps: DispatchDeps, key: string) => DispatchDeps, End];
  const cases: Crash[] = [
    [
      'after the ledger entry is created',
      'I6',
      'A',
      (d, k) => ({
        ...d,
        ledger: crashOnce(
          d.ledger,
          'ensure',
          'after',
          (key) => (key as { invoiceId: string }).invoiceId === demoGuid(`invoice:${k}`),
        ),
      }),
      'sent',
    ],
    [
      'after Exact confirmed the status',
      'I7',
      'A',
      (d, k) => ({
        ...d,
        exact: crashOnce(d.exact, 'confirmStatuses', 'after', (_div, ids) =>
          (ids as string[]).includes(demoGuid(`invoice:${k}`)),
        ),
      }),
      'sent',
    ],
    [
      'before the claim',
      'I10',
      'A',
      (d, k) => ({ ...d, ledger: crashOnce(d.ledger, 'update', 'before', both(of(k), isClaim)) }),
      'sent',
    ],
    [
      'after the claim',
      'I11',
      'A',
      (d, k) => ({ ...d, ledger: crashOnce(d.ledger, 'update', 'after', both(of(k), isClaim)) }),
      'sent',
    ],
    [
      'before the print',
      'I12',
      'A',
      (d, k) => ({
        ...d,
        exact: crashOnce(
          d.exact,
          'print',
          'before',
          (_div, r) => (r as { invoiceId: string }).invoiceId === demoGuid(`invoice:${k}`),
        ),
      }),
      'printList',
    ],
    [
      'after the print, before its answer is used',
      'I13',
      'A',
      (d, k) => ({
        ...d,
        exact: crashOnce(
          d.exact,
          'print',
          'after',
          (_div, r) => (r as { invoiceId: string }).invoiceId === demoGuid(`invoice:${k}`),
        ),
      }),
      'printList',
    ],
    [
      'before the ledger records sent',
      'I14',
      'A',
      (d, k) => ({ ...d, ledger: crashOnce(d.ledger, 'update', 'before', both(of(k), isSettle)) }),
      'unconfirmed',
    ],
    [
      'after the ledger records sent',
      'I15',
      'A',
      (d, k) => ({ ...d, ledger: crashOnce(d.ledger, 'update', 'after', both(of(k), isSettle)) }),
      'sent',
    ],
    [
      'before the Dataverse writeback',
      'I40',
      'A',
      (d, k) => ({
        ...d,
        records: crashOnWrite(d.records, 'before', (id) => id === demoGuid(`row:${k}`)),
      }),
      'sent',
    ],
    [
      'after the Dataverse writeback',
      'I29',
      'B',
      (d, k) => ({
        ...d,
        records: crashOnWrite(d.records, 'after', (id) => id === demoGuid(`row:${k}`)),
      }),
      'sent',
    ],
    [
      'before the ledger clears the pending writeback',
      'I31',
      'B',
      (d, k) => ({ ...d, ledger: crashOnce(d.ledger, 'update', 'before', both(of(k), isClear)) }),
      'sent',
    ],
    [
      'after the ledger clears the pending writeback',
      'I33',
      'B',
      (d, k) => ({ ...d, ledger: crashOnce(d.ledger, 'update', 'after', both(of(k), isClear)) }),
      'sent',
    ],
  ];
  const shows: Record<End, { state: string; status: number; reason: RegExp }> = {
    sent: { state: 'sent', status: 4, reason: /^sent/ },
    printList: { state: 'printList', status: 9, reason: /^on_print_list$/ },
    unconfirmed: { state: 'failed', status: 6, reason: /^delivery_unconfirmed$/ },
  };

  test.each(cases)(
    'when the worker crashes %s and the message is redelivered, then Exact prints once and the row shows the truth',
    async (_when, key, admin, wrap, end) => {
      const adminId = admin === 'A' ? ADMIN_A : ADMIN_B;
      const division = admin === 'A' ? 100001 : 100002;
      await expect(dispatchInvoices(wrap(demoDeps(env.stack), key), request(key, adminId))).rejects.toThrow(
        SimulatedCrash,
      );

      // The broker redelivers the abandoned message (here: enqueued again; the worker is the real one).
      await env.stack.queue.enqueue(request(key, adminId), {
        messageId: `redelivery:${key}`,
        sessionId: `demo:${adminId}`,
      });
      await settleQueue(env.stack, clock, 5 * 60_000);

      expect(printsOf(env.stack, key)).toHaveLength(1);
      const row = demoRow(env.stack, key);
      expect(row.eol_dispatchstatus).toBe(shows[end].status);
      expect(row.eol_dispatchreason).toMatch(shows[end].reason);
      const entry = await ledgerOf(key, division);
      expect(entry).toMatchObject({ state: shows[end].state, writebackPending: false, leaseUntil: null });
    },
  );

  test('when two sweeps run at once, then every open invoice is printed at most once and the swept ones exactly once', async () => {
    const rt = env.stack.runtime;
    const tenant = rt.tenants.find((t) => t.name === 'demo')!;
    // Both sweeps hand their batches to workers that run concurrently (no session serialises them).
    const collected: DispatchRequest[] = [];
    const collector: DispatchQueue = { enqueue: async (r) => void collected.push(r) };
    const deps = { ...sweepDeps(rt, tenant), queue: collector, batchSize: 4 };
    const later = { ...deps, clock: { now: () => new Date(clock.now().getTime() + 1) } };
    await Promise.all(
      [ADMIN_A, ADMIN_B].flatMap((admin) => [
        sweepOneAdministration(deps, admin, false),
        sweepOneAdministration(later, admin, false),
      ]),
    );
    expect(collected.length).toBeGreaterThan(2);
    const batches = collected.filter((r): r is RowsRequest => r.kind === 'rows');
    await Promise.all(batches.map((r) => dispatchInvoices(demoDeps(env.stack), r)));
    await settleQueue(env.stack, clock, 5 * 60_000);

    expect(doublePrints(env.stack)).toEqual([]);
    // Recurring invoices of A had no row: the sweeps created one each (not two) and printed each once.
    for (const key of ['I4', 'I5', 'I8', 'I9', 'I16']) {
      expect(printsOf(env.stack, key)).toHaveLength(1);
      const rows = env.stack.dataverse
        .get('demo')!
        .rows('eol_salesinvoices')
        .filter((r) => r.eol_exactinvoiceid === demoGuid(`invoice:${key}`));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.eol_dispatchstatus).toBe(4);
    }
  });
});
