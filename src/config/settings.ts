import { z } from 'zod';

/**
 * Every setting of the connector, named as Azure app settings (`__` nests), parsed ONCE at start-up.
 * A missing or invalid setting stops start-up with a message naming it (never its value: values may be secrets).
 */

const url = z.string().url();
const guidLike = z.string().regex(/^[0-9a-fA-F-]{36}$/, 'must be a GUID');
const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded');
const pem = z.string().refine((v) => v.includes('-----BEGIN'), 'must be a PEM block');

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
  /** Extra CA certificate (PEM) trusted for the Entra authority: only the local sandbox needs it. */
  ExtraCaPem: pem.optional(),
});
export type TenantSettings = z.infer<typeof TenantSettingsSchema>;

export const SettingsSchema = z.object({
  /** `local` = the one-process host behind `npm start`; `azure` = Functions host. */
  Mode: z.enum(['local', 'azure']).default('azure'),
  /** Table Storage for the ledger and token store: a connection string, or the table endpoint URL (managed identity). */
  Storage__ConnectionString: z.string().min(1),
  /** Client id of the user-assigned managed identity (Azure); empty = DefaultAzureCredential. */
  ManagedIdentityClientId: z.string().optional(),
  ServiceBusConnection: z.string().optional(),
  ServiceBusConnection__fullyQualifiedNamespace: z.string().optional(),
  DispatchQueueName: z.string().default('dispatch'),
  /** Queue that Dataverse's own Service Bus integration posts to (JSON format). */
  DataverseEventsQueueName: z.string().default('dataverse-events'),
  /** Vendor's Ed25519 public key (PEM) that licences are verified with. */
  LicencePublicKey: pem,
  /** AES-256-GCM key for Exact tokens at rest. */
  TokenEncryptionKey: base64Key32,
  /** Lease held while printing one invoice (ms). */
  DispatchLeaseMs: z.coerce.number().int().min(10_000).default(120_000),
  /** Application Insights; telemetry is off without it (decision 0063). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
  /** Sweep period, NCRONTAB (6 fields). */
  SweepSchedule: z.string().default('0 */5 * * * *'),
  Tenants: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), TenantSettingsSchema).refine(
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
  if (settings.Mode === 'azure' && !settings.ServiceBusConnection && !settings.ServiceBusConnection__fullyQualifiedNamespace) {
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
