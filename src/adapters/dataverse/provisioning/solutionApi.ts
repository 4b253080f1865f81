/**
 * Reads and writes of the solution-aware tables for `provision` (forms, views, web resources, app,
 * site map, commands, roles, publisher, solution) and the actions that relate them: AddAppComponents,
 * AddSolutionComponent, AddPrivilegesRole, RetrieveRolePrivilegesRole, PublishXml. Rows are read with
 * zod at the edge; only the columns the plan compares are selected.
 */
import { z } from 'zod';
import type { DataverseClient } from '../client';
import { DataverseNotFoundError } from '../errors';

const Rows = z.object({ value: z.array(z.record(z.string(), z.unknown())) }).passthrough();
export type ReadRow = Record<string, unknown>;

export const RolePrivilegesSchema = z
  .object({
    RolePrivileges: z.array(
      z.object({ PrivilegeId: z.string(), Depth: z.union([z.string(), z.number()]) }).passthrough(),
    ),
  })
  .passthrough();

export class SolutionApi {
  constructor(private readonly client: DataverseClient) {}

  async list(collection: string, filter: string, select: string[]): Promise<ReadRow[]> {
    const op = `read ${collection}`;
    const out = await this.client.run(op, (api) => api.retrieveMultiple({ collection, filter, select }), {
      idempotent: true,
    });
    return this.client.parse(op, Rows, out).value;
  }

  async byId(collection: string, key: string, id: string, select: string[]): Promise<ReadRow | undefined> {
    return (await this.list(collection, `${key} eq ${id}`, select))[0];
  }

  async create(collection: string, data: Record<string, unknown>): Promise<void> {
    await this.client.run(`create ${collection}`, (api) => api.create({ collection, data }), {
      idempotent: false,
    });
  }

  async update(collection: string, key: string, data: Record<string, unknown>): Promise<void> {
    await this.client.run(`update ${collection}`, (api) => api.update({ collection, key, data }), {
      idempotent: true,
    });
  }

  async action(name: string, body: Record<string, unknown>, bound?: { collection: string; key: string }) {
    return this.client.run(
      `call ${name}`,
      (api) =>
        api.callAction({
          actionName: bound ? `Microsoft.Dynamics.CRM.${name}` : name,
          action: body,
          ...(bound ?? {}),
        }),
      { idempotent: true },
    );
  }

  async rolePrivileges(roleId: string): Promise<z.infer<typeof RolePrivilegesSchema>['RolePrivileges']> {
    const op = 'read role privileges';
    const out = await this.client.run(
      op,
      (api) => api.callFunction({ name: 'RetrieveRolePrivilegesRole', parameters: { RoleId: roleId } }),
      { idempotent: true },
    );
    return this.client.parse(op, RolePrivilegesSchema, out).RolePrivileges;
  }

  async entityMetadataId(logicalName: string): Promise<string | null> {
    return this.metadataId(`read table ${logicalName}`, (api) =>
      api.retrieveEntity({ key: `LogicalName='${logicalName}'`, select: ['MetadataId'] }),
    );
  }

  /** A global choice's MetadataId (solution component type 9), null when it does not exist yet. */
  async optionSetMetadataId(name: string): Promise<string | null> {
    return this.metadataId(`read choice ${name}`, (api) =>
      api.retrieveGlobalOptionSet({ key: `Name='${name}'`, select: ['MetadataId'] }),
    );
  }

  /** A column's MetadataId (solution component type 2), null when it does not exist yet. */
  async attributeMetadataId(entity: string, attribute: string): Promise<string | null> {
    return this.metadataId(`read column ${entity}.${attribute}`, (api) =>
      api.retrieveAttribute({
        entityKey: `LogicalName='${entity}'`,
        attributeKey: `LogicalName='${attribute}'`,
        select: ['MetadataId'],
      }),
    );
  }

  private async metadataId(op: string, read: Parameters<DataverseClient['run']>[1]): Promise<string | null> {
    try {
      const out = await this.client.run(op, read, { idempotent: true });
      return this.client
        .parse(op, z.object({ MetadataId: z.string() }).passthrough(), out)
        .MetadataId.toLowerCase();
    } catch (err) {
      if (err instanceof DataverseNotFoundError) return null;
      throw err;
    }
  }

  /** The ids of the rows related through a many-to-many navigation property (e.g. an app's roles). */
  async related(collection: string, key: string, nav: string, idColumn: string): Promise<string[]> {
    const op = `read ${collection} ${nav}`;
    try {
      const out = await this.client.run(
        op,
        (api) => api.retrieve({ collection, key, navigationProperty: nav, select: [idColumn] }),
        { idempotent: true },
      );
      return this.client.parse(op, Rows, out).value.map((r) => String(r[idColumn]).toLowerCase());
    } catch (err) {
      if (err instanceof DataverseNotFoundError) return [];
      throw err;
    }
  }

  async associate(collection: string, key: string, nav: string, related: string, relatedKey: string) {
    await this.client.run(
      `relate ${collection} ${nav}`,
      (api) =>
        api.associate({
          collection,
          primaryKey: key,
          relationshipName: nav,
          relatedCollection: related,
          relatedKey,
        }),
      { idempotent: true },
    );
  }

  async businessUnitId(): Promise<string> {
    const op = 'who am I';
    const out = await this.client.run(op, (api) => api.callFunction({ name: 'WhoAmI' }), {
      idempotent: true,
    });
    return this.client.parse(op, z.object({ BusinessUnitId: z.string() }).passthrough(), out).BusinessUnitId;
  }

  async languageCode(): Promise<number> {
    const rows = await this.list('organizations', '', ['languagecode']);
    return Number(rows[0]?.languagecode ?? 1033);
  }
}
