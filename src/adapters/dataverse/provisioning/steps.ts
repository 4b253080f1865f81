/**
 * The asynchronous post-operation steps (`sdkmessageprocessingstep`) on Create and Update of eol_salesinvoice
 * that both registrations need — the webhook's and the Service Bus endpoint's: created when absent, updated
 * field by field when they differ, so a second run changes nothing.
 */
import type { Change } from './plan';
import { ENTITY, type Registry, type Step } from './registry';

const STAGE_POST_OPERATION = 40;
const MODE_ASYNC = 1;

export interface DesiredStep {
  message: 'Create' | 'Update';
  name: string;
  filteringattributes: string | null;
}

type MessageIds = Record<DesiredStep['message'], { message: string; filter: string }>;

/** Removes an endpoint's steps, then the endpoint (Dataverse refuses the other order). */
export async function planEndpointRemoval(
  reg: Registry,
  endpoint: { serviceendpointid: string },
  name: string,
  detail: string | undefined,
): Promise<Change[]> {
  const changes: Change[] = (await reg.steps(endpoint.serviceendpointid)).map((s) => ({
    action: 'delete' as const,
    what: `step '${s.name ?? s.sdkmessageprocessingstepid}'`,
    apply: () => reg.remove('sdkmessageprocessingsteps', s.sdkmessageprocessingstepid),
  }));
  changes.push({
    action: 'delete',
    what: `service endpoint '${name}'`,
    detail,
    apply: () => reg.remove('serviceendpoints', endpoint.serviceendpointid),
  });
  return changes;
}

/** Changes that bring the endpoint's steps to `desired`; `endpointId` is read when a change is applied. */
export function planSteps(
  reg: Registry,
  existing: Step[],
  ids: MessageIds,
  desired: DesiredStep[],
  endpointId: () => string | undefined,
): Change[] {
  const changes: Change[] = [];
  for (const want of desired) {
    const msg = ids[want.message];
    const wanted = {
      name: want.name,
      stage: STAGE_POST_OPERATION,
      mode: MODE_ASYNC,
      rank: 1,
      supporteddeployment: 0,
      asyncautodelete: true,
      filteringattributes: want.filteringattributes,
    };
    const binds = {
      'sdkmessageid@odata.bind': `/sdkmessages(${msg.message})`,
      'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${msg.filter})`,
    };
    const have = existing.find((s) => s._sdkmessageid_value?.toLowerCase() === msg.message.toLowerCase());
    if (!have) {
      changes.push({
        action: 'create',
        what: `step '${want.name}'`,
        detail: `post-operation, asynchronous${want.filteringattributes ? `, filtering ${want.filteringattributes}` : ''}`,
        apply: async () => {
          await reg.create('sdkmessageprocessingsteps', {
            ...wanted,
            ...binds,
            'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId()})`,
          });
        },
      });
      continue;
    }
    const diffs = stepDiffs(have, wanted, msg.filter);
    if (diffs.length > 0) {
      changes.push({
        action: 'update',
        what: `step '${want.name}'`,
        detail: diffs.join(', '),
        apply: () =>
          reg.update('sdkmessageprocessingsteps', have.sdkmessageprocessingstepid, { ...wanted, ...binds }),
      });
    }
  }
  return changes;
}

function stepDiffs(
  have: Step,
  want: {
    name: string;
    stage: number;
    mode: number;
    rank: number;
    asyncautodelete: boolean;
    filteringattributes: string | null;
  },
  filter: string,
): string[] {
  const out: string[] = [];
  if (have.name !== want.name) out.push(`name → ${want.name}`);
  if (have.stage !== want.stage) out.push(`stage ${String(have.stage)} → ${want.stage}`);
  if (have.mode !== want.mode) out.push('asynchronous');
  if (have.rank !== want.rank) out.push(`rank → ${want.rank}`);
  if (have.asyncautodelete !== want.asyncautodelete) out.push('delete job when successful');
  if (attributeSet(have.filteringattributes) !== attributeSet(want.filteringattributes))
    out.push(`filtering attributes → ${want.filteringattributes ?? '(all)'}`);
  if (have._sdkmessagefilterid_value?.toLowerCase() !== filter.toLowerCase()) out.push(`table → ${ENTITY}`);
  return out;
}

const attributeSet = (s: string | null | undefined): string =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(',');
