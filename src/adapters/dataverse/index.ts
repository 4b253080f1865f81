import type { DynamicsMail } from '../../app/mail/ports';
import type { MasterDataRecords } from '../../app/masterData/records';
import type { InvoiceRecords, Notifier, TenantDirectory } from '../../app/ports';
import type { Language } from '../../domain/types';
import { activateAdministration } from './administrationSwitch';
import { DataverseClient, type DataverseClientConfig } from './client';
import { DataverseTenantDirectory } from './directory';
import { DataverseMail } from './mail';
import { DataverseMasterDataRecords } from './masterData';
import { AdminNotices, type ConnectionState } from './adminNotices';
import { DataverseNotifier } from './notifier';
import { DataverseInvoiceRecords } from './records';

export {
  DataverseAuthError,
  DataverseError,
  DataverseNotFoundError,
  DataverseThrottledError,
  DataverseTransientError,
  DataverseValidationError,
} from './errors';

export interface DataverseGatewayConfig {
  /** Environment URL, e.g. https://contoso.crm4.dynamics.com/ */
  serverUrl: string;
  /** Entra ID authority, e.g. https://login.microsoftonline.com/<tenantId> */
  authority: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Extra CA (PEM) trusted for the authority: only the local sandbox needs one. */
  extraCaPem?: string;
  /** Overrides organization.languagecode for messages. */
  language?: Language;
  /** Attempts per request on 429 / 5xx (default 5). */
  maxAttempts?: number;
  /** Waits between attempts; tests inject one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  onCall?: DataverseClientConfig['onCall'];
  /** The tenant's Exact connection (`lost` with the moment it was lost), for the administrators' notice. */
  exactConnection?: () => Promise<ConnectionState>;
}

export interface DataverseGateway {
  records: InvoiceRecords;
  directory: TenantDirectory;
  notifier: Notifier;
  /** The master-data mirror's rows (PRODUCT.md §11). */
  masterData: MasterDataRecords;
  /** Switches an administration on with a backlog date (the operator's activate). */
  activate(administrationId: string, activeFrom: string): Promise<void>;
  /** In-app notifications to the AutoInvoice administrators (licence expiry, lost connection). */
  adminNotices: AdminNotices;
  /** Invoice email from Dynamics 365: template, email activity, PDF attachment, send, status (issue 15). */
  mail: DynamicsMail;
  /** Web API requests made so far (each retry counts). */
  calls(): number;
}

/** One tenant's Dataverse: dynamics-web-api + msal-node client credentials (scope `<serverUrl>/.default`). */
export function createDataverseGateway(cfg: DataverseGatewayConfig): DataverseGateway {
  const client = new DataverseClient({
    serverUrl: cfg.serverUrl,
    authority: withTenant(cfg.authority, cfg.tenantId),
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    ...(cfg.extraCaPem ? { extraCaPem: cfg.extraCaPem } : {}),
    ...(cfg.maxAttempts ? { maxAttempts: cfg.maxAttempts } : {}),
    ...(cfg.sleep ? { sleep: cfg.sleep } : {}),
    ...(cfg.timeoutMs ? { timeoutMs: cfg.timeoutMs } : {}),
    ...(cfg.onCall ? { onCall: cfg.onCall } : {}),
  });
  const directory = new DataverseTenantDirectory(client, cfg.language);
  const adminNotices = new AdminNotices(client, directory, cfg.exactConnection);
  return {
    records: new DataverseInvoiceRecords(client),
    directory,
    notifier: new DataverseNotifier(client, directory, adminNotices),
    adminNotices,
    masterData: new DataverseMasterDataRecords(client),
    mail: new DataverseMail(client),
    activate: (id, from) => activateAdministration(client, id, from),
    calls: () => client.calls(),
  };
}

/** An authority given as a bare host (`https://login.microsoftonline.com`) gets the tenant appended. */
function withTenant(authority: string, tenantId: string): string {
  const url = new URL(authority);
  return url.pathname === '/' || url.pathname === ''
    ? `${url.origin}/${tenantId}`
    : authority.replace(/\/+$/, '');
}
