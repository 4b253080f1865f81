/**
 * Issue 19 item 2's acceptance: with a connection string, one invoice from the webhook through the queue
 * to the print is one operation in Application Insights — its outcome event and its Exact and Dataverse
 * dependencies — and no telemetry item holds a secret, a token or an e-mail address (decision 0063).
 *
 * The runtime is built by the real composition root with APPLICATIONINSIGHTS_CONNECTION_STRING set, so the
 * real adapter calls applicationinsights' useAzureMonitor. In-memory exporters (OpenTelemetry's own, added
 * beside Azure Monitor's through RuntimeOverrides.telemetryExporters) see exactly what that exporter is given.
 */
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { InvocationContext } from '@azure/functions';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  InMemoryLogRecordExporter,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { flushAzureMonitor } from 'applicationinsights';
import { dispatchWorker } from '../../functions/dispatchWorker';
import { createRuntime, type BuiltRuntime } from '../../src/composition/createRuntime';
import { setRuntime } from '../../src/composition/runtime';
import { createLogger } from '../../src/composition/log';
import { InProcessQueue } from '../../src/adapters/queue/inProcessQueue';
import { systemClock } from '../../src/adapters/queue/clock';
import { createTokenStore } from '../../src/adapters/exact';
import { createTableClient } from '../../src/adapters/store/tables';
import { DISPATCH_MAX_DELIVERY_COUNT } from '../../src/config/queueLimits';
import { DEMO_ORGANIZATION_ID, relations, administrations } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import type { LocalStack } from '../../src/local/stack';
import { demoRow, postWebhook, printsOf, settleQueue, useManualClockStack } from './helpers';

// The exporter's own usage reports go to a Microsoft endpoint; nothing here may leave the machine.
process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = 'true';
// Nor may the Azure VM resource detector ask the instance metadata service (169.254.169.254).
process.env.OTEL_NODE_RESOURCE_DETECTORS = 'env,host,os';

const { clock, env } = useManualClockStack(new Date('2026-05-12T08:01:00Z'));
const spans = new InMemorySpanExporter();
const logRecords = new InMemoryLogRecordExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
let runtime: BuiltRuntime;
let queue: InProcessQueue;

/**
 * Where Azure Monitor's exporters send: an HTTP client in memory (the exporter's own `httpClient` option),
 * answering as the ingestion endpoint does. No socket is opened and nothing leaves the machine; the test reads
 * the envelopes exactly as they would have gone out.
 */
const sent: string[] = [];
const ingestion: HttpClient = {
  sendRequest: async (request: PipelineRequest) => {
    const body = request.body;
    const raw = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : '');
    const gzip = /gzip/i.test(request.headers.get('content-encoding') ?? '');
    sent.push((gzip ? gunzipSync(raw) : raw).toString('utf8'));
    return {
      request,
      status: 200,
      headers: createHttpHeaders({ 'content-type': 'application/json' }),
      bodyAsText: JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }),
    };
  },
};

/**
 * Azure Monitor's exporter polls a Microsoft settings service from a process-wide timer it never stops
 * (OneSettings, @azure/monitor-opentelemetry-exporter 1.0.0-beta.47): stopped here, so that no name is looked
 * up beyond loopback and no timer outlives this file.
 */
async function stopSettingsPolling(): Promise<void> {
  const root = path.dirname(require.resolve('@azure/monitor-opentelemetry-exporter/package.json'));
  const manager = (await import(path.join(root, 'dist/commonjs/_configuration/configurationManager.js'))) as {
    ConfigurationManager: { getInstance(): { shutdown(): void } };
  };
  manager.ConfigurationManager.getInstance().shutdown();
}

beforeAll(async () => {
  const stack = env.stack;
  queue = new InProcessQueue({ clock, timers: clock, maxDeliveryCount: DISPATCH_MAX_DELIVERY_COUNT });
  const connectionString = `InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=https://ingestion.invalid/`;
  runtime = await createRuntime(
    { ...stack.runtime.settings, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString },
    {
      clock,
      exactClock: systemClock,
      exactSleep: async () => undefined,
      queue,
      log: createLogger(() => undefined),
      onDispatch: () => undefined,
      telemetryExporters: {
        spanProcessors: [new SimpleSpanProcessor(spans)],
        logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logRecords })],
        metricReaders: [reader],
        ingestionClient: ingestion,
      },
    },
  );
  await stopSettingsPolling();
  setRuntime(runtime);
  queue.process((body, ctx) =>
    dispatchWorker(
      body,
      new InvocationContext({
        functionName: 'dispatchWorker',
        triggerMetadata: { messageId: ctx.messageId, deliveryCount: ctx.deliveryCount },
      }),
    ),
  );
}, 60_000);

afterAll(async () => {
  await queue?.close();
  await runtime?.close();
});

/** Every string a telemetry item carries: names, bodies, attribute values. */
function strings(items: Array<ReadableSpan | ReadableLogRecord>): string[] {
  return items.flatMap((i) => [
    'name' in i ? i.name : String(i.body ?? ''),
    ...Object.entries(i.attributes).map(([k, v]) => `${k}=${String(v)}`),
  ]);
}

/** The tenant's secrets as configured, and the Exact access token the connector holds for it. */
async function secretsOf(): Promise<string[]> {
  const s = runtime.settings;
  const t = s.Tenants.demo!;
  const tokens = createTokenStore({
    table: createTableClient(s.Storage__ConnectionString, 'exacttokens'),
    encryptionKey: s.TokenEncryptionKey,
    client: { clientId: t.ExactClientId, clientSecret: t.ExactClientSecret },
    clock: systemClock,
  });
  const accessToken = await tokens.getAccessToken('demo');
  return [
    t.ClientSecret,
    t.WebhookSecret,
    t.ExactClientSecret,
    t.Licence!,
    s.TokenEncryptionKey,
    accessToken,
  ];
}

/** The demo's e-mail addresses (relations and administrations), and any address-shaped text. */
const demoAddresses = [
  ...relations.flatMap((r) => (r.email ?? '').split(';')),
  ...administrations.map((a) => a.notifyEmail ?? ''),
]
  .map((e) => e.trim())
  .filter(Boolean);
const ADDRESS = /[^\s@"=]+@[^\s@"]+\.[a-z]{2,}/i;

describe('telemetry of one invoice: webhook → queue → worker → Exact and Dataverse', () => {
  test('when Dataverse posts an event for a ready invoice, then its outcome event and every Exact and Dataverse dependency share one operation id, and no item holds a secret, token or address', async () => {
    const res = await postWebhook(
      serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, 'I1'))),
    );
    expect(res.status).toBe(202);
    await settleQueue({ ...env.stack, queue } as LocalStack, clock, 60_000);
    expect(printsOf(env.stack, 'I1')).toHaveLength(1);
    // Exports wait for the resource's detected attributes: flush, as the host does at the end.
    await flushAzureMonitor();

    const finished = spans.getFinishedSpans();
    const events = logRecords
      .getFinishedLogRecords()
      .filter((l) => l.attributes['microsoft.custom_event.name'] === 'InvoiceOutcome');
    expect(events.map((e) => e.attributes)).toEqual([
      expect.objectContaining({
        tenant: 'demo',
        administration: '100001',
        channel: 'email',
        outcome: 'sent',
        reason: 'sent',
      }),
    ]);
    const webhook = finished.find((s) => s.name === 'dataverse webhook')!;
    const worker = finished.find((s) => s.name === 'dispatch webhook')!;
    expect([webhook.kind, worker.kind, worker.parentSpanContext?.spanId]).toEqual([
      SpanKind.SERVER,
      SpanKind.SERVER,
      webhook.spanContext().spanId,
    ]);

    const deps = finished.filter((s) => s.kind === SpanKind.CLIENT);
    const exact = deps.filter((s) => s.attributes['autoinvoice.service'] === 'Exact').map((s) => s.name);
    const dataverse = deps
      .filter((s) => s.attributes['autoinvoice.service'] === 'Dataverse')
      .map((s) => s.name);
    expect(exact).toEqual(
      expect.arrayContaining(['GET salesinvoice/SalesInvoices', 'POST salesinvoice/PrintedSalesInvoices']),
    );
    expect(dataverse).toEqual(expect.arrayContaining(['write dispatch status']));
    for (const d of deps) {
      expect(d.name).not.toMatch(/[?$]|guid|[0-9a-f]{8}-[0-9a-f]{4}/i);
      expect(d.attributes['server.address']).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(d.attributes['http.response.status_code'] ?? 'none').not.toBe(0);
    }
    expect(
      deps.find((s) => s.name === 'POST salesinvoice/PrintedSalesInvoices')!.attributes[
        'http.response.status_code'
      ],
    ).toBe(201);

    const operation = webhook.spanContext().traceId;
    expect(
      new Set([
        ...finished.map((s) => s.spanContext().traceId),
        ...events.map((e) => e.spanContext?.traceId),
      ]),
    ).toEqual(new Set([operation]));

    await reader.forceFlush();
    const points = new Map(
      metricExporter
        .getMetrics()
        .flatMap((r) =>
          r.scopeMetrics.flatMap((m) => m.metrics.map((x) => [x.descriptor.name, x.dataPoints] as const)),
        ),
    );
    const exactCalls = deps.filter((s) => s.attributes['autoinvoice.service'] === 'Exact').length;
    expect(
      points.get('ExactCallsPerInvoice')?.map((p) => [p.attributes, (p.value as { sum: number }).sum]),
    ).toEqual([[{ tenant: 'demo' }, exactCalls]]);
    expect(points.get('ExactBudgetRemaining')?.map((p) => p.attributes)).toEqual([
      { tenant: 'demo', administration: '100001' },
    ]);
    expect(points.get('QueueLagSeconds')?.map((p) => (p.value as { count: number }).count)).toEqual([1]);
    expect(points.get('EventToSentSeconds')?.map((p) => (p.value as { count: number }).count)).toEqual([1]);
    expect(points.get('LicenceDaysLeft')?.map((p) => [p.attributes, Math.round(p.value as number)])).toEqual([
      [{ tenant: 'demo' }, 365],
    ]);

    // What went out: Azure Monitor's envelopes for these spans and records, as the exporter sent them.
    expect(sent.join('\n')).toContain('InvoiceOutcome');
    const items = [...strings([...finished, ...logRecords.getFinishedLogRecords()]), ...sent];
    const secrets = await secretsOf();
    expect(demoAddresses.length).toBeGreaterThan(3);
    for (const value of items) {
      for (const s of [...secrets, ...demoAddresses])
        expect([value, value.includes(s)]).toEqual([value, false]);
      expect(value).not.toMatch(ADDRESS);
      expect(value).not.toMatch(/Bearer|eyJ[\w-]{8,}/);
    }
  });

  test('when Dataverse sends a traceparent with the webhook, then the operation continues it: the intake, the delivery, the dependencies and the outcome carry its trace id', async () => {
    spans.reset();
    logRecords.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const body = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, 'I2')));
    const res = await postWebhook(body, {
      'x-autoinvoice-key': 'demo-secret',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    expect(res.status).toBe(202);
    await settleQueue({ ...env.stack, queue } as LocalStack, clock, 60_000);
    await flushAzureMonitor();

    const finished = spans.getFinishedSpans();
    const webhook = finished.find((s) => s.name === 'dataverse webhook')!;
    expect(webhook.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(finished.filter((s) => s.kind === SpanKind.CLIENT).length).toBeGreaterThan(2);
    const events = logRecords
      .getFinishedLogRecords()
      .filter((l) => l.attributes['microsoft.custom_event.name'] === 'InvoiceOutcome');
    expect(events.map((e) => e.attributes.outcome)).toEqual(['sent']);
    expect(
      new Set([
        ...finished.map((s) => s.spanContext().traceId),
        ...events.map((e) => e.spanContext?.traceId),
      ]),
    ).toEqual(new Set([traceId]));
  });
});
