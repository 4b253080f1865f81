import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TRIGGER_ATTRIBUTES } from '../invoiceChanged';
import type { DataverseClient } from '../client';
import type { Change, Plan } from './plan';
import { ENTITY, Registry } from './registry';
import { planEndpointRemoval, planSteps, type DesiredStep } from './steps';

/**
 * Dataverse's second intake (PRODUCT.md §3, decision 0021): a `serviceendpoint` with contract 2 (Queue) that
 * posts the RemoteExecutionContext as JSON (messageformat 2) to the `dataverse-events` queue, authenticated with
 * the send-only SAS rule the Bicep creates (authtype 2 SAS Key; `saskey` is write-only, IsValidForRead False —
 * reference/entities/serviceendpoint.md), plus asynchronous post-operation steps on Create and Update of
 * eol_salesinvoice with the webhook's filtering attributes. As for the webhook, the description carries a
 * fingerprint of the key, so a second run tells "same key" from "rotated" without reading it.
 */
export const SERVICE_BUS_ENDPOINT_NAME = 'AutoInvoice Service Bus';
const CONTRACT_QUEUE = 2;
const AUTH_SAS_KEY = 2;
const NAMESPACE_FORMAT_ADDRESS = 2;
const CONNECTION_NORMAL = 1;
const FORMAT_JSON = 2;
const USER_CLAIM_NONE = 1;

export interface ServiceBusEndpointConfig {
  /** `<namespace>.servicebus.windows.net` */
  namespaceHost: string;
  queue: string;
  keyName: string;
  key: string;
}

/**
 * `Endpoint=sb://<ns>.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=<queue>` →
 * the endpoint's settings, or the problem (naming parts, never the key).
 */
export function parseServiceBusConnection(
  connection: string,
  defaultQueue: string,
): ServiceBusEndpointConfig | { problem: string } {
  const parts = new Map<string, string>();
  for (const part of connection.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) parts.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
  }
  const endpoint = /^sb:\/\/([a-z0-9][a-z0-9.-]*[a-z0-9])\/?$/i.exec(parts.get('endpoint') ?? '');
  const keyName = parts.get('sharedaccesskeyname');
  const key = parts.get('sharedaccesskey');
  if (!endpoint)
    return {
      problem: 'the Service Bus connection string needs Endpoint=sb://<namespace>.servicebus.windows.net/',
    };
  if (!keyName || !key)
    return { problem: 'the Service Bus connection string needs SharedAccessKeyName and SharedAccessKey' };
  if (keyName === 'RootManageSharedAccessKey')
    return {
      problem:
        'refusing the namespace root key: use the send-only rule dataverse-send (Key Vault secret dataverse-events-send)',
    };
  if (key.length > 256) return { problem: 'SharedAccessKey is longer than Dataverse accepts (256)' };
  return {
    namespaceHost: endpoint[1]!.toLowerCase(),
    queue: parts.get('entitypath') ?? defaultQueue,
    keyName,
    key,
  };
}

export function sasFingerprint(cfg: ServiceBusEndpointConfig): string {
  const h = createHash('sha256').update(`autoinvoice-servicebus-key\n${cfg.keyName}\n${cfg.key}`, 'utf8');
  return `sha256:${h.digest('hex').slice(0, 16)}`;
}

const description = (cfg: ServiceBusEndpointConfig) =>
  `AutoInvoice connector: eol_salesinvoice events to queue ${cfg.queue}. Key ${cfg.keyName} fingerprint ${sasFingerprint(cfg)}. Managed by npm run dataverse -- register-service-bus.`;

const SbEndpointSchema = z
  .object({
    serviceendpointid: z.string(),
    name: z.string(),
    namespaceaddress: z.string().nullish(),
    path: z.string().nullish(),
    saskeyname: z.string().nullish(),
    authtype: z.number().nullish(),
    messageformat: z.number().nullish(),
    description: z.string().nullish(),
  })
  .passthrough();
type SbEndpoint = z.infer<typeof SbEndpointSchema>;

async function findEndpoint(reg: Registry): Promise<SbEndpoint | undefined> {
  const rows = await reg.list(
    'read service endpoint',
    SbEndpointSchema,
    'serviceendpoints',
    `contract eq ${CONTRACT_QUEUE} and name eq '${SERVICE_BUS_ENDPOINT_NAME}'`,
    [
      'serviceendpointid',
      'name',
      'namespaceaddress',
      'path',
      'saskeyname',
      'authtype',
      'messageformat',
      'description',
    ],
  );
  return rows[0];
}

function endpointDiffs(
  have: SbEndpoint,
  cfg: ServiceBusEndpointConfig,
): { diffs: string[]; rotated: boolean } {
  const diffs: string[] = [];
  const address = `sb://${cfg.namespaceHost}/`;
  if (have.namespaceaddress !== address) diffs.push(`namespace → ${address}`);
  if (have.path !== cfg.queue) diffs.push(`queue → ${cfg.queue}`);
  if (have.authtype !== AUTH_SAS_KEY || have.saskeyname !== cfg.keyName)
    diffs.push(`SAS key name → ${cfg.keyName}`);
  if (have.messageformat !== FORMAT_JSON) diffs.push('message format → JSON');
  const rotated = !(have.description ?? '').includes(sasFingerprint(cfg));
  if (rotated) diffs.push('new key');
  return { diffs, rotated };
}

export async function planServiceBusRegistration(
  client: DataverseClient,
  cfg: ServiceBusEndpointConfig,
): Promise<Plan> {
  const reg = new Registry(client);
  const changes: Change[] = [];
  const ids = { Create: await reg.messageIds('Create'), Update: await reg.messageIds('Update') };
  const endpoint = await findEndpoint(reg);
  let endpointId = endpoint?.serviceendpointid;
  const settings = {
    name: SERVICE_BUS_ENDPOINT_NAME,
    contract: CONTRACT_QUEUE,
    connectionmode: CONNECTION_NORMAL,
    authtype: AUTH_SAS_KEY,
    namespaceformat: NAMESPACE_FORMAT_ADDRESS,
    namespaceaddress: `sb://${cfg.namespaceHost}/`,
    solutionnamespace: cfg.namespaceHost.split('.')[0],
    path: cfg.queue,
    saskeyname: cfg.keyName,
    messageformat: FORMAT_JSON,
    userclaim: USER_CLAIM_NONE,
    description: description(cfg),
  };
  const what = `service endpoint '${SERVICE_BUS_ENDPOINT_NAME}'`;
  if (!endpoint) {
    changes.push({
      action: 'create',
      what,
      detail: `queue ${cfg.queue} on ${cfg.namespaceHost}, JSON, SAS key ${cfg.keyName}`,
      apply: async () => {
        endpointId = await reg.create('serviceendpoints', { ...settings, saskey: cfg.key });
      },
    });
  } else {
    const { diffs, rotated } = endpointDiffs(endpoint, cfg);
    if (diffs.length > 0)
      changes.push({
        action: 'update',
        what,
        detail: diffs.join(', '),
        apply: () =>
          reg.update('serviceendpoints', endpoint.serviceendpointid, {
            ...settings,
            ...(rotated ? { saskey: cfg.key } : {}),
          }),
      });
  }
  const existing = endpointId ? await reg.steps(endpointId) : [];
  const desired: DesiredStep[] = (['Create', 'Update'] as const).map((message) => ({
    message,
    name: `${SERVICE_BUS_ENDPOINT_NAME}: ${message} of ${ENTITY}`,
    filteringattributes: message === 'Update' ? TRIGGER_ATTRIBUTES.join(',') : null,
  }));
  changes.push(...planSteps(reg, existing, ids, desired, () => endpointId));
  return { changes, conflicts: [] };
}

/** Removes the Service Bus endpoint's steps, then the endpoint; the webhook registration is left alone. */
export async function planServiceBusRemoval(client: DataverseClient): Promise<Plan> {
  const reg = new Registry(client);
  const endpoint = await findEndpoint(reg);
  if (!endpoint) return { changes: [], conflicts: [] };
  const detail = endpoint.path ?? undefined;
  return {
    changes: await planEndpointRemoval(reg, endpoint, SERVICE_BUS_ENDPOINT_NAME, detail),
    conflicts: [],
  };
}
