import { z } from 'zod';

/**
 * Wire shapes of the `eol_` tables (PRODUCT.md §2) as the Web API returns them through dynamics-web-api:
 * choices as numbers, multi-selects as comma-separated strings ("1,2"), lookups as `_x_value`,
 * date-times as Date (dynamics-web-api revives `YYYY-MM-DDThh:mm:ssZ`) or ISO strings, empty columns as null.
 */
const text = z.string().nullish();
const choice = <T extends readonly [number, ...number[]]>(values: T) =>
  z
    .number()
    .int()
    .refine((v): v is T[number] => values.includes(v), { message: `expected one of ${values.join(', ')}` })
    .nullish();
const dateTime = z.union([z.date(), z.string().datetime({ offset: true })]).nullish();

export const ADMINISTRATION_COLUMNS = [
  'eol_name',
  'eol_division',
  'eol_printinvoices',
  'eol_sources',
  'eol_channels',
  'eol_timing',
  'eol_timezone',
  'eol_defaultinvoicemethod',
  'eol_defaultlayout',
  'eol_defaultemaillayout',
  'eol_senderemail',
  'eol_extratext',
  'eol_notifyemail',
] as const;

export const DataverseAdministrationSchema = z.object({
  eol_administrationid: z.string(),
  eol_name: text,
  eol_division: z.number().int(),
  eol_printinvoices: z.boolean().nullish(),
  eol_sources: z.union([z.string(), z.number()]).nullish(),
  eol_channels: z.union([z.string(), z.number()]).nullish(),
  eol_timing: choice([1, 2] as const),
  eol_timezone: text,
  eol_defaultinvoicemethod: choice([0, 1, 2, 4, 32] as const),
  eol_defaultlayout: text,
  eol_defaultemaillayout: text,
  eol_senderemail: text,
  eol_extratext: text,
  eol_notifyemail: text,
});
export type DataverseAdministration = z.infer<typeof DataverseAdministrationSchema>;

export const RELATION_COLUMNS = [
  'eol_name',
  'eol_exactaccountid',
  'eol_autoinvoice',
  'eol_invoicemethod',
  'eol_printandsend',
  'eol_layout',
  'eol_emaillayout',
  'eol_invoiceemail',
  'eol_peppolid',
  '_eol_administrationid_value',
] as const;

export const DataverseRelationSchema = z.object({
  eol_relationid: z.string(),
  eol_name: text,
  eol_exactaccountid: text,
  eol_autoinvoice: z.boolean().nullish(),
  eol_invoicemethod: choice([0, 1, 2, 4, 32] as const),
  eol_printandsend: z.boolean().nullish(),
  eol_layout: text,
  eol_emaillayout: text,
  eol_invoiceemail: text,
  eol_peppolid: text,
});
export type DataverseRelation = z.infer<typeof DataverseRelationSchema>;

export const INVOICE_COLUMNS = [
  'eol_name',
  'eol_exactinvoiceid',
  '_eol_administrationid_value',
  '_eol_relationid_value',
  'eol_invoicenumber',
  'eol_invoicedate',
  'eol_source',
  'eol_autodispatch',
  'eol_extratext',
  'eol_resend',
  'eol_dispatchstatus',
  'eol_dispatchreason',
  'eol_scheduledfor',
  '_ownerid_value',
] as const;

export const DataverseSalesInvoiceSchema = z.object({
  eol_salesinvoiceid: z.string(),
  eol_name: text,
  eol_exactinvoiceid: text,
  _eol_administrationid_value: text,
  _eol_relationid_value: text,
  eol_invoicenumber: z.number().int().nullish(),
  eol_invoicedate: z.union([z.date(), z.string()]).nullish(),
  eol_source: choice([1, 2, 3, 4] as const),
  eol_autodispatch: z.boolean().nullish(),
  eol_extratext: text,
  eol_resend: z.boolean().nullish(),
  eol_dispatchstatus: choice([1, 2, 3, 4, 5, 6, 7] as const),
  eol_dispatchreason: text,
  eol_scheduledfor: dateTime,
  _ownerid_value: text,
});
export type DataverseSalesInvoice = z.infer<typeof DataverseSalesInvoiceSchema>;

/** `eol_salesinvoices(<id>)?$expand=eol_relationid(...),eol_administrationid(...)` */
export const DataverseInvoiceContextSchema = DataverseSalesInvoiceSchema.extend({
  eol_relationid: DataverseRelationSchema.nullish(),
  eol_administrationid: DataverseAdministrationSchema.nullish(),
});

export const DataverseCreatedInvoiceSchema = z.object({ eol_salesinvoiceid: z.string(), eol_exactinvoiceid: z.string() });

export const DataverseOrganizationSchema = z.object({ languagecode: z.number().int() });

export const DataverseWhoAmISchema = z.object({ UserId: z.string() });

/** What `create` answers without representation: the new row's id. */
export const DataverseCreatedIdSchema = z.string().regex(/^[0-9a-fA-F-]{36}$/);

export const collectionOf = <T extends z.ZodTypeAny>(row: T) => z.object({ value: z.array(row) });
