/**
 * The telemetry port (issue 19, decision 0063): what the connector tells Application Insights. Owned here so
 * the use cases and adapters depend on this, never on the SDK. Off (the no-op below) unless a connection
 * string is set. Nothing here may carry an address, token, secret, invoice text or message.
 */
import type { DispatchLine } from './dispatch/types';
import type { DispatchRequest } from './ports';

/** Names of infra/telemetry.json's metrics (the adapter maps them to the names the alerts query). */
export type MetricName =
  | 'exactCallsPerInvoice'
  | 'exact429'
  | 'exactBudgetRemaining'
  | 'queueLagSeconds'
  | 'eventToSentSeconds'
  | 'licenceDaysLeft';

/** One HTTP call to Exact or Dataverse. `name` has no query string, id or filter: `GET salesinvoice/SalesInvoices`. */
export interface DependencyCall {
  type: 'Exact' | 'Dataverse';
  /** Host only, e.g. `start.exactonline.nl`. */
  target: string;
  name: string;
  /** Epoch ms when the request went on the wire. */
  startedAt: number;
  durationMs: number;
  /** HTTP status; null when no answer came (network fault) or the client does not report it. */
  resultCode: number | null;
  success: boolean;
  /** The tenant (the Exact connection id), where the caller knows it. */
  tenant?: string;
}

/** How an operation (a webhook, an event, a delivery) starts or continues. */
export interface OperationStart {
  name: string;
  tenant?: string;
  /** W3C traceparent to continue; without one a new operation starts. */
  traceparent?: string;
  /** When the dispatch request was put on the queue (queue lag is measured from it). */
  queuedAt?: Date;
  /** When the Dataverse event reached the connector (event → sent is measured from it). */
  eventAt?: Date;
}

export interface Telemetry {
  /** Runs `fn` as one operation; `fn` gets the traceparent to put on what it enqueues (undefined when off). */
  withOperation<T>(start: OperationStart, fn: (traceparent: string | undefined) => Promise<T>): Promise<T>;
  /** One dispatch outcome: event `InvoiceOutcome`. */
  outcome(line: DispatchLine): void;
  dependency(call: DependencyCall): void;
  metric(name: MetricName, value: number, dimensions: Record<string, string>): void;
  /** Sends what is buffered and stops (process end, tests). */
  close(): Promise<void>;
}

export const noTelemetry: Telemetry = {
  withOperation: (start, fn) => fn(start.traceparent),
  outcome: () => undefined,
  dependency: () => undefined,
  metric: () => undefined,
  close: async () => undefined,
};

/**
 * A delivery of a dispatch request as an operation. Queue lag counts from `requestedAt`, except for requests
 * that wait on purpose (retries and scheduled sends: their lag would be the wait). Event → sent counts only
 * for a request an event made (`requestedAt` is when the event reached the connector); a retry of it
 * carries a new `requestedAt` and is not counted (decision 0063).
 */
export function deliveryOperation(request: DispatchRequest): OperationStart {
  const at = new Date(request.requestedAt);
  const trigger = request.kind === 'rows' ? request.trigger : 'sweep';
  const delayed = trigger === 'retry' || trigger === 'schedule';
  return {
    name: request.kind === 'rows' ? `dispatch ${trigger}` : `sweep ${request.sweep}`,
    tenant: request.tenantId,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
    ...(delayed ? {} : { queuedAt: at }),
    ...(trigger === 'webhook' || trigger === 'servicebus' ? { eventAt: at } : {}),
  };
}
