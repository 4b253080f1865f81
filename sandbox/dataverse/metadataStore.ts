import { ERR, newId, ODataError, type Row } from './model';
import {
  ATTRIBUTE_TYPES,
  emptyLabel,
  NS,
  optionRow,
  requireSchemaName,
  toLabel,
  typeDefaults,
  typeName,
  UPDATABLE,
  type EntityEntry,
  type Label,
} from './metadataTypes';

import { ACTIVE_INACTIVE, SYSTEM_TABLES } from './systemTables';
import { addStandardColumns, addSystemTable } from './systemMetadata';

export { NS, optionRow, toLabel, typeName, type EntityEntry, type Label };

/**
 * Dataverse metadata as the Web API shows it (EntityMetadata, AttributeMetadata and its derived types,
 * OptionSetMetadata, OneToManyRelationshipMetadata, EntityKeyMetadata), for the subset provisioning uses.
 * Separate from the data tables of model.ts: those exist from the start, metadata starts with the
 * system tables only, like a fresh environment.
 */
export class MetadataStore {
  entities = new Map<string, EntityEntry>();
  optionSets = new Map<string, Row>();
  /** Attribute MetadataId → option set MetadataId (the OptionSet / GlobalOptionSet navigation). */
  attributeOptionSet = new Map<string, string>();
  relationships = new Map<string, Row>();
  published: string[] = [];
  private typeCode = 10000;

  /** Boolean attribute MetadataId → its [false, true] option labels (formatted values). */
  booleanLabels = new Map<string, [string, string]>();

  constructor(private readonly onEntityCreated: (logicalName: string) => void = () => undefined) {
    for (const t of SYSTEM_TABLES) addSystemTable(this, t);
  }

  entity(key: { kind: 'id'; id: string } | { kind: 'alt'; values: Record<string, unknown> }): EntityEntry {
    const found =
      key.kind === 'id'
        ? [...this.entities.values()].find((e) => e.meta.MetadataId === key.id)
        : this.entities.get(String(key.values.LogicalName ?? '').toLowerCase());
    if (!found)
      throw new ODataError(
        404,
        '0x80040217',
        `Could not find entity with name ${key.kind === 'id' ? key.id : String(key.values.LogicalName)}.`,
      );
    return found;
  }

  createEntity(body: Row): EntityEntry {
    if (typeName(body['@odata.type']) !== 'EntityMetadata')
      throw ERR.badRequest('@odata.type must be Microsoft.Dynamics.CRM.EntityMetadata.');
    const schema = requireSchemaName(body.SchemaName);
    const logical = schema.toLowerCase();
    if (this.entities.has(logical))
      throw new ODataError(400, '0x80047013', `An entity with the specified name ${logical} already exists.`);
    if (!['UserOwned', 'OrganizationOwned'].includes(String(body.OwnershipType)))
      throw ERR.badRequest('OwnershipType must be UserOwned or OrganizationOwned.');
    const attrs = Array.isArray(body.Attributes) ? (body.Attributes as Row[]) : [];
    const primary = attrs.filter((a) => a.IsPrimaryName === true);
    if (primary.length !== 1 || typeName(primary[0]!['@odata.type']) !== 'StringAttributeMetadata') {
      throw ERR.badRequest(
        'The entity must have exactly one primary name attribute of type StringAttributeMetadata.',
      );
    }
    const set = typeof body.EntitySetName === 'string' ? body.EntitySetName : `${logical}s`;
    const meta: Row = {
      MetadataId: newId(),
      LogicalName: logical,
      SchemaName: schema,
      EntitySetName: set,
      LogicalCollectionName: `${logical}s`,
      ObjectTypeCode: ++this.typeCode,
      IsCustomEntity: true,
      OwnershipType: body.OwnershipType,
      IsActivity: false,
      HasActivities: body.HasActivities === true,
      HasNotes: body.HasNotes === true,
      PrimaryIdAttribute: `${logical}id`,
      PrimaryNameAttribute: String(primary[0]!.SchemaName).toLowerCase(),
      DisplayName: toLabel(body.DisplayName),
      DisplayCollectionName: toLabel(body.DisplayCollectionName),
      Description: body.Description ? toLabel(body.Description) : emptyLabel(),
    };
    const entry: EntityEntry = { meta, attributes: [], keys: [] };
    this.entities.set(logical, entry);
    const idLabel = toLabel({ LocalizedLabels: [{ Label: String(meta.SchemaName), LanguageCode: 1033 }] });
    this.addAttribute(
      entry,
      {
        '@odata.type': `${NS}UniqueIdentifierAttributeMetadata`,
        SchemaName: `${schema}Id`,
        DisplayName: idLabel,
      },
      { IsPrimaryId: true, IsCustomAttribute: false },
    );
    this.addAttribute(entry, primary[0]!, { IsPrimaryName: true });
    addStandardColumns(this, entry, ACTIVE_INACTIVE);
    this.onEntityCreated(logical);
    return entry;
  }

  updateEntity(entry: EntityEntry, body: Row, merge: boolean): void {
    if (body.SchemaName !== undefined && body.SchemaName !== entry.meta.SchemaName)
      throw ERR.badRequest('SchemaName cannot be changed.');
    if (body.EntitySetName !== undefined && body.EntitySetName !== entry.meta.EntitySetName)
      throw ERR.badRequest('EntitySetName cannot be changed.');
    for (const l of ['DisplayName', 'DisplayCollectionName', 'Description'] as const) {
      if (body[l] !== undefined) entry.meta[l] = toLabel(body[l], entry.meta[l] as Label, merge);
    }
    if (body.HasActivities === false && entry.meta.HasActivities === true)
      throw ERR.badRequest('Activities cannot be disabled once enabled.');
    if (body.HasActivities === true) entry.meta.HasActivities = true;
  }

  attribute(
    entry: EntityEntry,
    key: { kind: 'id'; id: string } | { kind: 'alt'; values: Record<string, unknown> },
  ): Row {
    const found = entry.attributes.find((a) =>
      key.kind === 'id'
        ? a.MetadataId === key.id
        : a.LogicalName === String(key.values.LogicalName ?? '').toLowerCase(),
    );
    if (!found)
      throw new ODataError(
        404,
        '0x80040217',
        `Could not find attribute ${key.kind === 'id' ? key.id : String(key.values.LogicalName)} on ${String(entry.meta.LogicalName)}.`,
      );
    return found;
  }

  /** POST …/Attributes (lookups excepted: those come with their relationship). */
  createAttribute(entry: EntityEntry, body: Row): Row {
    const type = typeName(body['@odata.type']);
    if (type === 'LookupAttributeMetadata')
      throw ERR.badRequest(
        'Lookup attributes are created with a OneToManyRelationshipMetadata through RelationshipDefinitions.',
      );
    if (!UPDATABLE[type])
      throw ERR.badRequest(`The sandbox does not support creating attributes of type '${type || '(none)'}'.`);
    requireSchemaName(body.SchemaName);
    return this.addAttribute(entry, body, {});
  }

  addAttribute(entry: EntityEntry, body: Row, extra: Row): Row {
    const type = typeName(body['@odata.type']);
    const [attributeType, typeNameValue] = ATTRIBUTE_TYPES[type] ?? ['Virtual', 'VirtualType'];
    const logical = String(body.SchemaName).toLowerCase();
    if (entry.attributes.some((a) => a.LogicalName === logical))
      throw new ODataError(
        400,
        '0x80044363',
        `An attribute with the specified name ${logical} already exists.`,
      );
    const attr: Row = {
      '@odata.type': `#${NS}${type}`,
      MetadataId: newId(),
      LogicalName: logical,
      SchemaName: body.SchemaName,
      EntityLogicalName: entry.meta.LogicalName,
      AttributeType: attributeType,
      AttributeTypeName: { Value: typeNameValue },
      IsCustomAttribute: true,
      IsPrimaryId: false,
      IsPrimaryName: false,
      DisplayName: toLabel(body.DisplayName),
      Description: body.Description ? toLabel(body.Description) : emptyLabel(),
      RequiredLevel: {
        Value: 'None',
        CanBeChanged: true,
        ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings',
        ...((body.RequiredLevel as Row | undefined) ?? {}),
      },
      ...typeDefaults(type, body),
      ...extra,
    };
    if (
      [
        'PicklistAttributeMetadata',
        'MultiSelectPicklistAttributeMetadata',
        'StateAttributeMetadata',
        'StatusAttributeMetadata',
      ].includes(type)
    ) {
      this.attributeOptionSet.set(String(attr.MetadataId), this.optionSetFor(entry, logical, body));
    }
    if (type === 'BooleanAttributeMetadata')
      this.booleanLabels.set(String(attr.MetadataId), booleanLabels(body));
    entry.attributes.push(attr);
    return attr;
  }

  updateAttribute(attr: Row, body: Row, merge: boolean): void {
    const type = typeName(attr['@odata.type']);
    if (body['@odata.type'] !== undefined && typeName(body['@odata.type']) !== type)
      throw ERR.badRequest(`The type of attribute ${String(attr.LogicalName)} cannot be changed.`);
    if (body.SchemaName !== undefined && body.SchemaName !== attr.SchemaName)
      throw ERR.badRequest('SchemaName cannot be changed.');
    if (body.DisplayName !== undefined)
      attr.DisplayName = toLabel(body.DisplayName, attr.DisplayName as Label, merge);
    if (body.Description !== undefined && body.Description !== null)
      attr.Description = toLabel(body.Description, attr.Description as Label, merge);
    if (body.RequiredLevel !== undefined)
      attr.RequiredLevel = { ...(attr.RequiredLevel as Row), Value: (body.RequiredLevel as Row).Value };
    for (const p of UPDATABLE[type] ?? []) if (body[p] !== undefined) attr[p] = body[p];
  }

  optionSet(key: { kind: 'id'; id: string } | { kind: 'alt'; values: Record<string, unknown> }): Row {
    const found =
      key.kind === 'id'
        ? this.optionSets.get(key.id)
        : [...this.optionSets.values()].find((o) => o.IsGlobal && o.Name === key.values.Name);
    if (!found)
      throw new ODataError(
        404,
        '0x80040217',
        `Could not find optionset ${key.kind === 'id' ? key.id : String(key.values.Name)}.`,
      );
    return found;
  }

  createOptionSet(body: Row, global: boolean, localName?: string): Row {
    if (typeName(body['@odata.type'] ?? `${NS}OptionSetMetadata`) !== 'OptionSetMetadata')
      throw ERR.badRequest('@odata.type must be Microsoft.Dynamics.CRM.OptionSetMetadata.');
    const name = global ? requireSchemaName(body.Name).toLowerCase() : localName!;
    if (global && [...this.optionSets.values()].some((o) => o.Name === name))
      throw new ODataError(400, '0x80047011', `An option set with the name ${name} already exists.`);
    const options = Array.isArray(body.Options) ? (body.Options as Row[]) : [];
    const values = new Set<number>();
    const set: Row = {
      '@odata.type': `#${NS}OptionSetMetadata`,
      MetadataId: newId(),
      Name: name,
      IsGlobal: global,
      IsCustomOptionSet: true,
      OptionSetType: 'Picklist',
      DisplayName: body.DisplayName ? toLabel(body.DisplayName) : emptyLabel(),
      Options: options.map((o) => {
        if (typeof o.Value !== 'number' || values.has(o.Value))
          throw ERR.badRequest('Every option needs a distinct integer Value.');
        values.add(o.Value);
        return optionRow(o.Value, toLabel(o.Label));
      }),
    };
    this.optionSets.set(String(set.MetadataId), set);
    return set;
  }

  private optionSetFor(entry: EntityEntry, logical: string, body: Row): string {
    const bind = body['GlobalOptionSet@odata.bind'];
    if (typeof bind === 'string') {
      const m = /GlobalOptionSetDefinitions\(([0-9a-f-]{36})\)$/i.exec(bind);
      const set = m ? this.optionSets.get(m[1]!.toLowerCase()) : undefined;
      if (!set?.IsGlobal)
        throw ERR.badRequest(`GlobalOptionSet@odata.bind '${bind}' names no global option set.`);
      return String(set.MetadataId);
    }
    const local = body.OptionSet as Row | undefined;
    if (!local)
      throw ERR.badRequest('A choice attribute needs an OptionSet or a GlobalOptionSet@odata.bind.');
    if (local.IsGlobal === true)
      throw ERR.badRequest('Bind a global option set with GlobalOptionSet@odata.bind.');
    return String(
      this.createOptionSet(local, false, `${String(entry.meta.LogicalName)}_${logical}`).MetadataId,
    );
  }
}

function booleanLabels(body: Row): [string, string] {
  const os = (body.OptionSet ?? {}) as Row;
  const text = (o: unknown, fallback: string): string => {
    const labels = ((o as Row | undefined)?.Label as Label | undefined)?.LocalizedLabels ?? [];
    return String((labels.find((l) => l.LanguageCode === 1033) ?? labels[0])?.Label ?? fallback);
  };
  return [text(os.FalseOption, 'No'), text(os.TrueOption, 'Yes')];
}
