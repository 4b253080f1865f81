import type { ColumnSpec, GlobalOptionSetSpec, KeySpec, OptionSpec, TableSpec } from './schema';

/**
 * Web API metadata bodies (learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-entity-definitions-using-web-api
 * and …/create-update-column-definitions-using-web-api). Every complex value carries its `@odata.type`,
 * which is how the Web API tells the derived metadata types apart.
 */
export const LANGUAGE = 1033;
const NS = 'Microsoft.Dynamics.CRM.';

export type Body = Record<string, unknown>;

export function label(text: string): Body {
  return {
    '@odata.type': `${NS}Label`,
    LocalizedLabels: [{ '@odata.type': `${NS}LocalizedLabel`, Label: text, LanguageCode: LANGUAGE }],
  };
}

/** The English label of a Label as the Web API returns it (null when none). */
export function englishLabel(value: unknown): string | null {
  const labels =
    (value as { LocalizedLabels?: Array<{ Label?: unknown; LanguageCode?: unknown }> } | null)
      ?.LocalizedLabels ?? [];
  const found = labels.find((l) => l.LanguageCode === LANGUAGE);
  return typeof found?.Label === 'string' ? found.Label : null;
}

const requiredLevel = (required: boolean): Body => ({
  Value: required ? 'ApplicationRequired' : 'None',
  CanBeChanged: true,
  ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings',
});

/** The metadata type each column kind becomes. */
export function metadataType(col: ColumnSpec): string {
  switch (col.kind) {
    case 'text':
      return 'StringAttributeMetadata';
    case 'memo':
      return 'MemoAttributeMetadata';
    case 'integer':
      return 'IntegerAttributeMetadata';
    case 'boolean':
      return 'BooleanAttributeMetadata';
    case 'choice':
      return 'PicklistAttributeMetadata';
    case 'choices':
      return 'MultiSelectPicklistAttributeMetadata';
    case 'datetime':
      return 'DateTimeAttributeMetadata';
    case 'lookup':
      return 'LookupAttributeMetadata';
  }
}

export function options(opts: readonly OptionSpec[]): Body[] {
  return opts.map((o) => ({ Value: o.value, Label: label(o.label) }));
}

/**
 * The attribute body for create (POST …/Attributes) and update (PUT …/Attributes(id)).
 * `globalId` resolves a global option set name to its MetadataId (binding needs the id).
 */
export function attributeBody(col: ColumnSpec, globalId: (name: string) => string): Body {
  const base: Body = {
    '@odata.type': `${NS}${metadataType(col)}`,
    SchemaName: col.name,
    DisplayName: label(col.label),
    RequiredLevel: requiredLevel(col.kind === 'lookup' && col.required),
  };
  switch (col.kind) {
    case 'text':
      return { ...base, MaxLength: col.maxLength, FormatName: { Value: col.format ?? 'Text' } };
    case 'memo':
      return { ...base, MaxLength: col.maxLength, Format: 'TextArea' };
    case 'integer':
      return { ...base, MinValue: col.min, MaxValue: col.max, Format: 'None' };
    case 'boolean':
      return {
        ...base,
        DefaultValue: col.default,
        OptionSet: {
          '@odata.type': `${NS}BooleanOptionSetMetadata`,
          TrueOption: { Value: 1, Label: label('Yes') },
          FalseOption: { Value: 0, Label: label('No') },
        },
      };
    case 'choice': {
      const set = col.globalOptionSet
        ? { 'GlobalOptionSet@odata.bind': `/GlobalOptionSetDefinitions(${globalId(col.globalOptionSet)})` }
        : {
            OptionSet: {
              '@odata.type': `${NS}OptionSetMetadata`,
              IsGlobal: false,
              OptionSetType: 'Picklist',
              Options: options(col.options ?? []),
            },
          };
      return { ...base, DefaultFormValue: col.default ?? -1, ...set };
    }
    case 'choices':
      return {
        ...base,
        'GlobalOptionSet@odata.bind': `/GlobalOptionSetDefinitions(${globalId(col.globalOptionSet)})`,
      };
    case 'datetime':
      return {
        ...base,
        Format: col.dateOnly ? 'DateOnly' : 'DateAndTime',
        DateTimeBehavior: { Value: col.dateOnly ? 'DateOnly' : 'UserLocal' },
      };
    case 'lookup':
      return {
        ...base,
        AttributeType: 'Lookup',
        AttributeTypeName: { Value: 'LookupType' },
        Targets: [col.target],
      };
  }
}

export function entityBody(t: TableSpec): Body {
  return {
    '@odata.type': `${NS}EntityMetadata`,
    SchemaName: t.name,
    EntitySetName: t.entitySet,
    DisplayName: label(t.label),
    DisplayCollectionName: label(t.pluralLabel),
    Description: label(t.description),
    OwnershipType: 'UserOwned',
    IsActivity: false,
    HasActivities: t.hasActivities,
    HasNotes: false,
    PrimaryNameAttribute: t.primaryName.name,
    Attributes: [
      {
        '@odata.type': `${NS}StringAttributeMetadata`,
        SchemaName: t.primaryName.name,
        IsPrimaryName: true,
        DisplayName: label(t.primaryName.label),
        RequiredLevel: requiredLevel(false),
        MaxLength: t.primaryName.maxLength,
        FormatName: { Value: 'Text' },
      },
    ],
  };
}

/** Only the properties an update may change; the rest of the definition stays as it is. */
export function entityUpdateBody(t: TableSpec, metadataId: string): Body {
  const { Attributes: _attributes, ...rest } = entityBody(t);
  return { ...rest, MetadataId: metadataId, LogicalName: t.name };
}

export function relationshipBody(table: TableSpec, col: Extract<ColumnSpec, { kind: 'lookup' }>): Body {
  const cascade = (onDelete: string): Body => ({
    Assign: 'NoCascade',
    Delete: onDelete,
    Merge: 'NoCascade',
    Reparent: 'NoCascade',
    Share: 'NoCascade',
    Unshare: 'NoCascade',
  });
  return {
    '@odata.type': `${NS}OneToManyRelationshipMetadata`,
    SchemaName: col.relationship,
    ReferencedEntity: col.target,
    ReferencingEntity: table.name,
    ReferencingEntityNavigationPropertyName: col.name,
    CascadeConfiguration: cascade(col.onDelete),
    AssociatedMenuConfiguration: {
      Behavior: 'UseCollectionName',
      Group: 'Details',
      Label: label(table.pluralLabel),
      Order: 10000,
    },
    Lookup: { ...attributeBody(col, () => ''), '@odata.type': `${NS}LookupAttributeMetadata` },
  };
}

export function globalOptionSetBody(o: GlobalOptionSetSpec): Body {
  return {
    '@odata.type': `${NS}OptionSetMetadata`,
    Name: o.name,
    DisplayName: label(o.label),
    IsGlobal: true,
    OptionSetType: 'Picklist',
    Options: options(o.options),
  };
}

export function keyBody(k: KeySpec): Body {
  return {
    '@odata.type': `${NS}EntityKeyMetadata`,
    SchemaName: k.name,
    DisplayName: label(k.label),
    KeyAttributes: k.columns,
  };
}
