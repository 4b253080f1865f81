import { z } from 'zod';
import { ADMINISTRATION, expandOf, LAYOUT, RELATION, rowShape, SALES_INVOICE, selectOf } from './vocabulary';

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
  'eol_defaultlayoutid',
  'eol_defaultemaillayoutid',
  'eol_defaultlayout',
  'eol_defaultemaillayout',
  'eol_senderemail',
  'eol_extratext',
  'eol_notifyemail',
  'eol_peppolrequired',
  'eol_activefrom',
  'eol_emailroute',
  'eol_emailtemplateid',
  'eol_mailboxid',
  'eol_emailreview',
  'eol_emailcc',
  'eol_emailbcc',
] as const;
export const ADMINISTRATION_COLUMNS = selectOf(ADMINISTRATION, ADMINISTRATION_READ);

/** What a layout lookup is read through (decision 0075): Exact's GUID and whether Exact still has it. */
const LAYOUT_REF = ['eol_exactlayoutid', 'eol_exactstate', 'eol_name'] as const;
const LayoutRefSchema = z.object(rowShape(LAYOUT, LAYOUT_REF)).nullish();

export const ADMINISTRATION_EXPAND = [
  expandOf(ADMINISTRATION, 'eol_defaultlayoutid', LAYOUT, LAYOUT_REF),
  expandOf(ADMINISTRATION, 'eol_defaultemaillayoutid', LAYOUT, LAYOUT_REF),
];

export const DataverseAdministrationSchema = z.object({
  ...rowShape(ADMINISTRATION, ADMINISTRATION_READ),
  // The alternate key: an administration without a division is no administration the connector can use.
  eol_division: z.number().int(),
  eol_defaultlayoutid: LayoutRefSchema,
  eol_defaultemaillayoutid: LayoutRefSchema,
});
export type DataverseAdministration = z.infer<typeof DataverseAdministrationSchema>;

export const RELATION_READ = [
  'eol_name',
  'eol_exactaccountid',
  'eol_autoinvoice',
  'eol_invoicemethod',
  'eol_printandsend',
  'eol_layoutid',
  'eol_emaillayoutid',
  'eol_layout',
  'eol_emaillayout',
  'eol_invoiceemail',
  'eol_peppolid',
  'eol_administrationid',
  'eol_invoiceaccountid',
  'eol_exactinvoicemethod',
  'eol_exactinvoiceemail',
  'eol_exactpeppolid',
  'eol_exactstate',
  'eol_syncconflict',
  'eol_accountid',
  'eol_emailroute',
  'eol_emailreview',
  'eol_kvk',
  'eol_oin',
  'eol_vatnumber',
] as const;
export const RELATION_COLUMNS = selectOf(RELATION, RELATION_READ);

/** What the invoice account is read for: its method (the relation's, when it has none) and its address (§12). */
const INVOICE_ACCOUNT_READ = ['eol_invoicemethod', 'eol_invoiceemail'] as const;

/** The layouts through their lookups; the invoice account's method and address. */
export const RELATION_EXPAND = [
  expandOf(RELATION, 'eol_layoutid', LAYOUT, LAYOUT_REF),
  expandOf(RELATION, 'eol_emaillayoutid', LAYOUT, LAYOUT_REF),
  expandOf(RELATION, 'eol_invoiceaccountid', RELATION, INVOICE_ACCOUNT_READ),
];

/**
 * What an invoice's context reads of its relation and administration: the columns above except the lookups
 * read through their expansion (and the relation's administration, the invoice's own): the expanded GET
 * stays below the 2,000 characters where dynamics-web-api turns it into a `$batch` (records.ts).
 */
const expanded = (e: readonly { property: string }[], c: string) => e.some((x) => x.property === c);
export const RELATION_CONTEXT_READ = RELATION_READ.filter(
  (c) => !expanded(RELATION_EXPAND, c) && c !== 'eol_administrationid',
);
export const ADMINISTRATION_CONTEXT_READ = ADMINISTRATION_READ.filter(
  (c) => !expanded(ADMINISTRATION_EXPAND, c),
);

export const DataverseRelationSchema = z.object({
  ...rowShape(RELATION, RELATION_READ),
  eol_layoutid: LayoutRefSchema,
  eol_emaillayoutid: LayoutRefSchema,
  eol_invoiceaccountid: z.object(rowShape(RELATION, INVOICE_ACCOUNT_READ)).nullish(),
});
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
  'eol_recipients',
  'eol_emailid',
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
