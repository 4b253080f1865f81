/**
 * Every request the connector puts on its dispatch queue is built here, with its message id and session:
 * one place that knows how requests collapse (duplicate detection on the message id) and which consumer
 * owns them (the session: one per tenant and administration, so one consumer spends an Exact budget).
 */
import { createHash } from 'node:crypto';
import type { AdministrationFacts } from '../domain/types';
import type { DispatchQueue, DispatchRequest, DispatchTrigger, RowsRequest, SweepRequest } from './ports';

/** Service Bus refuses a message id over 128 characters. */
export const MESSAGE_ID_MAX = 128;

/**
 * `tenant:cause:part:…`. An id that would be longer keeps its readable start and ends in a hash of the
 * whole, so distinct requests never collapse into one.
 */
export function messageId(tenantId: string, cause: string, ...parts: Array<string | number>): string {
  const full = [tenantId, cause, ...parts].join(':');
  if (full.length <= MESSAGE_ID_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 24);
  return `${full.slice(0, MESSAGE_ID_MAX - hash.length - 1)}~${hash}`;
}

/**
 * One session per tenant and administration keeps one consumer per Exact rate budget. A request that
 * names no administration (an update event without it) gets a session of its own row.
 */
export function sessionFor(tenantId: string, administrationId: string | null, rowId: string | null): string {
  return administrationId ? `${tenantId}:${administrationId.toLowerCase()}` : `${tenantId}:row:${rowId}`;
}

export function sessionOf(request: DispatchRequest): string {
  return request.kind === 'sweep'
    ? sessionFor(request.tenantId, request.administrationId, null)
    : sessionFor(request.tenantId, request.administrationId, request.rowIds[0] ?? null);
}

export function rowsRequest(
  tenantId: string,
  admin: { id: string | null; division: number | null },
  rowIds: string[],
  trigger: DispatchTrigger,
  now: Date,
  traceparent?: string,
): RowsRequest {
  const administrationId = admin.id === null ? null : admin.id.toLowerCase();
  const ids = [...new Set(rowIds)];
  return {
    kind: 'rows',
    tenantId,
    rowIds: ids,
    administrationId,
    division: admin.division,
    trigger,
    requestedAt: now.toISOString(),
    ...traced(traceparent),
  };
}

/** The operation that asked travels with the request (decision 0063); a retry, split or schedule keeps it. */
function traced(traceparent: string | undefined): { traceparent?: string } {
  return traceparent ? { traceparent } : {};
}

export function sweepRequest(
  tenantId: string,
  admin: Pick<AdministrationFacts, 'id' | 'division'>,
  full: boolean,
  now: Date,
  traceparent?: string,
): SweepRequest {
  const administrationId = admin.id.toLowerCase();
  return {
    kind: 'sweep',
    tenantId,
    administrationId,
    division: admin.division,
    sweep: full ? 'full' : 'quarter',
    requestedAt: now.toISOString(),
    ...traced(traceparent),
  };
}

/** The same request again, for `rowIds` only (all of them when omitted), as a retry (its traceparent kept). */
export function retryOf(request: DispatchRequest, now: Date, rowIds?: string[]): DispatchRequest {
  if (request.kind === 'sweep') return { ...request, requestedAt: now.toISOString() };
  return { ...request, rowIds: rowIds ?? request.rowIds, trigger: 'retry', requestedAt: now.toISOString() };
}

/**
 * The one retry mechanism: the request (or the named rows of it) comes back at `at`. Spends no delivery.
 * A repeated retry for the same rows and instant collapses into one message.
 */
export async function retryLater(
  deps: { queue: DispatchQueue; now: Date },
  request: DispatchRequest,
  at: Date,
  rowIds?: string[],
): Promise<void> {
  const retry = retryOf(request, deps.now, rowIds);
  if (retry.kind === 'rows' && retry.rowIds.length === 0) return;
  const subject =
    retry.kind === 'sweep' ? `sweep:${retry.administrationId}` : `${retry.rowIds[0]}:${retry.rowIds.length}`;
  await deps.queue.enqueue(retry, {
    messageId: messageId(retry.tenantId, 'retry', subject, at.getTime()),
    sessionId: sessionOf(retry),
    scheduledFor: at,
  });
}

/** An invoice due at a later instant: one message for that invoice and instant, however often it is decided. */
export async function scheduleRow(
  queue: DispatchQueue,
  request: RowsRequest,
  exactInvoiceId: string,
  at: Date,
): Promise<void> {
  await queue.enqueue(request, {
    messageId: messageId(request.tenantId, 'at', exactInvoiceId, at.toISOString()),
    sessionId: sessionOf(request),
    scheduledFor: at,
  });
}

/**
 * Rows per dispatch batch (sweep, resend after reconnect, a person's batch): Exact's 60-row page, so one
 * status call confirms a whole batch and one accounts read covers its receivers (decisions 0095, 0152).
 */
export const ROWS_PER_BATCH = 60;

/**
 * Enqueues rows of one administration in batches (one Exact status call confirms a batch), on the
 * administration's session. Ids name the cause and the instant, so a repeated call collapses.
 */
export async function enqueueRowBatches(
  deps: { queue: DispatchQueue; tenantId: string; traceparent?: string },
  admin: Pick<AdministrationFacts, 'id' | 'division'>,
  rowIds: string[],
  trigger: DispatchTrigger,
  now: Date,
  batchSize = ROWS_PER_BATCH,
): Promise<number> {
  let n = 0;
  for (let i = 0; i < rowIds.length; i += batchSize) {
    const request = rowsRequest(
      deps.tenantId,
      admin,
      rowIds.slice(i, i + batchSize),
      trigger,
      now,
      deps.traceparent,
    );
    await deps.queue.enqueue(request, {
      messageId: messageId(deps.tenantId, trigger, request.administrationId ?? '', now.toISOString(), n++),
      sessionId: sessionOf(request),
    });
  }
  return n;
}

/** A sweep request of one timer tick: overlapping timers of the same tick collapse into one. */
export async function enqueueSweep(queue: DispatchQueue, request: SweepRequest, tick: string): Promise<void> {
  await queue.enqueue(request, {
    messageId: messageId(
      request.tenantId,
      'sweep',
      request.administrationId,
      tick,
      ...(request.sweep === 'full' ? ['full'] : []),
    ),
    sessionId: sessionOf(request),
  });
}

/** A batch that kept failing goes on as one message per invoice (see the worker policy). */
export async function enqueueSplit(
  queue: DispatchQueue,
  request: RowsRequest,
  batchMessageId: string,
  now: Date,
): Promise<void> {
  const batch = createHash('sha256').update(batchMessageId).digest('hex').slice(0, 16);
  for (const rowId of request.rowIds) {
    // The trigger (and the traceparent) stay: a resend batch split up is still a resend.
    const single: RowsRequest = { ...request, rowIds: [rowId], requestedAt: now.toISOString() };
    await queue.enqueue(single, {
      messageId: messageId(request.tenantId, 'split', batch, rowId),
      sessionId: sessionOf(single),
    });
  }
}

/**
 * The end of the event window `at` falls in: windows of `windowMs` aligned on the epoch, so every instance
 * schedules the events of one window to the same instant without sharing any state (decision 0100).
 */
export function eventWindowEnd(at: Date, windowMs: number): Date {
  return new Date((Math.floor(at.getTime() / windowMs) + 1) * windowMs);
}

/**
 * A Dataverse event's request: the operation key makes a redelivered event the same message. With a window,
 * it is scheduled for the end of the window its event arrived in, so the events of one administration in
 * that window become ready together and the worker dispatches them as one batch (one status confirmation).
 */
export async function enqueueEvent(
  queue: DispatchQueue,
  request: RowsRequest,
  operationKey: string,
  windowMs = 0,
): Promise<{ messageId: string; sessionId: string }> {
  const ids = {
    messageId: messageId(request.tenantId, 'event', request.rowIds[0]!, operationKey),
    sessionId: sessionOf(request),
  };
  const scheduledFor = windowMs > 0 ? eventWindowEnd(new Date(request.requestedAt), windowMs) : undefined;
  await queue.enqueue(request, scheduledFor ? { ...ids, scheduledFor } : ids);
  return ids;
}

/** A chunk of a person's batch that met a fault: the queue retries it. */
export async function enqueueBatchChunk(queue: DispatchQueue, request: RowsRequest): Promise<void> {
  await queue.enqueue(request, {
    messageId: messageId(
      request.tenantId,
      'batch',
      request.rowIds[0]!,
      request.requestedAt,
      request.rowIds.length,
    ),
    sessionId: sessionOf(request),
  });
}
