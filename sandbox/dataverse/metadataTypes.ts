import { ERR, newId, type Row } from './model';

/** Shapes of Dataverse metadata: labels, attribute type names, per-type defaults and what a PUT may change. */
export const NS = 'Microsoft.Dynamics.CRM.';

export interface Label {
  LocalizedLabels: Row[];
  UserLocalizedLabel: Row | null;
}

export interface EntityEntry {
  meta: Row;
  attributes: Row[];
  keys: Row[];
}

/** `@odata.type` (with or without `#` and namespace) → the bare type name. */
export function typeName(value: unknown): string {
  return typeof value === 'string' ? value.replace(/^#/, '').replace(NS, '') : '';
}

export function toLabel(input: unknown, previous?: Label, merge = false): Label {
  const given = (input as { LocalizedLabels?: unknown } | null)?.LocalizedLabels;
  if (!Array.isArray(given)) throw ERR.badRequest('A Label needs LocalizedLabels.');
  const incoming: Row[] = given.map((l: Row) => {
    if (typeof l.Label !== 'string' || typeof l.LanguageCode !== 'number')
      throw ERR.badRequest('A LocalizedLabel needs Label and LanguageCode.');
    return {
      Label: l.Label,
      LanguageCode: l.LanguageCode,
      IsManaged: false,
      MetadataId: newId(),
      HasChanged: null,
    };
  });
  const kept =
    merge && previous
      ? previous.LocalizedLabels.filter((p) => !incoming.some((i) => i.LanguageCode === p.LanguageCode))
      : [];
  const all = [...kept, ...incoming];
  return {
    LocalizedLabels: all,
    UserLocalizedLabel: all.find((l) => l.LanguageCode === 1033) ?? all[0] ?? null,
  };
}

export const emptyLabel = (): Label => ({ LocalizedLabels: [], UserLocalizedLabel: null });

export const ATTRIBUTE_TYPES: Record<string, [string, string]> = {
  StringAttributeMetadata: ['String', 'StringType'],
  MemoAttributeMetadata: ['Memo', 'MemoType'],
  IntegerAttributeMetadata: ['Integer', 'IntegerType'],
  BooleanAttributeMetadata: ['Boolean', 'BooleanType'],
  PicklistAttributeMetadata: ['Picklist', 'PicklistType'],
  MultiSelectPicklistAttributeMetadata: ['Virtual', 'MultiSelectPicklistType'],
  DateTimeAttributeMetadata: ['DateTime', 'DateTimeType'],
  LookupAttributeMetadata: ['Lookup', 'LookupType'],
  UniqueIdentifierAttributeMetadata: ['Uniqueidentifier', 'UniqueidentifierType'],
  StateAttributeMetadata: ['State', 'StateType'],
  StatusAttributeMetadata: ['Status', 'StatusType'],
  BigIntAttributeMetadata: ['BigInt', 'BigIntType'],
  OwnerAttributeMetadata: ['Owner', 'OwnerType'],
};

/** Properties a PUT may change, per type (the rest of a definition is fixed once created). */
export const UPDATABLE: Record<string, string[]> = {
  StringAttributeMetadata: ['MaxLength', 'FormatName'],
  MemoAttributeMetadata: ['MaxLength'],
  IntegerAttributeMetadata: ['MinValue', 'MaxValue'],
  BooleanAttributeMetadata: ['DefaultValue'],
  PicklistAttributeMetadata: ['DefaultFormValue'],
  MultiSelectPicklistAttributeMetadata: [],
  DateTimeAttributeMetadata: [],
  LookupAttributeMetadata: [],
};

function option(value: number, label: Label): Row {
  return {
    Value: value,
    Label: label,
    Description: emptyLabel(),
    Color: null,
    IsManaged: false,
    ExternalValue: null,
    MetadataId: null,
    HasChanged: null,
  };
}

export function optionRow(value: number, label: Label): Row {
  return option(value, label);
}

export function requireSchemaName(value: unknown): string {
  // Custom components carry the publisher's customization prefix.
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9]*_\w+$/.test(value))
    throw ERR.badRequest(`SchemaName '${String(value)}' must start with a publisher prefix (e.g. eol_).`);
  return value;
}

export function typeDefaults(type: string, body: Row): Row {
  switch (type) {
    case 'StringAttributeMetadata': {
      const max = Number(body.MaxLength);
      if (!Number.isInteger(max) || max < 1 || max > 4000)
        throw ERR.badRequest('MaxLength must be between 1 and 4000.');
      return { MaxLength: max, FormatName: body.FormatName ?? { Value: 'Text' } };
    }
    case 'MemoAttributeMetadata': {
      const max = Number(body.MaxLength);
      if (!Number.isInteger(max) || max < 1 || max > 1_048_576)
        throw ERR.badRequest('MaxLength must be between 1 and 1048576.');
      return { MaxLength: max, Format: 'TextArea' };
    }
    case 'IntegerAttributeMetadata': {
      const min = Number(body.MinValue ?? -2_147_483_648);
      const max = Number(body.MaxValue ?? 2_147_483_647);
      if (min > max) throw ERR.badRequest('MinValue must not exceed MaxValue.');
      return { MinValue: min, MaxValue: max, Format: body.Format ?? 'None' };
    }
    case 'BooleanAttributeMetadata': {
      const os = body.OptionSet as Row | undefined;
      if (!os?.TrueOption || !os.FalseOption)
        throw ERR.badRequest('A Boolean attribute needs an OptionSet with TrueOption and FalseOption.');
      return { DefaultValue: body.DefaultValue === true };
    }
    case 'PicklistAttributeMetadata':
      return { DefaultFormValue: typeof body.DefaultFormValue === 'number' ? body.DefaultFormValue : -1 };
    case 'DateTimeAttributeMetadata': {
      const format = body.Format ?? 'DateAndTime';
      if (format !== 'DateOnly' && format !== 'DateAndTime')
        throw ERR.badRequest('Format must be DateOnly or DateAndTime.');
      return { Format: format, DateTimeBehavior: body.DateTimeBehavior ?? { Value: 'UserLocal' } };
    }
    case 'LookupAttributeMetadata':
    case 'OwnerAttributeMetadata':
      return { Targets: body.Targets ?? [] };
    default:
      return {};
  }
}
