/**
 * `npm start` with real settings (PRODUCT.md §10, decision 0066): the Dataverse, Exact and storage the settings
 * name are used as they are; a sandbox is started only for what a tenant leaves out, and started empty — no demo
 * data is written anywhere. Settings are parsed by the same `parseSettings()` as in Azure.
 */
import { parseSettings } from '../config/settings';
import type { Logger } from '../composition/log';
import type { DispatchLine } from '../app/dispatch';
import type { BuiltRuntime } from '../composition/createRuntime';
import type { InProcessQueue } from '../adapters/queue/inProcessQueue';
import { startAzurite } from './azurite';
import { startExactSandbox, type ExactSandbox } from '../../sandbox/exact';
import { startDataverseSandbox } from '../../sandbox/dataverse';
import { connectBySandboxConsent, wireRuntime } from './wire';

const TENANT_SETTING = /^Tenants__([^_]+(?:_[^_]+)*)__([A-Za-z]+)$/;
const DATAVERSE_SETTINGS = ['DataverseUrl', 'Authority'];
const EXACT_SETTINGS = ['ExactBaseUrl', 'ExactClientId', 'ExactClientSecret'];
const SANDBOX_EXACT_USER = 'aaaaaaaa-0000-4000-8000-00000000000f';
/** The division of a started Exact sandbox when no administration names one. */
const SANDBOX_DIVISION = 1;
/** Stand-ins for what a sandbox will provide, so the user's own settings are checked before anything starts. */
const PLACEHOLDER_URL = 'http://127.0.0.1/';
const PLACEHOLDER_STORAGE = 'UseDevelopmentStorage=true';

export interface ConfiguredStackOptions {
  values: Record<string, string>;
  /** The local host's Exact callback (registered with a started Exact sandbox). */
  redirectUri: string;
  log?: Logger;
  onDispatch?: (line: DispatchLine) => void;
}

export interface TenantServices {
  tenant: string;
  dataverse: 'configured' | 'sandbox';
  exact: 'configured' | 'sandbox';
}

export interface ConfiguredStack {
  runtime: BuiltRuntime;
  queue: InProcessQueue;
  /** What this start-up started itself (empty when the settings name everything). */
  started: string[];
  services: TenantServices[];
  stop(): Promise<void>;
}

/** Per tenant, which of its services the settings name; a tenant names one by any of its settings. */
export function tenantServices(values: Record<string, string>): TenantServices[] {
  const given = new Map<string, Set<string>>();
  for (const [name, value] of Object.entries(values)) {
    const m = TENANT_SETTING.exec(name);
    if (!m || value === '') continue;
    const keys = given.get(m[1]!) ?? new Set<string>();
    given.set(m[1]!, keys.add(m[2]!));
  }
  return [...given].map(([tenant, keys]) => ({
    tenant,
    dataverse: DATAVERSE_SETTINGS.some((k) => keys.has(k)) ? 'configured' : 'sandbox',
    exact: EXACT_SETTINGS.some((k) => keys.has(k)) ? 'configured' : 'sandbox',
  }));
}

export async function startConfiguredStack(options: ConfiguredStackOptions): Promise<ConfiguredStack> {
  const values: Record<string, string> = { ...options.values, Mode: 'local' };
  const services = tenantServices(values);
  // Fails on the user's own settings (by name) before any sandbox or Azurite starts.
  parseSettings({
    Storage__ConnectionString: PLACEHOLDER_STORAGE,
    ...values,
    ...sandboxStandIns(values, services, options.redirectUri),
  });

  const stops: Array<() => Promise<void>> = [];
  const started: string[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    if (!values.Storage__ConnectionString) {
      const azurite = await startAzurite();
      stops.push(() => azurite.stop());
      started.push('Azurite (Table Storage)');
      values.Storage__ConnectionString = azurite.connectionString;
    }
    const exact = await startSandboxes(values, services, options.redirectUri, stops, started);
    const { runtime, queue } = await wireRuntime(parseSettings(values), options, (q) => ({
      local: { started, queue: q.stats() },
    }));
    stops.push(() => queue.close());
    if (exact)
      await connectSandboxExact(
        runtime,
        exact,
        services.filter((x) => x.exact === 'sandbox'),
      );
    return { runtime, queue, started, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function sandboxStandIns(
  values: Record<string, string>,
  services: TenantServices[],
  redirectUri: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of services) {
    const p = `Tenants__${s.tenant}__`;
    if (s.dataverse === 'sandbox') {
      Object.assign(out, { [`${p}DataverseUrl`]: PLACEHOLDER_URL, [`${p}Authority`]: PLACEHOLDER_URL });
      out[`${p}ClientId`] = values[`${p}ClientId`] || '22222222-2222-4222-8222-222222222222';
      out[`${p}ClientSecret`] = values[`${p}ClientSecret`] || 'sandbox-client-secret';
      out[`${p}OrganizationId`] = values[`${p}OrganizationId`] || '33333333-3333-4333-8333-333333333333';
    }
    if (s.exact === 'sandbox') {
      Object.assign(out, {
        [`${p}ExactBaseUrl`]: PLACEHOLDER_URL,
        [`${p}ExactClientId`]: 'sandbox-client',
        [`${p}ExactClientSecret`]: 'sandbox-secret',
        [`${p}ExactRedirectUri`]: redirectUri,
      });
    }
  }
  return out;
}

/** One Dataverse sandbox per tenant that names none, one Exact sandbox for every tenant that names no Exact. */
async function startSandboxes(
  values: Record<string, string>,
  services: TenantServices[],
  redirectUri: string,
  stops: Array<() => Promise<void>>,
  started: string[],
): Promise<ExactSandbox | null> {
  Object.assign(values, sandboxStandIns(values, services, redirectUri));
  for (const s of services.filter((x) => x.dataverse === 'sandbox')) {
    const p = `Tenants__${s.tenant}__`;
    const dv = await startDataverseSandbox({
      organizationId: values[`${p}OrganizationId`],
      clientId: values[`${p}ClientId`],
      clientSecret: values[`${p}ClientSecret`],
    });
    stops.push(() => dv.close());
    started.push(`Dataverse sandbox for ${s.tenant} (${dv.url})`);
    Object.assign(values, {
      [`${p}DataverseUrl`]: dv.url,
      [`${p}Authority`]: dv.authority,
      [`${p}ExtraCaPem`]: dv.caCertPem,
    });
  }
  const needExact = services.filter((x) => x.exact === 'sandbox');
  if (needExact.length === 0) return null;
  const exact = await startExactSandbox({ redirectUri: [redirectUri] });
  stops.push(() => exact.close());
  started.push(`Exact sandbox for ${needExact.map((s) => s.tenant).join(', ')} (${exact.url})`);
  for (const s of needExact) values[`Tenants__${s.tenant}__ExactBaseUrl`] = exact.url;
  return exact;
}

/**
 * A started Exact sandbox gets an empty division for every administration its tenants' Dataverse names (so the
 * sweep finds no open invoice there instead of a refused division), and one user who granted them all; the
 * tenants are connected through its consent, as in the demo.
 */
async function connectSandboxExact(
  runtime: BuiltRuntime,
  exact: ExactSandbox,
  tenants: TenantServices[],
): Promise<void> {
  const numbers = new Set<number>();
  for (const s of tenants) {
    const directory = runtime.tenants.find((t) => t.name === s.tenant)!.directory;
    for (const a of await directory.administrations()) numbers.add(a.division);
  }
  if (numbers.size === 0) numbers.add(SANDBOX_DIVISION);
  const divisions = [...numbers].map((division) => ({
    division,
    name: `Sandbox ${division}`,
    accounts: [],
    layouts: [],
    invoices: [],
  }));
  exact.seed({
    users: [
      { UserID: SANDBOX_EXACT_USER, UserName: 'local', FullName: 'Local Sandbox', divisions: [...numbers] },
    ],
    divisions,
  });
  for (const s of tenants) {
    if (!(await runtime.tenants.find((t) => t.name === s.tenant)!.connection.isConnected()))
      // The sandbox's empty divisions are not the partner's Exact: mirroring them would rename and empty
      // the administrations of the Dataverse named.
      await connectBySandboxConsent(
        runtime,
        s.tenant,
        SANDBOX_EXACT_USER,
        'Exact is a sandbox here, and its divisions are not mirrored into the Dataverse named',
      );
  }
}
