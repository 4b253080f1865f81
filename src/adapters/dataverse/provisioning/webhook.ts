import { createHash } from 'node:crypto';
import { TRIGGER_ATTRIBUTES } from '../invoiceChanged';
import type { DataverseClient } from '../client';
import type { Change, Plan } from './plan';
import { CONTRACT_WEBHOOK, ENTITY, Registry, WEBHOOK_NAME } from './registry';
import { planEndpointRemoval, planSteps, type DesiredStep } from './steps';

export { WEBHOOK_NAME };

/**
 * The webhook registration of PRODUCT.md §3 as `serviceendpoint` + `sdkmessageprocessingstep` rows
 * (shared/reference/dataverse-and-azure.md §1.1): contract 8 (webhook), authtype 5 (HttpHeader) with the
 * tenant's secret in `x-autoinvoice-key`, and asynchronous post-operation steps on Create and Update of
 * eol_salesinvoice. `authvalue` cannot be read back, so the endpoint's description carries a fingerprint
 * of the secret: a second run can tell "same secret" from "rotated" without ever seeing it.
 */
export const WEBHOOK_HEADER = 'x-autoinvoice-key';
const AUTH_HTTP_HEADER = 5;
const FORMAT_JSON = 2;

export interface WebhookConfig {
  url: string;
  secret: string;
}

export function secretFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(`autoinvoice-webhook-key\n${secret}`, 'utf8').digest('hex').slice(0, 16)}`;
}

export function authValue(secret: string): string {
  const attr = secret
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return `<settings><setting name="${WEBHOOK_HEADER}" value="${attr}" /></settings>`;
}

/** Dataverse calls webhooks on ports 80 and 443 only (register-web-hook.md). */
export function checkWebhookUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `--webhook-url is not a URL`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return '--webhook-url must be http(s)';
  if (u.port && u.port !== '80' && u.port !== '443')
    return `--webhook-url uses port ${u.port}; Dataverse calls webhooks on ports 80 and 443 only`;
  if (u.search) return '--webhook-url must carry no query string: the key travels in a header';
  return null;
}

const description = (secret: string) =>
  `AutoInvoice connector: eol_salesinvoice events. Key fingerprint ${secretFingerprint(secret)}. Managed by npm run dataverse -- register-webhook.`;

const DESIRED_STEPS: DesiredStep[] = [
  { message: 'Create', name: `AutoInvoice: Create of ${ENTITY}`, filteringattributes: null },
  {
    message: 'Update',
    name: `AutoInvoice: Update of ${ENTITY}`,
    filteringattributes: TRIGGER_ATTRIBUTES.join(','),
  },
];

export async function planWebhookRegistration(client: DataverseClient, cfg: WebhookConfig): Promise<Plan> {
  const reg = new Registry(client);
  const changes: Change[] = [];
  const ids = { Create: await reg.messageIds('Create'), Update: await reg.messageIds('Update') };
  const endpoint = await reg.endpoint();
  let endpointId = endpoint?.serviceendpointid;
  const wantedEndpoint = {
    name: WEBHOOK_NAME,
    contract: CONTRACT_WEBHOOK,
    authtype: AUTH_HTTP_HEADER,
    url: cfg.url,
    messageformat: FORMAT_JSON,
    userclaim: 1,
    description: description(cfg.secret),
  };
  if (!endpoint) {
    changes.push({
      action: 'create',
      what: `service endpoint '${WEBHOOK_NAME}'`,
      detail: `webhook ${cfg.url}, key in header ${WEBHOOK_HEADER}`,
      apply: async () => {
        endpointId = await reg.create('serviceendpoints', {
          ...wantedEndpoint,
          authvalue: authValue(cfg.secret),
        });
      },
    });
  } else {
    const diffs: string[] = [];
    if (endpoint.url !== cfg.url) diffs.push(`url → ${cfg.url}`);
    if (endpoint.authtype !== AUTH_HTTP_HEADER) diffs.push(`authentication → HttpHeader ${WEBHOOK_HEADER}`);
    const rotated = !(endpoint.description ?? '').includes(secretFingerprint(cfg.secret));
    if (rotated) diffs.push('new key');
    if (diffs.length > 0) {
      const data = {
        url: cfg.url,
        authtype: AUTH_HTTP_HEADER,
        description: description(cfg.secret),
        ...(rotated || endpoint.authtype !== AUTH_HTTP_HEADER ? { authvalue: authValue(cfg.secret) } : {}),
      };
      changes.push({
        action: 'update',
        what: `service endpoint '${WEBHOOK_NAME}'`,
        detail: diffs.join(', '),
        apply: () => reg.update('serviceendpoints', endpoint.serviceendpointid, data),
      });
    }
  }

  const existing = endpointId ? await reg.steps(endpointId) : [];
  changes.push(...planSteps(reg, existing, ids, DESIRED_STEPS, () => endpointId));
  return { changes, conflicts: [] };
}

/** Removes the steps on the connector's endpoint, then the endpoint (Dataverse refuses the other order). */
export async function planWebhookRemoval(client: DataverseClient): Promise<Plan> {
  const reg = new Registry(client);
  const endpoint = await reg.endpoint();
  if (!endpoint) return { changes: [], conflicts: [] };
  return {
    changes: await planEndpointRemoval(reg, endpoint, WEBHOOK_NAME, endpoint.url ?? undefined),
    conflicts: [],
  };
}
