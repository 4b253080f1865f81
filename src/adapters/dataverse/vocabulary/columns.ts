import { z } from 'zod';

/**
 * The kinds of column the `eol_` tables use, each with what provisioning needs (label, length, range,
 * default, options) and how the Web API sends its value through dynamics-web-api (`wire`): choices as
 * numbers, multi-selects as comma-separated strings ("1,2"), lookups as `_x_value` GUID strings,
 * date-times as Date (dynamics-web-api revives `YYYY-MM-DDThh:mm:ssZ`) or ISO strings, empty columns as null.
 * A column's logical name is the key it is declared under (tables.ts).
 */
export interface OptionSpec {
  readonly value: number;
  readonly label: string;
}

export type ColumnDef =
  | { kind: 'text'; label: string; maxLength: number; format?: 'Text' | 'Email'; wire: z.ZodType }
  | { kind: 'memo'; label: string; maxLength: number; wire: z.ZodType }
  | { kind: 'integer'; label: string; min: number; max: number; wire: z.ZodType }
  | { kind: 'boolean'; label: string; default: boolean; wire: z.ZodType }
  /** Single choice, either bound to a global option set or with local options. */
  | {
      kind: 'choice';
      label: string;
      globalOptionSet?: string;
      options?: readonly OptionSpec[];
      default?: number;
      wire: z.ZodType;
    }
  /** Multi-select choice; Dataverse allows no default value on these (see decision 0020). */
  | { kind: 'choices'; label: string; globalOptionSet: string; wire: z.ZodType }
  | { kind: 'datetime'; label: string; dateOnly: boolean; wire: z.ZodType }
  /** A lookup: created through its relationship, updated (label, requirement) as an attribute. */
  | {
      kind: 'lookup';
      label: string;
      target: string;
      relationship: string;
      required: boolean;
      onDelete: 'Restrict' | 'RemoveLink';
      wire: z.ZodType;
    }
  /**
   * A column Dataverse creates itself with every user-owned table (learn.microsoft.com/power-apps/
   * developer/data-platform/entity-metadata, "Table ownership"): never provisioned, only read.
   */
  | { kind: 'system'; label: string; lookup: boolean; wire: z.ZodType };

export const MAX_WHOLE_NUMBER = 2_147_483_647;

const nullableText = () => z.string().nullish();

export const text = (label: string, maxLength: number, format?: 'Email') =>
  ({ kind: 'text', label, maxLength, ...(format ? { format } : {}), wire: nullableText() }) as const;

/** An Exact GUID kept as text (PRODUCT.md §2 "text (GUID)"). */
export const guidText = (label: string) => text(label, 100);

export const memo = (label: string, maxLength = 4000) =>
  ({ kind: 'memo', label, maxLength, wire: nullableText() }) as const;

export const wholeNumber = (label: string) =>
  ({ kind: 'integer', label, min: 0, max: MAX_WHOLE_NUMBER, wire: z.number().int().nullish() }) as const;

export const yesNo = (label: string, defaultValue: boolean) =>
  ({ kind: 'boolean', label, default: defaultValue, wire: z.boolean().nullish() }) as const;

function oneOf<const V extends number>(values: readonly V[]) {
  return z
    .number()
    .int()
    .refine((v): v is V => (values as readonly number[]).includes(v), {
      message: `expected one of ${values.join(', ')}`,
    })
    .nullish();
}

/** A choice with its own options. */
export const localChoice = <const O extends readonly OptionSpec[]>(
  label: string,
  options: O,
  defaultValue?: O[number]['value'],
) =>
  ({
    kind: 'choice',
    label,
    options,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    wire: oneOf(options.map((o): O[number]['value'] => o.value)),
  }) as const;

/** A choice bound to a global option set. */
export const globalChoice = <const N extends string, const O extends readonly OptionSpec[]>(
  label: string,
  set: { name: N; options: O },
  defaultValue?: O[number]['value'],
) =>
  ({
    kind: 'choice',
    label,
    globalOptionSet: set.name,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    wire: oneOf(set.options.map((o): O[number]['value'] => o.value)),
  }) as const;

/** A multi-select choice bound to a global option set: "1,2" on the wire (a single value may come as a number). */
export const globalChoices = <const N extends string>(label: string, set: { name: N }) =>
  ({
    kind: 'choices',
    label,
    globalOptionSet: set.name,
    wire: z.union([z.string(), z.number()]).nullish(),
  }) as const;

export const dateOnly = (label: string) =>
  ({ kind: 'datetime', label, dateOnly: true, wire: z.union([z.date(), z.string()]).nullish() }) as const;

export const dateAndTime = (label: string) =>
  ({
    kind: 'datetime',
    label,
    dateOnly: false,
    wire: z.union([z.date(), z.string().datetime({ offset: true })]).nullish(),
  }) as const;

export const lookup = (
  label: string,
  target: string,
  relationship: string,
  o: { required: boolean; onDelete: 'Restrict' | 'RemoveLink' },
) => ({ kind: 'lookup', label, target, relationship, ...o, wire: nullableText() }) as const;

/** What every user-owned table has without provisioning: its owner (a lookup) and its state. */
export const USER_OWNED = {
  ownerid: { kind: 'system', label: 'Owner', lookup: true, wire: nullableText() },
  statecode: { kind: 'system', label: 'Status', lookup: false, wire: z.number().int().nullish() },
} as const;
