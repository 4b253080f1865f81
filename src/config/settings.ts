import { createPublicKey } from 'node:crypto';
import { z } from 'zod';

/**
 * Every setting of the connector, named as Azure app settings (`__` nests), parsed ONCE at start-up.
 * A missing or invalid setting stops start-up with a message naming it (never its value: values may be secrets).
 */

const url = z.string().url();
const guidLike = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');
/** Exactly 32 bytes in canonical base64 (44 characters), and not a constant such as all zeros. */
const base64Key32 = z.string().superRefine((v, ctx) => {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(v))
    ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, base64-encoded (44 characters)' });
  else if (new Set(Buffer.from(v, 'base64')).size === 1) {
    ctx.addIssue({ code: 'custom', message: 'must be 32 random bytes, not one repeated byte (all zeros)' });
  }
});
const pem = z.string().refine((v) => v.includes('-----BEGIN'), 'must be a PEM block');
const ed25519PublicKey = pem.refine((v) => {
  try {
    return createPublicKey(v).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}, 'must be an Ed25519 public key (PEM, "-----BEGIN PUBLIC KEY-----")');

/**
 * A table endpoint URL (managed identity), `UseDevelopmentStorage=true`, or a connection string with an
 * account and a key or SAS token: what @azure/data-tables can use, checked here so start-up names the setting.
 */
function storageConnectionProblem(v: string): string | null {
  if (/^https:\/\//.test(v)) return URL.canParse(v) ? null : 'is not a valid table endpoint URL';
  const parts = new Map<string, string>();
  for (const part of v.split(';').filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0)
      return 'is not a connection string (name=value pairs separated by ";") nor an https:// table endpoint';
    parts.set(part.slice(0, at).toLowerCase(), part.slice(at + 1));
  }
  if (parts.get('usedevelopmentstorage') === 'true') return null;
  const account = parts.get('accountname');
  const endpoint = parts.get('tableendpoint');
  if (!account && !endpoint) return 'names no AccountName and no TableEndpoint';
  if (!parts.get('accountkey') && !parts.get('sharedaccesssignature'))
    return 'has no AccountKey and no SharedAccessSignature';
  if (endpoint && !URL.canParse(endpoint)) return 'has a TableEndpoint that is not a URL';
  return null;
}
const storageConnection = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    const problem = storageConnectionProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const ExactRegionSchema = z.enum(['nl', 'be', 'de', 'co.uk', 'fr', 'es', 'com']);

export const TenantSettingsSchema = z.object({
  /** Dataverse organisation id (`OrganizationId` in every RemoteExecutionContext). */
  OrganizationId: guidLike,
  /** Dataverse environment URL, e.g. https://contoso.crm4.dynamics.com/ */
  DataverseUrl: url,
  /** Entra ID authority, e.g. https://login.microsoftonline.com/<tenant-id> */
  Authority: url,
  ClientId: z.string().min(1),
  ClientSecret: z.string().min(1),
  /** Shared secret Dataverse sends in header `x-autoinvoice-key` (or `?code=`). */
  WebhookSecret: z.string().min(8),
  /** Signed licence token issued by the vendor. Optional: without it nothing is sent (licence_missing). */
  Licence: z.string().optional(),
  /** Override of the organisation's language for messages. */
  Language: z.enum(['nl', 'en']).optional(),
  ExactRegion: ExactRegionSchema.default('nl'),
  /** Override of the Exact base URL (sandbox, tests). */
  ExactBaseUrl: url.optional(),
  ExactClientId: z.string().min(1),
  ExactClientSecret: z.string().min(1),
  ExactRedirectUri: url,
  /**
   * The app's webhook secret from Exact's App Center (next to its client secret): the key of every webhook's
   * `HashCode` (decision 0125). Without it the connector subscribes to no webhook and the sweep alone finds
   * invoices born in Exact.
   */
  ExactWebhookSecret: z.string().min(8).optional(),
  /** Extra CA certificate (PEM) trusted for the Entra authority: only the local sandbox needs it. */
  ExtraCaPem: pem.optional(),
});
export type TenantSettings = z.infer<typeof TenantSettingsSchema>;

export const SettingsSchema = z.object({
  /** `local` = the one-process host behind `npm start`; `azure` = Functions host. */
  Mode: z.enum(['local', 'azure']).default('azure'),
  /** Table Storage for the ledger and token store: a connection string, or the table endpoint URL (managed identity). */
  Storage__ConnectionString: storageConnection,
  /** Client id of the user-assigned managed identity (Azure); empty = DefaultAzureCredential. */
  ManagedIdentityClientId: z.string().optional(),
  ServiceBusConnection: z.string().optional(),
  ServiceBusConnection__fullyQualifiedNamespace: z.string().optional(),
  DispatchQueueName: z.string().default('dispatch'),
  /** Queue that Dataverse's own Service Bus integration posts to (JSON format). */
  DataverseEventsQueueName: z.string().default('dataverse-events'),
  /** Vendor's Ed25519 public key (PEM) that licences are verified with. */
  LicencePublicKey: ed25519PublicKey,
  /** AES-256-GCM key for Exact tokens at rest. */
  TokenEncryptionKey: base64Key32,
  /** Lease held while printing one invoice (ms). */
  DispatchLeaseMs: z.coerce.number().int().min(10_000).default(120_000),
  /** Application Insights; telemetry is off without it (decision 0063). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
  /**
   * The operator console's sign-in in Azure (issue 18, decision 0092): Entra ID tokens of this issuer
   * (`https://login.microsoftonline.com/<tenant>/v2.0`) for this audience (the app registration's client id),
   * verified against the tenant's keys (`https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`).
   * Without them the console refuses everyone in Azure; locally it answers loopback callers only.
   */
  ConsoleAuth__Issuer: z.url().optional(),
  ConsoleAuth__Audience: z.string().min(1).optional(),
  ConsoleAuth__JwksUrl: z.url().optional(),
  /** DNS servers for the plan's SPF pre-flight (`host:port`, comma-separated); default the system's (decision 0094). */
  SpfDnsServers: z.string().optional(),
  /**
   * Events of one administration arriving within this window (ms) share one delivery and so one Exact status
   * confirmation (decision 0100); 0 dispatches every event at once, alone.
   */
  EventWindowMs: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /**
   * With Exact's webhooks on (a tenant's ExactWebhookSecret), an invoice's open status read this recently (ms),
   * with no SalesInvoices webhook for it since, stands in for a status call before printing; 0 = always ask
   * (decision 0155).
   */
  ExactInvoiceReuseMs: z.coerce.number().int().min(0).max(300_000).default(60_000),
  /** The same for an Exact account and the Accounts webhook (decision 0155); 0 = always read before printing. */
  ExactAccountReuseMs: z.coerce.number().int().min(0).max(86_400_000).default(900_000),
  /** Sweep period, NCRONTAB (6 fields). */
  SweepSchedule: z.string().default('0 */5 * * * *'),
  /** The daily master-data sync from Exact (PRODUCT.md §11), NCRONTAB, UTC. */
  MasterDataSyncSchedule: z.string().default('0 30 3 * * *'),
  /** Peppol SML zone asked before choosing Peppol (PRODUCT.md §13); the test SMK is acc.edelivery.tech.ec.europa.eu. */
  PeppolZone: z.string().min(3).default('edelivery.tech.ec.europa.eu'),
  /** DNS servers for the SML lookup (`host[:port]`, comma-separated); the system's when absent. */
  PeppolDnsServers: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined,
    ),
  /** An extra CA (PEM) trusted for SMP requests: the local Peppol sandbox only. */
  PeppolSmpCaPem: pem.optional(),
  Tenants: z
    .record(z.string().regex(/^[A-Za-z0-9_-]+$/), TenantSettingsSchema)
    .refine(
      (t) => Object.keys(t).length > 0,
      'at least one tenant (Tenants__<name>__OrganizationId …) is required',
    ),
});
export type Settings = z.infer<typeof SettingsSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

/**
 * Folds flat app settings (`Tenants__contoso__ClientId`) into the nested shape and validates it.
 * Unknown variables are ignored (the environment holds much else).
 */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const flat: Record<string, unknown> = {};
  const tenants: Record<string, Record<string, string>> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const m = /^Tenants__([^_]+(?:_[^_]+)*)__([A-Za-z]+)$/.exec(name);
    if (m) {
      (tenants[m[1]!] ??= {})[m[2]!] = value;
    } else if (name in SettingsSchema.shape) {
      flat[name] = value;
    }
  }
  flat.Tenants = tenants;
  const result = SettingsSchema.safeParse(flat);
  if (!result.success) {
    throw new SettingsError(
      result.error.issues.map((i) => {
        const path = i.path.join('__') || '(settings)';
        const what = i.message.endsWith('received undefined') ? 'is missing' : i.message;
        return `${path}: ${what}`;
      }),
    );
  }
  const settings = result.data;
  if (
    settings.Mode === 'azure' &&
    !settings.ServiceBusConnection &&
    !settings.ServiceBusConnection__fullyQualifiedNamespace
  ) {
    throw new SettingsError([
      'ServiceBusConnection: is missing (set ServiceBusConnection or ServiceBusConnection__fullyQualifiedNamespace)',
    ]);
  }
  return settings;
}

/** Flattens settings back to app-setting names (for local.settings.example.json and diagnostics). */
export function settingNames(): string[] {
  const top = Object.keys(SettingsSchema.shape).filter((k) => k !== 'Tenants');
  const tenant = Object.keys(TenantSettingsSchema.shape).map((k) => `Tenants__<name>__${k}`);
  return [...top, ...tenant];
}
