import type { DispatchQueue, DispatchRequest, EnqueueOptions } from '../../src/app/ports';
import {
  enqueueEvent,
  enqueueRowBatches,
  enqueueSplit,
  MESSAGE_ID_MAX,
  messageId,
  retryLater,
  rowsRequest,
  sessionFor,
  sweepRequest,
} from '../../src/app/requests';

const NOW = new Date('2026-05-12T10:00:00.000Z');
const ADMIN = 'AAAAAAAA-0000-4000-8000-000000000001';

function recording(): DispatchQueue & { sent: Array<{ request: DispatchRequest; options: EnqueueOptions }> } {
  const sent: Array<{ request: DispatchRequest; options: EnqueueOptions }> = [];
  return { sent, enqueue: async (request, options) => void sent.push({ request, options }) };
}

describe('queue requests, message ids and sessions (one module)', () => {
  test('when events arrive with a 2 s window, then each is scheduled for the end of its aligned window, its id unchanged; without a window, then at once', async () => {
    const q = recording();
    const at = (ms: number) =>
      rowsRequest('demo', { id: ADMIN, division: null }, ['r1'], 'webhook', new Date(NOW.getTime() + ms));
    await enqueueEvent(q, at(0), 'op-1', 2_000);
    await enqueueEvent(q, at(1_999), 'op-2', 2_000);
    await enqueueEvent(q, at(2_000), 'op-3', 2_000);
    await enqueueEvent(q, at(500), 'op-4');
    expect(q.sent.map((s) => s.options.scheduledFor?.toISOString())).toEqual([
      '2026-05-12T10:00:02.000Z',
      '2026-05-12T10:00:02.000Z',
      '2026-05-12T10:00:04.000Z',
      undefined,
    ]);
    expect(q.sent.map((s) => s.options.messageId)).toEqual([
      'demo:event:r1:op-1',
      'demo:event:r1:op-2',
      'demo:event:r1:op-3',
      'demo:event:r1:op-4',
    ]);
  });

  test('when an id fits Service Bus’s 128 characters, then it is the readable join; when it would not, then it keeps its start and ends in a hash', () => {
    expect(messageId('demo', 'retry', 'row-1', 5)).toBe('demo:retry:row-1:5');
    const long = messageId('tenant-with-a-long-name', 'split', 'x'.repeat(200));
    const other = messageId('tenant-with-a-long-name', 'split', `${'x'.repeat(199)}y`);
    expect(long.length).toBe(MESSAGE_ID_MAX);
    expect(long.startsWith('tenant-with-a-long-name:split:xxx')).toBe(true);
    expect(other).not.toBe(long);
  });

  test('when a request names its administration, then its session is tenant:administration in lower case; without one, then the row’s own', () => {
    expect(sessionFor('demo', ADMIN, 'row-1')).toBe(`demo:${ADMIN.toLowerCase()}`);
    expect(sessionFor('demo', null, 'row-1')).toBe('demo:row:row-1');
  });

  test('when rows are enqueued in batches, then each batch of the administration is one rows request on its session with a distinct id', async () => {
    const q = recording();
    const rows = Array.from({ length: 7 }, (_, i) => `row-${i}`);
    expect(
      await enqueueRowBatches(
        { queue: q, tenantId: 'demo' },
        { id: ADMIN, division: 1 },
        rows,
        'sweep',
        NOW,
        3,
      ),
    ).toBe(3);
    expect(q.sent.map((s) => s.request.kind === 'rows' && s.request.rowIds.length)).toEqual([3, 3, 1]);
    expect(new Set(q.sent.map((s) => s.options.messageId)).size).toBe(3);
    expect(q.sent.every((s) => s.options.sessionId === `demo:${ADMIN.toLowerCase()}`)).toBe(true);
  });

  test('when a retry is asked twice for the same rows and instant, then both carry one id (Service Bus keeps one); a sweep request retries as itself', async () => {
    const q = recording();
    const request = rowsRequest('demo', { id: ADMIN, division: 1 }, ['r1', 'r2'], 'webhook', NOW);
    const at = new Date(NOW.getTime() + 60_000);
    await retryLater({ queue: q, now: NOW }, request, at);
    await retryLater({ queue: q, now: NOW }, request, at);
    expect(q.sent[0]!.options).toEqual(q.sent[1]!.options);
    expect(q.sent[0]!.options.scheduledFor).toEqual(at);
    expect(q.sent[0]!.request).toMatchObject({ kind: 'rows', rowIds: ['r1', 'r2'], trigger: 'retry' });
    await retryLater({ queue: q, now: NOW }, sweepRequest('demo', { id: ADMIN, division: 1 }, true, NOW), at);
    expect(q.sent[2]!.request).toMatchObject({ kind: 'sweep', sweep: 'full' });
  });

  test('when a batch is split, then each row goes on as its own message with the batch’s trigger and ids within the limit', async () => {
    const q = recording();
    const batch = rowsRequest('demo', { id: ADMIN, division: 1 }, ['r1', 'r2'], 'resend', NOW);
    await enqueueSplit(q, batch, 'm'.repeat(300), NOW);
    expect(q.sent.map((s) => s.request)).toEqual([
      expect.objectContaining({ rowIds: ['r1'], trigger: 'resend' }),
      expect.objectContaining({ rowIds: ['r2'], trigger: 'resend' }),
    ]);
    expect(q.sent.every((s) => s.options.messageId.length <= MESSAGE_ID_MAX)).toBe(true);
  });
});
