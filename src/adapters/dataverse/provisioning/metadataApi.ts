import { z } from 'zod';
import type { RetrieveRequest } from 'dynamics-web-api';
import type { DataverseClient } from '../client';
import { DataverseNotFoundError } from '../errors';
import type { Body } from './bodies';

/**
 * The Web API metadata calls provisioning makes, over the gateway's DataverseClient (msal, retries,
 * typed errors). Reads answer null for "does not exist"; writes name the solution when one is given
 * (MSCRM.SolutionUniqueName), which also decides the publisher prefix Dataverse checks.
 */
const Label = z
  .object({
    LocalizedLabels: z
      .array(z.object({ Label: z.string(), LanguageCode: z.number() }).passthrough())
      .default([]),
  })
  .passthrough()
  .nullish();

export const EntityReadSchema = z
  .object({
    MetadataId: z.string(),
    LogicalName: z.string(),
    EntitySetName: z.string().nullish(),
    DisplayName: Label,
    DisplayCollectionName: Label,
    HasActivities: z.boolean().nullish(),
  })
  .passthrough();
export type EntityRead = z.infer<typeof EntityReadSchema>;

export const AttributeReadSchema = z
  .object({
    '@odata.type': z.string(),
    MetadataId: z.string(),
    LogicalName: z.string(),
    DisplayName: Label,
    RequiredLevel: z.object({ Value: z.string() }).passthrough().nullish(),
  })
  .passthrough();
export type AttributeRead = z.infer<typeof AttributeReadSchema>;

const OptionRead = z.object({ Value: z.number(), Label }).passthrough();
export const OptionSetReadSchema = z
  .object({
    MetadataId: z.string(),
    Name: z.string().nullish(),
    IsGlobal: z.boolean().nullish(),
    Options: z.array(OptionRead).default([]),
  })
  .passthrough();
export type OptionSetRead = z.infer<typeof OptionSetReadSchema>;

export const PicklistReadSchema = z
  .object({
    LogicalName: z.string(),
    OptionSet: OptionSetReadSchema.nullish(),
    GlobalOptionSet: OptionSetReadSchema.nullish(),
  })
  .passthrough();
export type PicklistRead = z.infer<typeof PicklistReadSchema>;

export const KeyReadSchema = z
  .object({
    MetadataId: z.string(),
    SchemaName: z.string(),
    KeyAttributes: z.array(z.string()),
    EntityKeyIndexStatus: z.string().nullish(),
  })
  .passthrough();
export type KeyRead = z.infer<typeof KeyReadSchema>;

export const RelationshipReadSchema = z
  .object({
    MetadataId: z.string(),
    SchemaName: z.string(),
    ReferencedEntity: z.string(),
    ReferencingEntity: z.string(),
    ReferencingAttribute: z.string(),
  })
  .passthrough();
export type RelationshipRead = z.infer<typeof RelationshipReadSchema>;

const listOf = <S extends z.ZodTypeAny>(s: S) => z.object({ value: z.array(s) }).passthrough();

const NS = 'Microsoft.Dynamics.CRM.';

export class MetadataApi {
  constructor(
    private readonly client: DataverseClient,
    private readonly solution?: string,
  ) {}

  private get headers(): Record<string, string> {
    return this.solution ? { 'MSCRM.SolutionUniqueName': this.solution } : {};
  }

  private async read<S extends z.ZodTypeAny>(
    op: string,
    schema: S,
    fn: Parameters<DataverseClient['run']>[1],
  ): Promise<z.infer<S> | null> {
    try {
      return this.client.parse(op, schema, await this.client.run(op, fn, { idempotent: true }));
    } catch (err) {
      if (err instanceof DataverseNotFoundError) return null;
      throw err;
    }
  }

  private async write(op: string, fn: Parameters<DataverseClient['run']>[1]): Promise<string | null> {
    const out = await this.client.run(op, fn, { idempotent: false });
    return typeof out === 'string' ? out : null;
  }

  entity(name: string): Promise<EntityRead | null> {
    return this.read(`read table ${name}`, EntityReadSchema, (api) =>
      api.retrieveEntity({ key: `LogicalName='${name}'` }),
    );
  }

  async attributes(entity: string): Promise<AttributeRead[]> {
    const out = await this.read(`read columns of ${entity}`, listOf(AttributeReadSchema), (api) =>
      api.retrieveAttributes({ entityKey: `LogicalName='${entity}'` }),
    );
    return out?.value ?? [];
  }

  /** Choice columns with their option sets (a cast and $expand: the base attribute type has no OptionSet). */
  async choiceColumns(
    entity: string,
    type: 'PicklistAttributeMetadata' | 'MultiSelectPicklistAttributeMetadata',
  ): Promise<PicklistRead[]> {
    const out = await this.read(`read ${type} columns of ${entity}`, listOf(PicklistReadSchema), (api) =>
      api.retrieveAttributes({
        entityKey: `LogicalName='${entity}'`,
        castType: `${NS}${type}`,
        select: ['LogicalName'],
        expand: [
          { property: 'OptionSet', select: ['MetadataId', 'Name', 'IsGlobal', 'Options'] },
          { property: 'GlobalOptionSet', select: ['MetadataId', 'Name', 'IsGlobal', 'Options'] },
        ],
      }),
    );
    return out?.value ?? [];
  }

  async keys(entity: string): Promise<KeyRead[]> {
    const out = await this.read(`read keys of ${entity}`, listOf(KeyReadSchema), (api) =>
      // `retrieve` with a collection-valued navigation property: GET EntityDefinitions(…)/Keys answers {value:[…]}.
      api.retrieve({
        collection: 'EntityDefinitions',
        key: `LogicalName='${entity}'`,
        navigationProperty: 'Keys',
        select: ['MetadataId', 'SchemaName', 'KeyAttributes', 'EntityKeyIndexStatus'],
      } as RetrieveRequest),
    );
    return out?.value ?? [];
  }

  relationship(schemaName: string): Promise<RelationshipRead | null> {
    return this.read(`read relationship ${schemaName}`, RelationshipReadSchema, (api) =>
      api.retrieveRelationship({
        key: `SchemaName='${schemaName}'`,
        castType: `${NS}OneToManyRelationshipMetadata`,
      }),
    );
  }

  globalOptionSet(name: string): Promise<OptionSetRead | null> {
    return this.read(`read choice ${name}`, OptionSetReadSchema, (api) =>
      api.retrieveGlobalOptionSet({ key: `Name='${name}'` }),
    );
  }

  createEntity(body: Body): Promise<string | null> {
    return this.write(`create table ${String(body.SchemaName)}`, (api) =>
      api.createEntity({ data: body, headers: this.headers }),
    );
  }

  async updateEntity(body: Body): Promise<void> {
    await this.write(`update table ${String(body.LogicalName)}`, (api) =>
      api.updateEntity({ data: body, mergeLabels: true, headers: this.headers }),
    );
  }

  async createAttribute(entity: string, body: Body): Promise<void> {
    await this.write(`create column ${entity}.${String(body.SchemaName)}`, (api) =>
      api.createAttribute({ entityKey: `LogicalName='${entity}'`, data: body, headers: this.headers }),
    );
  }

  async updateAttribute(entity: string, body: Body): Promise<void> {
    await this.write(`update column ${entity}.${String(body.LogicalName)}`, (api) =>
      api.updateAttribute({
        entityKey: `LogicalName='${entity}'`,
        data: body,
        mergeLabels: true,
        headers: this.headers,
      }),
    );
  }

  async createRelationship(body: Body): Promise<void> {
    await this.write(`create relationship ${String(body.SchemaName)}`, (api) =>
      api.createRelationship({ data: body, headers: this.headers }),
    );
  }

  createGlobalOptionSet(body: Body): Promise<string | null> {
    return this.write(`create choice ${String(body.Name)}`, (api) =>
      api.createGlobalOptionSet({ data: body, headers: this.headers }),
    );
  }

  async createKey(entity: string, body: Body): Promise<void> {
    await this.write(`create key ${String(body.SchemaName)}`, (api) =>
      api.create({
        collection: 'EntityDefinitions',
        key: `LogicalName='${entity}'`,
        navigationProperty: 'Keys',
        data: body,
        headers: this.headers,
      }),
    );
  }

  /** InsertOptionValue / UpdateOptionValue: the only way to change the options of an existing choice. */
  async optionValue(
    action: 'InsertOptionValue' | 'UpdateOptionValue',
    target: { optionSet: string } | { entity: string; attribute: string },
    value: number,
    text: Body,
  ): Promise<void> {
    const where =
      'optionSet' in target
        ? { OptionSetName: target.optionSet }
        : { EntityLogicalName: target.entity, AttributeLogicalName: target.attribute };
    const extra = action === 'UpdateOptionValue' ? { MergeLabels: true } : {};
    await this.write(`${action} ${value}`, (api) =>
      api.callAction({
        actionName: action,
        action: {
          ...where,
          Value: value,
          Label: text,
          ...extra,
          ...(this.solution ? { SolutionUniqueName: this.solution } : {}),
        },
      }),
    );
  }

  /** Label changes show in the apps only once published. */
  async publish(entities: string[], optionSets: string[]): Promise<void> {
    const xml =
      '<importexportxml>' +
      `<entities>${entities.map((e) => `<entity>${e}</entity>`).join('')}</entities>` +
      `<optionsets>${optionSets.map((o) => `<optionset>${o}</optionset>`).join('')}</optionsets>` +
      '</importexportxml>';
    await this.write('publish customizations', (api) =>
      api.callAction({ actionName: 'PublishXml', action: { ParameterXml: xml } }),
    );
  }
}
