import { z } from 'zod';
import { ADMINISTRATION, RELATION, rowShape, SALES_INVOICE, selectOf } from './vocabulary';

/**
 * What the gateway reads of the `eol_` tables (PRODUCT.md §2): the columns per table, and the zod schema
 * of such a row, both derived from the vocabulary (wire shapes in vocabulary/columns.ts).
 */
export const ADMINISTRATION_READ = [
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
export const ADMINISTRATION_COLUMNS = selectOf(ADMINISTRATION, ADMINISTRATION_READ);

export const DataverseAdministrationSchema = z.object({
  ...rowShape(ADMINISTRATION, ADMINISTRATION_READ),
  // The alternate key: an administration without a division is no administration the connector can use.
  eol_division: z.number().int(),
});
export type DataverseAdministration = z.infer<typeof DataverseAdministrationSchema>;

export const RELATION_READ = [
  'eol_name',
  'eol_exactaccountid',
  'eol_autoinvoice',
  'eol_invoicemethod',
  'eol_printandsend',
  'eol_layout',
  'eol_emaillayout',
  'eol_invoiceemail',
  'eol_peppolid',
  'eol_administrationid',
] as const;
export const RELATION_COLUMNS = selectOf(RELATION, RELATION_READ);

export const DataverseRelationSchema = z.object(rowShape(RELATION, RELATION_READ));
export type DataverseRelation = z.infer<typeof DataverseRelationSchema>;

const INVOICE_READ = [
  'eol_name',
  'eol_exactinvoiceid',
  'eol_administrationid',
  'eol_relationid',
  'eol_invoicenumber',
  'eol_invoicedate',
  'eol_source',
  'eol_autodispatch',
  'eol_extratext',
  'eol_resend',
  'eol_sendnow',
  'eol_dispatchstatus',
  'eol_dispatchreason',
  'eol_dispatchchannel',
  'eol_dispatchmessage',
  'eol_scheduledfor',
  'eol_senton',
  'ownerid',
] as const;
export const INVOICE_COLUMNS = selectOf(SALES_INVOICE, INVOICE_READ);

export const DataverseSalesInvoiceSchema = z.object(rowShape(SALES_INVOICE, INVOICE_READ));
export type DataverseSalesInvoice = z.infer<typeof DataverseSalesInvoiceSchema>;

/** `eol_salesinvoices(<id>)?$expand=eol_relationid(...),eol_administrationid(...)` */
export const DataverseInvoiceContextSchema = DataverseSalesInvoiceSchema.extend({
  eol_relationid: DataverseRelationSchema.nullish(),
  eol_administrationid: DataverseAdministrationSchema.nullish(),
});

export const DataverseCreatedInvoiceSchema = z.object({
  [SALES_INVOICE.primaryId]: z.string(),
  eol_exactinvoiceid: z.string(),
});

export const DataverseOrganizationSchema = z.object({ languagecode: z.number().int() });

export const DataverseWhoAmISchema = z.object({ UserId: z.string() });

/** What `create` answers without representation: the new row's id. */
export const DataverseCreatedIdSchema = z.string().regex(/^[0-9a-fA-F-]{36}$/);

export const collectionOf = <T extends z.ZodTypeAny>(row: T) => z.object({ value: z.array(row) });
