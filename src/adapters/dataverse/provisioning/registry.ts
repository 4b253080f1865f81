import { z } from 'zod';
import type { DataverseClient } from '../client';
import { SALES_INVOICE } from '../vocabulary';

/** Reads and writes of the plug-in registration tables (serviceendpoints, sdkmessage*, steps). */
export const WEBHOOK_NAME = 'AutoInvoice webhook';
/** The table whose Create and Update steps call the webhook. */
export const ENTITY = SALES_INVOICE.name;
export const CONTRACT_WEBHOOK = 8;

export const EndpointSchema = z
  .object({
    serviceendpointid: z.string(),
    name: z.string(),
    url: z.string().nullish(),
    authtype: z.number().nullish(),
    contract: z.number().nullish(),
    description: z.string().nullish(),
  })
  .passthrough();
export const StepSchema = z
  .object({
    sdkmessageprocessingstepid: z.string(),
    name: z.string().nullish(),
    stage: z.number().nullish(),
    mode: z.number().nullish(),
    rank: z.number().nullish(),
    filteringattributes: z.string().nullish(),
    asyncautodelete: z.boolean().nullish(),
    supporteddeployment: z.number().nullish(),
    _sdkmessageid_value: z.string().nullish(),
    _sdkmessagefilterid_value: z.string().nullish(),
  })
  .passthrough();
export type Step = z.infer<typeof StepSchema>;
const IdRows = (key: string) =>
  z.object({ value: z.array(z.object({ [key]: z.string() }).passthrough()) }).passthrough();

/** `sha256:` + 16 hex of a domain-separated hash: enough to notice a rotation, useless to log in with. */
export class Registry {
  constructor(private readonly client: DataverseClient) {}

  async list<S extends z.ZodTypeAny>(
    op: string,
    schema: S,
    collection: string,
    filter: string,
    select: string[],
  ): Promise<Array<z.infer<S>>> {
    const out = await this.client.run(op, (api) => api.retrieveMultiple({ collection, filter, select }), {
      idempotent: true,
    });
    return this.client.parse(op, z.object({ value: z.array(schema) }).passthrough(), out).value;
  }

  endpoint(): Promise<z.infer<typeof EndpointSchema> | undefined> {
    return this.list(
      'read service endpoint',
      EndpointSchema,
      'serviceendpoints',
      `contract eq ${CONTRACT_WEBHOOK} and name eq '${WEBHOOK_NAME}'`,
      ['serviceendpointid', 'name', 'url', 'authtype', 'contract', 'description'],
    ).then((r) => r[0]);
  }

  steps(endpointId: string): Promise<Step[]> {
    return this.list(
      'read steps',
      StepSchema,
      'sdkmessageprocessingsteps',
      `_eventhandler_value eq ${endpointId}`,
      [
        'sdkmessageprocessingstepid',
        'name',
        'stage',
        'mode',
        'rank',
        'filteringattributes',
        'asyncautodelete',
        'supporteddeployment',
        '_sdkmessageid_value',
        '_sdkmessagefilterid_value',
      ],
    );
  }

  async messageIds(message: 'Create' | 'Update'): Promise<{ message: string; filter: string }> {
    const msgs = await this.client.run(
      `read sdkmessage ${message}`,
      (api) =>
        api.retrieveMultiple({
          collection: 'sdkmessages',
          filter: `name eq '${message}'`,
          select: ['sdkmessageid'],
        }),
      { idempotent: true },
    );
    const msg = this.client.parse('read sdkmessage', IdRows('sdkmessageid'), msgs).value[0]?.sdkmessageid;
    if (!msg) throw new Error(`Dataverse has no sdkmessage named ${message}`);
    const filters = await this.client.run(
      `read sdkmessagefilter ${message} ${ENTITY}`,
      (api) =>
        api.retrieveMultiple({
          collection: 'sdkmessagefilters',
          filter: `primaryobjecttypecode eq '${ENTITY}' and _sdkmessageid_value eq ${msg}`,
          select: ['sdkmessagefilterid'],
        }),
      { idempotent: true },
    );
    const filter = this.client.parse('read sdkmessagefilter', IdRows('sdkmessagefilterid'), filters).value[0]
      ?.sdkmessagefilterid;
    if (!filter)
      throw new Error(
        `Dataverse has no ${message} message filter for ${ENTITY}: run "npm run dataverse -- provision" first`,
      );
    return { message: String(msg), filter: String(filter) };
  }

  async create(collection: string, data: Record<string, unknown>): Promise<string> {
    const id = await this.client.run(`create ${collection}`, (api) => api.create({ collection, data }), {
      idempotent: false,
    });
    return String(id);
  }

  async update(collection: string, key: string, data: Record<string, unknown>): Promise<void> {
    await this.client.run(`update ${collection}`, (api) => api.update({ collection, key, data }), {
      idempotent: true,
    });
  }

  async remove(collection: string, key: string): Promise<void> {
    await this.client.run(`delete ${collection}`, (api) => api.deleteRecord({ collection, key }), {
      idempotent: true,
    });
  }
}
