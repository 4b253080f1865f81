/** The dispatch queue's port and the requests it carries (re-exported by ports.ts). */
export type DispatchTrigger = 'webhook' | 'servicebus' | 'sweep' | 'schedule' | 'resend' | 'batch' | 'retry';

/**
 * A request on the dispatch queue. Its session is `${tenantId}:${administrationId}` (lower case), or
 * `${tenantId}:row:${rowId}` when the event did not name the administration (see src/app/requests.ts).
 */
export type DispatchRequest = RowsRequest | SweepRequest;

/** Rows of one administration handled in one delivery (one Exact status call confirms them all). */
export interface RowsRequest {
  kind: 'rows';
  tenantId: string;
  /** At least one Dataverse `eol_salesinvoice` row id. */
  rowIds: string[];
  administrationId: string | null;
  division: number | null;
  trigger: DispatchTrigger;
  requestedAt: string;
  /** W3C traceparent of the operation that asked (telemetry, decision 0063); absent in older messages. */
  traceparent?: string;
}

/** Sweep one administration: its quarter-hour sweep, or the full one at 00:05. */
export interface SweepRequest {
  kind: 'sweep';
  tenantId: string;
  administrationId: string;
  division: number;
  sweep: 'quarter' | 'full';
  requestedAt: string;
  /** As on RowsRequest. */
  traceparent?: string;
}

export interface EnqueueOptions {
  messageId: string;
  sessionId: string;
  /** Deliver not before this instant (Service Bus scheduled message). */
  scheduledFor?: Date;
}

export interface DispatchQueue {
  /** Sends (or schedules) one request; a repeated messageId is dropped by duplicate detection. */
  enqueue(request: DispatchRequest, options: EnqueueOptions): Promise<void>;
}

export interface Clock {
  now(): Date;
}
