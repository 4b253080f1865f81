/** The benchmark's flags and their defaults (`npm run bench -- --name value`; see docs/PERFORMANCE.md). */

const SCALE_DEFAULTS = {
  scale: false,
  scaleDivisions: 200,
  scaleInvoices: 500,
  scaleFactor: 5,
  scaleSessions: 0,
};

export const BENCH_DEFAULTS = {
  json: false,
  inProcess: false,
  events: 30,
  eventDivisions: 3,
  eventIntervalMs: 1000,
  eventWindowMs: 2000,
  burst: 10,
  /** Invoices sent by email from Dynamics 365 (issue 15), over `mailDivisions` administrations on that route. */
  mailInvoices: 30,
  mailDivisions: 2,
  divisions: 2,
  invoices: 300,
  factor: 5,
  exactLatency: 120,
  dataverseLatency: 40,
  webhookRate: 200,
  webhookSeconds: 10,
  coldStartRuns: 5,
  /** Exact's webhooks off: no subscription, so no read is reused (decision 0155); the figures before it. */
  noExactWebhooks: false,
  ...SCALE_DEFAULTS,
};
export type BenchFlags = typeof BENCH_DEFAULTS;
