/**
 * CPU, peak memory, Table Storage requests and queue messages of a phase. With the sandboxes in a child
 * process the connector's figures are this process's alone and the sandboxes' come from the child
 * (`process.resourceUsage()` there); `whole` is their sum. In one process, `whole` is the process.
 * Azurite is a child process of its own either way and is not counted.
 */
import os from 'node:os';
import type { BenchStack } from './benchStack';
import { round } from './stats';
import type { Sandboxes } from './sandboxes';

export interface Meter {
  cpu: NodeJS.CpuUsage;
  sandboxCpuMs: number;
  counters: ReturnType<BenchStack['counters']>;
}

export async function meter(stack: BenchStack, sb: Sandboxes): Promise<Meter> {
  return { cpu: process.cpuUsage(), sandboxCpuMs: (await sb.usage()).cpuMs, counters: stack.counters() };
}

export async function cpuAndMemory(from: Meter, stack: BenchStack, sb: Sandboxes) {
  const cpu = process.cpuUsage(from.cpu);
  const connector = (cpu.user + cpu.system) / 1000;
  const child = await sb.usage();
  const inProcess = sb.pid === null;
  const sandboxes = inProcess ? 0 : child.cpuMs - from.sandboxCpuMs;
  const rss = process.resourceUsage().maxRSS / 1024;
  const c = stack.counters();
  return {
    cpuMs: { connector, sandboxes, whole: connector + sandboxes },
    peakRssMb: {
      connector: rss,
      sandboxes: inProcess ? 0 : child.maxRssMb,
      whole: rss + (inProcess ? 0 : child.maxRssMb),
    },
    storageOps: c.storage - from.counters.storage,
    queueSends: c.queueSends - from.counters.queueSends,
    queueScheduled: c.queueScheduled - from.counters.queueScheduled,
    queueDelivered: c.queueDelivered - from.counters.queueDelivered,
    queueCompleted: c.queueCompleted - from.counters.queueCompleted,
  };
}

/** CPU, memory, storage and queue figures of a phase per invoice sent (connector alone, sandboxes, sum). */
export function perInvoice(u: Awaited<ReturnType<typeof cpuAndMemory>>, sent: number, inProcess: boolean) {
  return {
    cpuMsPerInvoice: round(u.cpuMs.whole / sent, 2),
    cpuMsPerInvoiceConnector: inProcess ? null : round(u.cpuMs.connector / sent, 2),
    cpuMsPerInvoiceSandboxes: inProcess ? null : round(u.cpuMs.sandboxes / sent, 2),
    peakRssMb: round(u.peakRssMb.whole, 1),
    peakRssMbConnector: inProcess ? null : round(u.peakRssMb.connector, 1),
    peakRssMbSandboxes: inProcess ? null : round(u.peakRssMb.sandboxes, 1),
    storageOpsPerInvoice: round(u.storageOps / sent, 2),
    queueMessagesPerInvoice: round(u.queueSends / sent, 3),
    queueDeliveriesPerInvoice: round(u.queueDelivered / sent, 3),
  };
}

export function machine() {
  return {
    nproc: os.availableParallelism(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
}
