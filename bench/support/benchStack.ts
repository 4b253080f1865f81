/**
 * The connector as the benchmark runs it: Azurite (a child process), the runtime from the real
 * composition root with the in-process queue feeding the real dispatch worker, and the load tenant
 * connected to Exact through the real OAuth code flow — pointed at sandboxes that run wherever
 * `sandboxes.ts` put them. What `startLocalStack` does for the demo, with counters for the cost model:
 * Table Storage requests (every HTTP request to Azurite) and queue messages (sent and delivered).
 */
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { parseSettings } from '../../src/config/settings';
import type { Clock } from '../../src/app/ports';
import type { DispatchLine } from '../../src/app/dispatch';
import type { BuiltRuntime } from '../../src/composition/createRuntime';
import type { Logger } from '../../src/composition/log';
import type { InProcessQueue } from '../../src/adapters/queue/inProcessQueue';
import { generateLicenceKeyPair, issueLicence } from '../../src/cli/licence';
import { startAzurite } from '../../src/local/azurite';
import { connectBySandboxConsent, wireRuntime } from '../../src/local/wire';
import { peppolSettings, startPeppolSandbox } from '../../sandbox/peppol';
import type { LoadSeed } from './seed';
import { BENCH_EXACT_USER } from './sandboxHost';
import type { Sandboxes } from './sandboxes';

export const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret';
export const REDIRECT_URI = 'http://127.0.0.1:7071/api/exact/callback';

export interface Counters {
  storage: number;
  queueSends: number;
  queueScheduled: number;
}

export interface BenchStack {
  runtime: BuiltRuntime;
  queue: InProcessQueue;
  tenant: { name: string; organizationId: string; webhookSecret: string };
  counters(): Counters & { queueDelivered: number; queueCompleted: number };
  /** SML (DNS) questions the Peppol network was asked so far: one per lookup that missed the cache. */
  peppolLookups(): number;
  /** The DNS names the Peppol lookups asked for, in order (one per participant identifier looked up). */
  peppolNames(): string[];
  stop(): Promise<void>;
}

export async function startBenchStack(
  sb: Sandboxes,
  o: {
    organizationId: string;
    redirectUri: string;
    today: Date;
    exactClock: Clock;
    exactSleep: (ms: number) => Promise<void>;
    eventWindowMs: number;
    /** Sessions at once: 8 is one Functions instance; the scale run models a scaled-out app with more. */
    maxConcurrentSessions?: number;
    log: Logger;
    onDispatch: (line: DispatchLine) => void;
    /** Peppol ids the seeds' Exact accounts hold: registered on the bench's Peppol network. */
    peppolIds: string[];
    /** Exact's webhooks on: the connect subscribes at the redirect URI's origin (decision 0155). */
    exactWebhookSecret?: string;
  },
): Promise<BenchStack> {
  const azurite = await startAzurite();
  const peppol = await startPeppolSandbox({
    participants: Object.fromEntries(o.peppolIds.map((id) => [id, 'registered' as const])),
  });
  const counts: Counters = { storage: 0, queueSends: 0, queueScheduled: 0 };
  const port = azurite.port;
  const onRequest = (m: unknown) => {
    const req = (m as { request: ClientRequest }).request;
    if (String(req.getHeader('host') ?? '').endsWith(`:${port}`)) counts.storage++;
  };
  diagnostics.subscribe('http.client.request.start', onRequest);
  const vendor = await generateLicenceKeyPair();
  const expires = new Date(o.today.getTime() + 365 * 86_400_000);
  const licence = await issueLicence(
    {
      organizationId: o.organizationId,
      features: ['sales', 'recurring'],
      expiresAt: expires,
      notBefore: new Date(o.today.getTime() - 30 * 86_400_000),
      issuedAt: new Date(o.today.getTime() - 86_400_000),
      licenceId: 'bench',
    },
    vendor.privateKeyPem,
  );
  const p = 'Tenants__bench__';
  const settings = parseSettings({
    Mode: 'local',
    Storage__ConnectionString: azurite.connectionString,
    LicencePublicKey: vendor.publicKeyPem,
    TokenEncryptionKey: randomBytes(32).toString('base64'),
    EventWindowMs: String(o.eventWindowMs),
    ...peppolSettings(peppol),
    [`${p}OrganizationId`]: o.organizationId,
    [`${p}DataverseUrl`]: sb.addresses.dataverse.url,
    [`${p}Authority`]: sb.addresses.dataverse.authority,
    [`${p}ClientId`]: '22222222-2222-4222-8222-222222222222',
    [`${p}ClientSecret`]: 'sandbox-client-secret',
    [`${p}WebhookSecret`]: BENCH_WEBHOOK_SECRET,
    [`${p}ExactBaseUrl`]: sb.addresses.exactUrl,
    [`${p}ExactClientId`]: 'sandbox-client',
    [`${p}ExactClientSecret`]: 'sandbox-secret',
    [`${p}ExactRedirectUri`]: o.redirectUri,
    [`${p}ExtraCaPem`]: sb.addresses.dataverse.caCertPem,
    [`${p}Licence`]: licence,
    ...(o.exactWebhookSecret ? { [`${p}ExactWebhookSecret`]: o.exactWebhookSecret } : {}),
  });
  const { runtime, queue } = await wireRuntime(settings, o, () => ({ bench: true }));
  const send = queue.send.bind(queue);
  queue.send = (body, options) => {
    counts.queueSends++;
    if (options.scheduledFor) counts.queueScheduled++;
    return send(body, options);
  };
  await connectBySandboxConsent(runtime, 'bench', BENCH_EXACT_USER);
  return {
    runtime,
    queue,
    tenant: { name: 'bench', organizationId: o.organizationId, webhookSecret: BENCH_WEBHOOK_SECRET },
    peppolLookups: () => peppol.dnsQueries.length,
    peppolNames: () => [...peppol.dnsQueries],
    counters: () => ({
      ...counts,
      queueDelivered: queue.stats().delivered,
      queueCompleted: queue.stats().completed,
    }),
    stop: async () => {
      diagnostics.unsubscribe('http.client.request.start', onRequest);
      await queue.close();
      await azurite.stop();
      await peppol.close();
    },
  };
}

/** Every Peppol id the seeds' Exact accounts hold. */
export function peppolIdsOf(...seeds: LoadSeed[]): string[] {
  const ids = seeds.flatMap((s) =>
    s.exact.divisions.flatMap((d) => d.accounts.map((a) => a.PeppolIdentifier)),
  );
  return ids.filter((id): id is string => typeof id === 'string' && id.length > 0);
}
