/** The benchmark's human report (`npm run bench` without `--json`): the JSON figures, line by line. */

const target = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report object printed field by field
export function printReport(r: Record<string, unknown> & { [k: string]: any }): void {
  const split = (whole: unknown, connector: unknown, sandboxes: unknown, unit: string) =>
    connector === null
      ? `${whole} ${unit} (whole process, sandboxes inside)`
      : `${connector} ${unit} connector alone (sandboxes ${sandboxes}, sum ${whole})`;
  console.log(`
AutoInvoice benchmark (${r.machine.nproc} cores, load ${r.machine.loadAverage.join(' ')}, node ${r.machine.node}; Exact ${r.model.exactLatencyMs} ms, Dataverse ${r.model.dataverseLatencyMs} ms; sandboxes in ${r.model.sandboxes})
  Exact calls per sent invoice, sweep path   ${r.exactCallsPerInvoiceSweep}   (≤ 1.05: ${target(r.exactCallsPerInvoiceSweep <= 1.05)})
  … with the next sweep and a day's sync     ${r.exactCallsPerInvoiceSweepAll}   (next sweep ${r.nextSweep.exactCalls} calls; ≤ 1.05: ${target(r.exactCallsPerInvoiceSweepAll <= 1.05)})
  … with a day's master-data sync            ${r.exactCallsPerInvoiceSweepWithSync}   (sync ${r.dailySync.kind}, ${r.dailySync.exactCallsSweepAdministrations} calls; issue 14 ≤ 1.05: ${target(r.exactCallsPerInvoiceSweepWithSync <= 1.05)})
  Peppol lookups (network), sweep path       ${r.peppolLookupsPerInvoiceSweep} per invoice, ${r.peppolLookupsPerReceiverSweep} per distinct receiver   (≤ 1 per receiver a day: ${target(r.peppolLookupsPerReceiverSweep <= 1)})
  Exact calls per sent invoice, event path   ${r.exactCallsPerInvoiceEvent} at one event a second per administration, window ${r.model.eventWindowMs} ms   (≤ 1.1: ${target(r.exactCallsPerInvoiceEvent <= 1.1)})
  Exact calls per sent invoice, event burst  ${r.exactCallsPerInvoiceEventBurst}
  Exact calls per invoice, Dynamics route    ${r.exactCallsPerInvoiceDynamicsRoute}   (print + document + PDF, + 2 shared reads per window; ≤ 3.15: ${target(r.exactCallsPerInvoiceDynamicsRoute <= 3.15)}) ${JSON.stringify(r.exactCallsDynamicsRoute)}
  Dataverse calls per invoice, Dynamics route ${r.dataverseCallsPerInvoiceDynamicsRoute}   ${JSON.stringify(r.dataverseCallsDynamicsRoute)}
  Dataverse calls per invoice                ${r.dataverseCallsPerInvoice}   (event ${r.dataverseCallsPerInvoiceEvent}, burst ${r.dataverseCallsPerInvoiceEventBurst}, sweep ${r.dataverseCallsPerInvoiceSweep}; event ≤ 2: ${target(r.dataverseCallsPerInvoiceEvent <= 2)})
  Achieved rate ÷ minutely limit             ${r.rateUtilization}   (full windows: ${r.minuteWindowsMeasured}; overall ${r.rateUtilizationOverall}; ≥ 0.95: ${target(r.rateUtilization >= 0.95)})
  HTTP 429 from Exact                        ${r.http429}   (0: ${target(r.http429 === 0)})
  Event → sent latency p50 / p95             ${r.eventToSentP50Ms} / ${r.eventToSentP95Ms} ms   (p95 < 2500: ${target(r.eventToSentP95Ms < 2500)})
  Webhook ack p50 / p99 (max)                ${r.webhookAckP50Ms} / ${r.webhookAckP99Ms} (${r.webhookAckMaxMs}) ms at ${r.webhookAchievedRate}/s, ${JSON.stringify(r.webhookStatuses)}   (p99 < 50: ${target(r.webhookAckP99Ms < 50)})
  CPU per invoice (sweep path)               ${split(r.cpuMsPerInvoice, r.cpuMsPerInvoiceConnector, r.cpuMsPerInvoiceSandboxes, 'ms')}
  Peak RSS                                   ${split(r.peakRssMb, r.peakRssMbConnector, r.peakRssMbSandboxes, 'MB')}
  Table Storage requests per invoice (sweep) ${r.storageOpsPerInvoice}
  Queue messages / deliveries per invoice    ${r.queueMessagesPerInvoice} / ${r.queueDeliveriesPerInvoice} (sweep path)
  Webhook ack, dispatch in the same process  ${r.webhookWithWorkersAckP50Ms} / ${r.webhookWithWorkersAckP99Ms} ms, ${JSON.stringify(r.webhookWithWorkersStatuses)}
  1 GiB POST without a key: RSS growth      ${r.bodyCap.rssGrowthMb} MB (answer ${r.bodyCap.status} after ${r.bodyCap.sentBeforeAnswerMb} MB sent, ${r.bodyCap.sentTotalMb} MB sent in all)   (< 50: ${target(r.bodyCap.rssGrowthMb < 50)})
  Cold start: require functions bundle       ${r.coldStartMs} ms (whole node process ${r.coldStartProcessMs} ms)
  Invoices sent                              ${r.invoicesSent.event} event path, ${r.invoicesSent.eventBurst} burst, ${r.invoicesSent.sweep} sweep path, ${r.invoicesSent.dynamicsRoute} Dynamics route (${r.sweepRealSeconds} s real at clock ×${r.model.clockFactorSweep})
`);
}
