import { newId, type Row } from './model';
import { emptyLabel, NS, toLabel, type EntityEntry } from './metadataTypes';
import type { SystemColumn, SystemTable } from './systemTables';

/** The part of MetadataStore these builders use (kept structural, so the store can import this file). */
export interface MetadataSink {
  entities: Map<string, EntityEntry>;
  addAttribute(entry: EntityEntry, body: Row, extra: Row): Row;
}

/** Builds a system table's metadata (systemTables.ts) into the store, as a fresh environment has it. */
const english = (text: string) => toLabel({ LocalizedLabels: [{ Label: text, LanguageCode: 1033 }] });
const options = (list: Array<[number, string]>): Row[] =>
  list.map(([Value, text]) => ({ Value, Label: english(text) }));

export function addSystemTable(store: MetadataSink, t: SystemTable): void {
  const label = english(t.display);
  const meta: Row = {
    MetadataId: newId(),
    LogicalName: t.logical,
    SchemaName: t.logical[0]!.toUpperCase() + t.logical.slice(1),
    EntitySetName: t.set,
    LogicalCollectionName: t.set,
    ObjectTypeCode: t.code,
    IsCustomEntity: false,
    OwnershipType: t.ownership,
    HasActivities: true,
    HasNotes: true,
    IsActivity: t.isActivity === true,
    PrimaryIdAttribute: t.primaryId ?? `${t.logical}id`,
    PrimaryNameAttribute: t.primaryName.name,
    DisplayName: label,
    DisplayCollectionName: label,
    Description: emptyLabel(),
    CollectionNavigations: t.collections ?? [],
  };
  const entry: EntityEntry = { meta, attributes: [], keys: [] };
  store.entities.set(t.logical, entry);
  const system = { IsCustomAttribute: false };
  store.addAttribute(
    entry,
    {
      '@odata.type': `${NS}UniqueIdentifierAttributeMetadata`,
      SchemaName: meta.PrimaryIdAttribute,
      DisplayName: label,
    },
    { ...system, IsPrimaryId: true },
  );
  store.addAttribute(
    entry,
    {
      '@odata.type': `${NS}StringAttributeMetadata`,
      SchemaName: t.primaryName.name,
      DisplayName: label,
      MaxLength: t.primaryName.maxLength,
    },
    { ...system, IsPrimaryName: true },
  );
  for (const c of t.columns) store.addAttribute(entry, columnBody(c), system);
  addStandardColumns(store, entry, t.state);
}

function columnBody(c: SystemColumn): Row {
  const base = { SchemaName: c.name, DisplayName: english(c.name) };
  switch (c.type) {
    case 'String':
    case 'Memo':
      return { ...base, '@odata.type': `${NS}${c.type}AttributeMetadata`, MaxLength: c.maxLength };
    case 'Integer':
      return { ...base, '@odata.type': `${NS}IntegerAttributeMetadata` };
    case 'Boolean': {
      const [no, yes] = c.labels ?? ['No', 'Yes'];
      return {
        ...base,
        '@odata.type': `${NS}BooleanAttributeMetadata`,
        OptionSet: {
          TrueOption: { Value: 1, Label: english(yes) },
          FalseOption: { Value: 0, Label: english(no) },
        },
      };
    }
    case 'Uniqueidentifier':
      return { ...base, '@odata.type': `${NS}UniqueIdentifierAttributeMetadata` };
    case 'DateTime':
      return {
        ...base,
        '@odata.type': `${NS}DateTimeAttributeMetadata`,
        Format: c.dateOnly ? 'DateOnly' : 'DateAndTime',
      };
    case 'Picklist':
      return {
        ...base,
        '@odata.type': `${NS}PicklistAttributeMetadata`,
        OptionSet: { Options: options(c.options) },
      };
    case 'Lookup':
      return { ...base, '@odata.type': `${NS}LookupAttributeMetadata`, Targets: c.targets };
  }
}

/** The columns every table has: created/modified on, version number, state and status, and the owner of a user-owned table. */
export function addStandardColumns(
  store: MetadataSink,
  entry: EntityEntry,
  state: SystemTable['state'],
): void {
  const system = { IsCustomAttribute: false };
  const add = (type: string, name: string, extra: Row = {}) =>
    store.addAttribute(
      entry,
      { '@odata.type': `${NS}${type}`, SchemaName: name, DisplayName: english(name), ...extra },
      system,
    );
  add('DateTimeAttributeMetadata', 'createdon', {
    Format: 'DateAndTime',
    DateTimeBehavior: { Value: 'UserLocal' },
  });
  add('DateTimeAttributeMetadata', 'modifiedon', {
    Format: 'DateAndTime',
    DateTimeBehavior: { Value: 'UserLocal' },
  });
  add('BigIntAttributeMetadata', 'versionnumber');
  if (state) {
    add('StateAttributeMetadata', 'statecode', { OptionSet: { Options: options(state.state) } });
    add('StatusAttributeMetadata', 'statuscode', { OptionSet: { Options: options(state.status) } });
  }
  if (entry.meta.OwnershipType === 'UserOwned')
    add('OwnerAttributeMetadata', 'ownerid', { Targets: ['systemuser', 'team'] });
}
