/**
 * The operation id travels on the dispatch request (decision 0063): optional on the wire so older messages
 * still parse, and kept by every builder that makes a request out of another one.
 */
import { parseDispatchRequest } from '../../src/adapters/queue/dispatchMessage';
import { createTelemetry } from '../../src/adapters/telemetry';
import type { DispatchQueue, DispatchRequest, RowsRequest } from '../../src/app/ports';
import { enqueueSplit, retryLater, rowsRequest, scheduleRow, sweepRequest } from '../../src/app/requests';
import { deliveryOperation, noTelemetry } from '../../src/app/telemetry';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const NOW = new Date('2026-05-12T08:00:00Z');

function capture(): DispatchQueue & { sent: DispatchRequest[] } {
  const sent: DispatchRequest[] = [];
  return { sent, enqueue: async (r) => void sent.push(r) };
}

const traced = (): RowsRequest =>
  rowsRequest('demo', { id: 'ADMIN', division: 1 }, ['r1', 'r2'], 'webhook', NOW, TP);

describe('traceparent on dispatch requests', () => {
  test('when a request is built with a traceparent, then it carries it; without one, then it has no such key', () => {
    expect(traced().traceparent).toBe(TP);
    expect('traceparent' in rowsRequest('demo', { id: null, division: null }, ['r1'], 'webhook', NOW)).toBe(
      false,
    );
    expect(sweepRequest('demo', { id: 'A', division: 1 }, false, NOW, TP).traceparent).toBe(TP);
  });

  test('when a request is retried, split or scheduled, then every message keeps its traceparent', async () => {
    const queue = capture();
    await retryLater({ queue, now: NOW }, traced(), new Date(NOW.getTime() + 60_000), ['r2']);
    await enqueueSplit(queue, traced(), 'batch-1', NOW);
    await scheduleRow(
      queue,
      rowsRequest('demo', { id: 'ADMIN', division: 1 }, ['r1'], 'schedule', NOW, traced().traceparent),
      'inv',
      NOW,
    );
    expect(queue.sent.map((r) => [r.kind === 'rows' ? r.trigger : r.kind, r.traceparent])).toEqual([
      ['retry', TP],
      ['webhook', TP],
      ['webhook', TP],
      ['schedule', TP],
    ]);
  });

  test('when a message without a traceparent (written before it existed) is read, then it parses; a malformed one is dropped, not dead-lettered', () => {
    const old = {
      kind: 'rows',
      tenantId: 'demo',
      rowIds: ['r1'],
      administrationId: null,
      division: null,
      trigger: 'webhook',
      requestedAt: NOW.toISOString(),
    };
    expect(parseDispatchRequest(old)).toEqual({ ok: true, request: old });
    expect(parseDispatchRequest(JSON.stringify({ ...old, traceparent: TP }))).toEqual({
      ok: true,
      request: { ...old, traceparent: TP },
    });
    const bad = parseDispatchRequest({ ...old, traceparent: 'x-<script>' });
    expect(bad.ok && bad.request.traceparent).toBeUndefined();
    expect(bad.ok).toBe(true);
  });

  test('when a delivery starts, then queue lag is measured only for requests that did not wait on purpose, and event → sent only for an event', () => {
    const webhook = deliveryOperation(traced());
    expect(webhook).toEqual({
      name: 'dispatch webhook',
      tenant: 'demo',
      traceparent: TP,
      queuedAt: NOW,
      eventAt: NOW,
    });
    const retry = deliveryOperation({ ...traced(), trigger: 'retry' });
    expect([retry.queuedAt, retry.eventAt]).toEqual([undefined, undefined]);
    const sweep = deliveryOperation(sweepRequest('demo', { id: 'A', division: 1 }, true, NOW));
    expect(sweep).toEqual({ name: 'sweep full', tenant: 'demo', queuedAt: NOW });
  });

  test('when no connection string is set, then telemetry is the no-op port, and an operation hands the given traceparent on', async () => {
    const off = await createTelemetry(undefined, { clock: { now: () => NOW } });
    expect(off).toBe(noTelemetry);
    await expect(off.withOperation({ name: 'x', traceparent: TP }, async (tp) => tp)).resolves.toBe(TP);
    expect(await createTelemetry('', { clock: { now: () => NOW } })).toBe(noTelemetry);
  });
});
