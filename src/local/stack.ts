import { randomBytes } from 'node:crypto';
import type { Clock } from '../app/ports';
import type { DispatchLine } from '../app/dispatch';
import type { InProcessQueue } from '../adapters/queue/inProcessQueue';
import type { Timers } from '../adapters/queue/clock';
import { parseSettings } from '../config/settings';
import type { BuiltRuntime } from '../composition/createRuntime';
import type { Logger } from '../composition/log';
import { generateLicenceKeyPair, issueLicence } from '../cli/licence';
import { startAzurite, type RunningAzurite } from './azurite';
import {
  startExactSandbox,
  type ExactSandbox,
  type ExactSandboxOptions,
  type ExactSeed,
} from '../../sandbox/exact';
import { startDataverseSandbox, type DataverseSandbox, type DataverseSeed } from '../../sandbox/dataverse';
import {
  DEMO_ORGANIZATION_ID,
  accountsCreatedAfterSync,
  DEMO_PEPPOL_NETWORK,
  dataverseSeed,
  exactSeed,
} from '../../sandbox/seed/demo';
import {
  showcaseDataverseSeed,
  showcaseExactDivision,
  showcaseTenants,
  type ShowcaseTenant,
} from '../../sandbox/seed/showcase';
import { connectBySandboxConsent, wireRuntime } from './wire';
import type { Connected } from '../app/connected';
import { peppolSettings, startPeppolSandbox, type PeppolSandbox } from '../../sandbox/peppol';

export const DEMO_WEBHOOK_SECRET = 'demo-secret';
const DEMO_EXACT_USER = 'aaaaaaaa-0000-4000-8000-000000000001';

export interface LocalStackOptions {
  /** Licence showcase tenants (PRODUCT.md §4 rows 1–2); npm start turns them on. */
  showcase?: boolean;
  /** Dataverse organization.languagecode of the demo tenant (1043 Dutch, 1033 English). */
  languageCode?: number;
  /** The demo tenant's webhook secret. */
  webhookSecret?: string;
  /** Date the demo invoices are relative to. */
  today?: Date;
  clock?: Clock;
  timers?: Timers;
  exact?: Partial<ExactSandboxOptions>;
  /** Seed the demo data (default true). */
  seed?: boolean;
  /** Seeds used instead of the demo data (benchmarks, chaos runs); the demo Exact user is granted every division. */
  customSeed?: { exact: ExactSeed; dataverse: DataverseSeed };
  log?: Logger;
  onDispatch?: (line: DispatchLine) => void;
  dataverseSleep?: (ms: number) => Promise<void>;
  exactSleep?: (ms: number) => Promise<void>;
  exactClock?: Clock;
  /** Events' coalescing window (decision 0100); default 0 here: the demo and the tests dispatch at once. */
  eventWindowMs?: number;
  /** The demo tenant's Exact webhook secret (decision 0125); absent: no Exact webhooks, as before. */
  exactWebhookSecret?: string;
  /** Redirect URI registered with the Exact sandbox (the local host's callback). */
  redirectUri?: string;
  /**
   * The demo Dataverse's server-side synchronization runs this long after each SendEmail (PRODUCT.md §12);
   * absent: only when a test runs it, so tests decide when an email goes out.
   */
  serverSideSyncDelayMs?: number;
}

export interface LocalStack {
  runtime: BuiltRuntime;
  exact: ExactSandbox;
  dataverse: Map<string, DataverseSandbox>;
  azurite: RunningAzurite;
  peppol: PeppolSandbox;
  queue: InProcessQueue;
  tenants: Array<{ name: string; organizationId: string; webhookSecret: string }>;
  /** What connecting each tenant brought: its master-data sync, resumed invoices. */
  connected: Map<string, Connected>;
  stop(): Promise<void>;
}

/**
 * Everything of local mode except the HTTP host: Azurite, the Exact sandbox, one Dataverse sandbox per
 * tenant, the in-process queue feeding the real dispatch worker, and a runtime built by the same
 * composition root as in Azure (settings parsed by the same schema). Used by `npm start` and the tests.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const today = options.today ?? new Date();
  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const azurite = await startAzurite();
    started.push(() => azurite.stop());

    const showcase = options.showcase ? showcaseTenants : [];
    const redirectUri = options.redirectUri ?? 'http://127.0.0.1:7071/api/exact/callback';
    const custom = options.customSeed;
    const seed = options.seed !== false || custom !== undefined;
    const exactSeedData = custom?.exact ?? exactSeed(today);
    const exact = await startExactSandbox({
      redirectUri: [redirectUri],
      now: options.exactClock ? () => options.exactClock!.now().getTime() : undefined,
      ...(options.exactWebhookSecret ? { webhookSecret: options.exactWebhookSecret } : {}),
      ...options.exact,
      seed: seed
        ? {
            users: [
              {
                UserID: DEMO_EXACT_USER,
                UserName: 'demo',
                FullName: 'Demo Boekhouder',
                divisions: exactSeedData.divisions.map((d) => d.division),
              },
              ...showcase.map((t) => ({ UserID: t.exactUserId, UserName: t.name, divisions: [t.division] })),
            ],
            divisions: [...exactSeedData.divisions, ...showcase.map((t) => showcaseExactDivision(t, today))],
          }
        : undefined,
    });
    started.push(() => exact.close());

    const dataverse = new Map<string, DataverseSandbox>();
    const demoDv = await startDataverseSandbox({
      organizationId: DEMO_ORGANIZATION_ID,
      languageCode: options.languageCode ?? 1033,
      ...(options.serverSideSyncDelayMs !== undefined
        ? { serverSideSync: { delayMs: options.serverSideSyncDelayMs } }
        : {}),
    });
    started.push(() => demoDv.close());
    if (seed) demoDv.seed(custom?.dataverse ?? dataverseSeed(today));
    dataverse.set('demo', demoDv);
    for (const t of showcase) {
      const dv = await startDataverseSandbox({ organizationId: t.organizationId, languageCode: 1043 });
      started.push(() => dv.close());
      dv.seed(showcaseDataverseSeed(t, today));
      dataverse.set(t.name, dv);
    }

    // The Peppol network as the demo's receivers are registered on it (SML DNS and SMP on loopback).
    // A custom seed (bench, chaos) has every Peppol id its Exact accounts hold registered.
    const peppol = await startPeppolSandbox({
      participants: custom ? registeredIn(custom.exact) : DEMO_PEPPOL_NETWORK,
    });
    started.push(() => peppol.close());

    const vendor = await generateLicenceKeyPair();
    const env: Record<string, string> = {
      Mode: 'local',
      Storage__ConnectionString: azurite.connectionString,
      LicencePublicKey: vendor.publicKeyPem,
      TokenEncryptionKey: randomBytes(32).toString('base64'),
      ...peppolSettings(peppol),
      EventWindowMs: String(options.eventWindowMs ?? 0),
    };
    const tenants: LocalStack['tenants'] = [];
    const addTenant = (
      name: string,
      organizationId: string,
      dv: DataverseSandbox,
      licence: string | undefined,
      secret: string,
    ) => {
      const p = `Tenants__${name}__`;
      Object.assign(env, {
        [`${p}OrganizationId`]: organizationId,
        [`${p}DataverseUrl`]: dv.url,
        [`${p}Authority`]: dv.authority,
        [`${p}ClientId`]: '22222222-2222-4222-8222-222222222222',
        [`${p}ClientSecret`]: 'sandbox-client-secret',
        [`${p}WebhookSecret`]: secret,
        [`${p}ExactBaseUrl`]: exact.url,
        [`${p}ExactClientId`]: 'sandbox-client',
        [`${p}ExactClientSecret`]: 'sandbox-secret',
        [`${p}ExactRedirectUri`]: redirectUri,
        [`${p}ExtraCaPem`]: dv.caCertPem,
      });
      if (licence) env[`${p}Licence`] = licence;
      if (name === 'demo' && options.exactWebhookSecret)
        env[`${p}ExactWebhookSecret`] = options.exactWebhookSecret;
      tenants.push({ name, organizationId, webhookSecret: secret });
    };
    const expires = new Date(today.getTime() + 365 * 86_400_000);
    const terms = (org: string, features: ('sales' | 'recurring')[], exp = expires) => ({
      organizationId: org,
      features,
      expiresAt: exp,
      notBefore: new Date(Math.min(today.getTime(), exp.getTime()) - 30 * 86_400_000),
      issuedAt: new Date(today.getTime() - 86_400_000),
      licenceId: `demo-${org.slice(0, 8)}`,
    });
    addTenant(
      'demo',
      DEMO_ORGANIZATION_ID,
      demoDv,
      await issueLicence(terms(DEMO_ORGANIZATION_ID, ['sales', 'recurring']), vendor.privateKeyPem),
      options.webhookSecret ?? DEMO_WEBHOOK_SECRET,
    );
    for (const t of showcase) {
      addTenant(
        t.name,
        t.organizationId,
        dataverse.get(t.name)!,
        await showcaseLicence(t, vendor.privateKeyPem, terms, today),
        `${t.name}-secret`,
      );
    }

    const settings = parseSettings(env);
    const { runtime, queue } = await wireRuntime(settings, options, (q) => ({
      local: {
        exactSandbox: exact.url,
        dataverseSandboxes: Object.fromEntries([...dataverse].map(([k, v]) => [k, v.url])),
        queue: q.stats(),
      },
    }));
    started.push(() => queue.close());

    // Connect every tenant to Exact through the real OAuth code flow (the sandbox consents automatically).
    const connected = new Map<string, Connected>();
    for (const t of tenants) {
      const user = showcase.find((s) => s.name === t.name)?.exactUserId ?? DEMO_EXACT_USER;
      connected.set(t.name, await connectBySandboxConsent(runtime, t.name, user));
    }
    // A customer created in Exact after that sync: not mirrored yet (the demo's relation_unknown).
    if (seed && !custom)
      for (const a of accountsCreatedAfterSync()) exact.editAccount(a.division, a.account.ID, a.account);

    return { runtime, exact, dataverse, azurite, peppol, queue, tenants, connected, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function registeredIn(seed: ExactSeed): Record<string, 'registered'> {
  const ids = seed.divisions.flatMap((d) => d.accounts.map((a) => a.PeppolIdentifier));
  return Object.fromEntries(ids.filter((id): id is string => !!id).map((id) => [id, 'registered' as const]));
}

async function showcaseLicence(
  t: ShowcaseTenant,
  vendorKey: string,
  terms: (org: string, f: ('sales' | 'recurring')[], exp?: Date) => Parameters<typeof issueLicence>[0],
  today: Date,
): Promise<string | undefined> {
  switch (t.licence) {
    case 'missing':
      return undefined;
    case 'forged': {
      const other = await generateLicenceKeyPair();
      return issueLicence(terms(t.organizationId, ['sales', 'recurring']), other.privateKeyPem);
    }
    case 'foreign':
      return issueLicence(terms('99999999-9999-4999-8999-999999999999', ['sales', 'recurring']), vendorKey);
    case 'expired':
      return issueLicence(
        terms(t.organizationId, ['sales', 'recurring'], new Date(today.getTime() - 2 * 86_400_000)),
        vendorKey,
      );
    case 'salesOnly':
      return issueLicence(terms(t.organizationId, ['sales']), vendorKey);
  }
}
