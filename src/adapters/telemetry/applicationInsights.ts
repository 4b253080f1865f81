/**
 * The Telemetry port on Application Insights (applicationinsights v3, which is Azure Monitor OpenTelemetry):
 * operations are spans (requests), Exact and Dataverse calls client spans (dependencies), outcomes log
 * records named as custom events, figures OpenTelemetry instruments (custom metrics). Decision 0063.
 *
 * Auto-collection is off: the HTTP instrumentation would record every URL with its query string (invoice
 * ids, filters) and a second dependency for each call recorded here; only what this file emits leaves.
 */
import {
  context,
  createContextKey,
  metrics,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import type { TokenCredential } from '@azure/identity';
import {
  flushAzureMonitor,
  shutdownAzureMonitor,
  useAzureMonitor,
  type AzureMonitorOpenTelemetryOptions,
} from 'applicationinsights';
import type { Clock } from '../../app/ports';
import type { DependencyCall, MetricName, Telemetry } from '../../app/telemetry';
import type { DispatchLine } from '../../app/dispatch/types';
import names from '../../../infra/telemetry.json';

/** What the Application Insights exporters get besides the connection string (tests add in-memory ones). */
export interface AppInsightsOptions {
  connectionString: string;
  /** Entra authentication (App Insights with local authentication off): the app's managed identity. */
  credential?: TokenCredential;
  /** The connector's clock: lag and latency are measured against the instants the requests carry. */
  clock: Clock;
  extra?: Pick<
    AzureMonitorOpenTelemetryOptions,
    'spanProcessors' | 'logRecordProcessors' | 'metricReaders'
  > & {
    /** Where the exporters send instead of the ingestion endpoint (tests: no socket, nothing leaves). */
    ingestionClient?: ExporterOptions['httpClient'];
  };
}

type ExporterOptions = NonNullable<AzureMonitorOpenTelemetryOptions['azureMonitorExporterOptions']>;

/** Counted per operation, for the figures per invoice and per event. */
interface OperationState {
  tenant: string | undefined;
  eventAt: number | undefined;
  exactCalls: number;
  outcomes: number;
}

const OPERATION = createContextKey('autoinvoice.operation');
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/** The custom-event marker Azure Monitor's log exporter turns into a customEvents row. */
const CUSTOM_EVENT = 'microsoft.custom_event.name';
const d = names.dimensions;

export function createAppInsightsTelemetry(opts: AppInsightsOptions): Telemetry {
  const { ingestionClient, ...processors } = opts.extra ?? {};
  useAzureMonitor({
    azureMonitorExporterOptions: {
      connectionString: opts.connectionString,
      ...(opts.credential ? { credential: opts.credential } : {}),
      ...(ingestionClient ? { httpClient: ingestionClient } : {}),
    },
    // Every operation is kept: the default rate limit (5 traces a second) would drop whole invoices in a burst.
    tracesPerSecond: 0,
    samplingRatio: 1,
    enableLiveMetrics: false,
    enableAutoCollectExceptions: false,
    enableAutoCollectPerformance: false,
    instrumentationOptions: {
      http: { enabled: false },
      azureSdk: { enabled: false },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
    },
    ...processors,
  });
  const tracer = trace.getTracer('autoinvoice');
  const logger = logs.getLogger('autoinvoice');
  const figures = instruments();
  const nowMs = () => opts.clock.now().getTime();
  const state = (): OperationState | undefined =>
    context.active().getValue(OPERATION) as OperationState | undefined;
  const metric = (name: MetricName, value: number, dims: Record<string, string>) =>
    figures[name](value, dims);

  return {
    withOperation: (start, fn) => {
      const s: OperationState = {
        tenant: start.tenant,
        eventAt: start.eventAt?.getTime(),
        exactCalls: 0,
        outcomes: 0,
      };
      const parent = continued(start.traceparent).setValue(OPERATION, s);
      return tracer.startActiveSpan(start.name, { kind: SpanKind.SERVER }, parent, async (span) => {
        if (start.queuedAt)
          metric(
            'queueLagSeconds',
            Math.max(0, nowMs() - start.queuedAt.getTime()) / 1000,
            tenantDims(s.tenant),
          );
        try {
          return await fn(traceparentOf(span));
        } catch (err) {
          // The status only: an error's message may quote what Exact or Dataverse answered.
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw err;
        } finally {
          if (s.outcomes > 0) metric('exactCallsPerInvoice', s.exactCalls / s.outcomes, tenantDims(s.tenant));
          span.end();
        }
      });
    },
    outcome: safe((line: DispatchLine) => {
      const s = state();
      if (s) s.outcomes++;
      logger.emit({
        body: names.events.outcome,
        attributes: { [CUSTOM_EVENT]: names.events.outcome, ...outcomeDims(line) },
      });
      if (line.outcome === 'sent' && s?.eventAt !== undefined) {
        metric('eventToSentSeconds', Math.max(0, nowMs() - s.eventAt) / 1000, tenantDims(line.tenantId));
      }
    }),
    dependency: safe((call: DependencyCall) => {
      const s = state();
      if (s && call.type === 'Exact') s.exactCalls++;
      dependencySpan(tracer.startSpan(call.name, spanOptions(call), context.active()), call);
    }),
    metric,
    close: async () => {
      await flushAzureMonitor();
      await shutdownAzureMonitor();
    },
  };
}

/** Telemetry never fails a dispatch: a fault in recording is dropped. */
function safe<A extends unknown[]>(record: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      record(...args);
    } catch {
      // nothing to do: the invoice matters, its telemetry item does not
    }
  };
}

/** The dimensions infra/telemetry.json names; the administration is the Exact division. Never a text or address. */
function outcomeDims(line: DispatchLine): Record<string, string> {
  return {
    [d.tenant]: line.tenantId,
    [d.administration]: line.division === null ? '' : String(line.division),
    [d.channel]: line.channel ?? '',
    [d.outcome]: line.outcome,
    [d.reason]: line.reason,
  };
}

const tenantDims = (tenant: string | undefined): Record<string, string> =>
  tenant ? { [d.tenant]: tenant } : {};

function instruments(): Record<MetricName, (value: number, dims: Record<string, string>) => void> {
  const meter = metrics.getMeter('autoinvoice');
  const m = names.metrics;
  const histogram = (name: string, unit: string) => {
    const h = meter.createHistogram(name, { unit });
    return (value: number, dims: Record<string, string>) => h.record(value, dims);
  };
  const counter = meter.createCounter(m.exact429);
  const licence = meter.createGauge(m.licenceDaysLeft, { unit: 'd' });
  return {
    exactCallsPerInvoice: histogram(m.exactCallsPerInvoice, '{call}'),
    exactBudgetRemaining: histogram(m.exactBudgetRemaining, '{call}'),
    queueLagSeconds: histogram(m.queueLagSeconds, 's'),
    eventToSentSeconds: histogram(m.eventToSentSeconds, 's'),
    exact429: (value, dims) => counter.add(value, dims),
    licenceDaysLeft: (value, dims) => licence.record(value, dims),
  };
}

/** HTTP semantic conventions without a URL: the exporter then keeps our name and reports no query string. */
function spanOptions(call: DependencyCall) {
  const method = /^[A-Z]+(?= )/.exec(call.name)?.[0] ?? '_OTHER';
  return {
    kind: SpanKind.CLIENT,
    startTime: call.startedAt,
    attributes: {
      'http.request.method': method,
      'server.address': call.target,
      ...(call.resultCode === null ? {} : { 'http.response.status_code': call.resultCode }),
      ...(call.tenant ? { [d.tenant]: call.tenant } : {}),
      'autoinvoice.service': call.type,
    },
  };
}

function dependencySpan(span: Span, call: DependencyCall): void {
  span.setStatus({ code: call.success ? SpanStatusCode.OK : SpanStatusCode.ERROR });
  span.end(call.startedAt + call.durationMs);
}

/** A valid W3C traceparent is continued; anything else starts a new operation (never the ambient one). */
function continued(traceparent: string | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: m[2]!,
    spanId: m[3]!,
    traceFlags: parseInt(m[4]!, 16),
    isRemote: true,
  });
}

function traceparentOf(span: Span): string {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-0${c.traceFlags & TraceFlags.SAMPLED}`;
}
