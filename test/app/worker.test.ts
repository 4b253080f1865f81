/**
 * The worker's policy for a delivery of several messages of one session (decision 0100), with the dispatch
 * core replaced by a recording fake: which rows go as one run, what happens when that run fails, and what a
 * delivery hands back when it has more rows than it may dispatch.
 */
import type { DispatchQueue, DispatchRequest, EnqueueOptions, RowsRequest } from '../../src/app/ports';
import { IntegrationError } from '../../src/app/errors';
import { rowsRequest, sweepRequest } from '../../src/app/requests';

const runs: string[][] = [];
let failWhen: (rowIds: string[]) => Error | null = () => null;
jest.mock('../../src/app/dispatch', () => ({
  dispatchInvoices: async (_deps: unknown, request: RowsRequest) => {
    runs.push(request.rowIds);
    const err = failWhen(request.rowIds);
    if (err) throw err;
    return [];
  },
}));
jest.mock('../../src/app/sweep', () => ({
  sweepOneAdministration: async () => ({ division: 1, name: 'A', open: 0, created: 0, enqueued: 0 }),
}));
const gaveUp: string[][] = [];
jest.mock('../../src/app/gaveUp', () => ({
  markGaveUp: async (_deps: unknown, request: RowsRequest) => void gaveUp.push(request.rowIds),
}));

// Imported after the mocks.
import { DELIVERY_ROWS_MAX, handleDeliveries, type WorkerDeps } from '../../src/app/worker';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const ADMIN = { id: 'aaaaaaaa-0000-4000-8000-000000000001', division: null };

class Transient extends IntegrationError {
  readonly transient = true;
  readonly reason = 'exact_rejected' as const;
}

function setup() {
  const sent: Array<{ request: DispatchRequest; options: EnqueueOptions }> = [];
  const queue: DispatchQueue = { enqueue: async (request, options) => void sent.push({ request, options }) };
  const deps = {
    dispatch: { queue, clock: { now: () => NOW } },
    sweep: {},
    maxDeliveryCount: 10,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as unknown as WorkerDeps;
  return { deps, sent };
}

const event = (row: string, deliveryCount = 1) => ({
  request: rowsRequest('demo', ADMIN, [row], 'webhook', NOW),
  delivery: { deliveryCount, messageId: `demo:event:${row}` },
});

beforeEach(() => {
  runs.length = 0;
  gaveUp.length = 0;
  failWhen = () => null;
});

describe('handleDeliveries (decision 0100)', () => {
  test('when several events of one administration come in one delivery, then they go as one dispatch and all complete; a sweep request goes alone', async () => {
    const { deps } = setup();
    const sweep = {
      request: sweepRequest('demo', { id: ADMIN.id, division: 1 }, false, NOW),
      delivery: { deliveryCount: 1, messageId: 'demo:sweep' },
    };
    const results = await handleDeliveries(deps, [event('r1'), sweep, event('r2'), event('r3'), event('r1')]);
    expect(runs).toEqual([['r1', 'r2', 'r3']]);
    expect(results.map((r) => r.kind)).toEqual(['complete', 'complete', 'complete', 'complete', 'complete']);
  });

  test('when the coalesced run fails without a hint, then each message runs alone and only the failing one is abandoned', async () => {
    const { deps } = setup();
    failWhen = (rows) => (rows.includes('poison') ? new Transient('Exact answered 503') : null);
    const results = await handleDeliveries(deps, [event('r1'), event('poison'), event('r2')]);
    expect(runs).toEqual([['r1', 'poison', 'r2'], ['r1'], ['poison'], ['r2']]);
    expect(results.map((r) => r.kind)).toEqual(['complete', 'abandon', 'complete']);
  });

  test('when the coalesced run fails with a server hint, then its rows come back as one retry at that instant and every message completes', async () => {
    const { deps, sent } = setup();
    failWhen = () => Object.assign(new Transient('429'), { retryAfterMs: 30_000 });
    const results = await handleDeliveries(deps, [event('r1'), event('r2')]);
    expect(runs).toEqual([['r1', 'r2']]);
    expect(results.map((r) => r.kind)).toEqual(['complete', 'complete']);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.request).toMatchObject({ kind: 'rows', rowIds: ['r1', 'r2'], trigger: 'retry' });
    expect(sent[0]!.options.scheduledFor).toEqual(new Date(NOW.getTime() + 30_000));
  });

  test('when a message on its last delivery fails in the coalesced run and alone, then it alone is given up; the other goes on', async () => {
    const { deps } = setup();
    failWhen = (rows) => (rows.includes('r1') ? new Transient('reset') : null);
    const results = await handleDeliveries(deps, [event('r1', 10), event('r2', 3)]);
    expect(runs).toEqual([['r1', 'r2'], ['r1'], ['r2']]);
    expect(gaveUp).toEqual([['r1']]);
    expect(results.map((r) => r.kind)).toEqual(['abandon', 'complete']);
  });

  test('when a delivery holds more rows than it may dispatch, then the rest is handed back unattempted on its session and completed', async () => {
    const { deps, sent } = setup();
    const batch = (n: number) => ({
      request: rowsRequest(
        'demo',
        { id: ADMIN.id, division: 1 },
        Array.from({ length: 50 }, (_, i) => `b${n}-${i}`),
        'sweep',
        NOW,
      ),
      delivery: { deliveryCount: 1, messageId: `demo:sweep:b${n}` },
    });
    const results = await handleDeliveries(deps, [batch(1), batch(2), batch(3)]);
    expect(runs.flat()).toHaveLength(DELIVERY_ROWS_MAX);
    expect(results.map((r) => r.kind)).toEqual(['complete', 'complete', 'complete']);
    expect(sent.map((s) => [s.options.messageId, s.options.sessionId])).toEqual([
      ['demo:carry:demo:sweep:b3', `demo:${ADMIN.id}`],
    ]);
    expect(sent[0]!.request).toEqual(batch(3).request);
  });
});
