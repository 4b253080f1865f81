/**
 * The benchmark's sandboxes — Exact Online and one Dataverse organisation — and what the benchmark reads
 * from them, behind one set of plain-data operations. The same object runs in a child process
 * (`sandboxChild.ts`, the default: the connector's CPU and memory are then its own) or in the bench's own
 * process (`--in-process`, the figures of before). Its clock is a CompressedClock the parent drives.
 */
import { startExactSandbox, type ExactSandbox } from '../../sandbox/exact';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse';
import { CompressedClock, type ClockState } from './clock';
import { delayDataverseWebApi } from './latency';
import { buildLoadSeed, type LoadSeedOptions } from './seed';
import { callsOf, rateUtilization, type Window } from './measure';

export const BENCH_EXACT_USER = 'aaaaaaaa-0000-4000-8000-000000000001';
/** How long (real ms) the sandbox's server-side sync takes to send an email handed over (a CHOICE). */
const SERVER_SIDE_SYNC_MS = 500;

export interface SandboxStart {
  /** Seeds built on this side from their options (deterministic), so no seed crosses the process boundary. */
  seeds: Array<Omit<LoadSeedOptions, 'today'>>;
  today: string;
  organizationId: string;
  redirectUri: string;
  clock: ClockState;
  dataverseLatencyMs: number;
  exact?: { minutelyLimit?: number; dailyLimit?: number };
  /** The app's Exact webhook secret: the sandbox then posts webhooks to the subscriptions made (decision 0155). */
  exactWebhookSecret?: string;
}

export interface SandboxAddresses {
  exactUrl: string;
  dataverse: { url: string; authority: string; caCertPem: string };
}

export interface Usage {
  cpuMs: number;
  maxRssMb: number;
}

/** Every operation the benchmark asks of its sandboxes: plain data in and out (they may cross IPC). */
export interface SandboxOps {
  window(): Window;
  callsOf(from: Window, to: Window, divisions: number[]): ReturnType<typeof callsOf>;
  rate(fromExact: number, divisions: number[], limit: number): ReturnType<typeof rateUtilization>;
  http429(): number;
  row(entitySet: string, id: string): Record<string, unknown> | undefined;
  setLatency(ms: number): void;
  setClock(state: ClockState): void;
  usage(): Usage;
}

export class SandboxHost implements SandboxOps {
  private constructor(
    private readonly exact: ExactSandbox,
    private readonly dv: DataverseSandbox,
    private readonly clock: CompressedClock,
    readonly addresses: SandboxAddresses,
  ) {}

  static async start(o: SandboxStart): Promise<SandboxHost> {
    const clock = CompressedClock.fromState(o.clock);
    const today = new Date(o.today);
    const seeds = o.seeds.map((s) => buildLoadSeed({ ...s, today }));
    const exact = await startExactSandbox({
      redirectUri: [o.redirectUri],
      now: () => clock.nowMs(),
      ...o.exact,
      ...(o.exactWebhookSecret ? { webhookSecret: o.exactWebhookSecret } : {}),
      seed: {
        users: [
          {
            UserID: BENCH_EXACT_USER,
            UserName: 'bench',
            FullName: 'Bench Boekhouder',
            divisions: seeds.flatMap((s) => s.divisions.map((d) => d.division)),
          },
        ],
        divisions: seeds.flatMap((s) => s.exact.divisions),
      },
    });
    const restore = delayDataverseWebApi(() => clock.real(o.dataverseLatencyMs));
    // Server-side synchronization sends each email handed over shortly after SendEmail, as a mailbox does.
    const dv = await startDataverseSandbox({
      organizationId: o.organizationId,
      languageCode: 1033,
      serverSideSync: { mode: 'send', delayMs: SERVER_SIDE_SYNC_MS },
    }).finally(restore);
    for (const s of seeds) dv.seed(s.dataverse);
    const addresses = {
      exactUrl: exact.url,
      dataverse: { url: dv.url, authority: dv.authority, caCertPem: dv.caCertPem },
    };
    return new SandboxHost(exact, dv, clock, addresses);
  }

  window(): Window {
    return {
      exact: this.exact.requests().length,
      prints: this.exact.prints().length,
      dataverse: this.dv.requests().length,
    };
  }

  callsOf(from: Window, to: Window, divisions: number[]) {
    return callsOf(this.exact, this.dv, from, to, divisions);
  }

  rate(fromExact: number, divisions: number[], limit: number) {
    return rateUtilization(this.exact.requests().slice(fromExact), divisions, limit);
  }

  http429(): number {
    return this.exact.requests().filter((r) => r.status === 429).length;
  }

  row(entitySet: string, id: string): Record<string, unknown> | undefined {
    return this.dv.row(entitySet, id);
  }

  setLatency(ms: number): void {
    this.exact.setLatency(ms);
  }

  setClock(state: ClockState): void {
    this.clock.adopt(state);
  }

  usage(): Usage {
    const u = process.resourceUsage();
    return { cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 };
  }

  async close(): Promise<void> {
    await this.dv.close().catch(() => undefined);
    await this.exact.close().catch(() => undefined);
  }
}
