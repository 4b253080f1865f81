/**
 * The master-data mirror's additions to the vocabulary (PRODUCT.md §11): the `eol_layout` table, and the
 * columns the connector adds to Dynamics' own `account` so relations can be matched to it, and (PRODUCT.md §12)
 * to `contact` so the account's invoice contacts receive the Dynamics route's email.
 */
import { guidText, localChoice, lookup, text, USER_OWNED, yesNo, type ColumnDef } from './columns';
import { defineTable, exactState } from './tables';

export const LAYOUT = defineTable({
  name: 'eol_layout',
  entitySet: 'eol_layouts',
  primaryId: 'eol_layoutid',
  label: 'Exact layout',
  pluralLabel: 'Exact layouts',
  description: 'An Exact Online invoice or email text layout of one administration, mirrored from Exact.',
  hasActivities: false,
  primaryName: 'eol_name',
  columns: {
    eol_name: text('Name', 200),
    eol_exactlayoutid: guidText('Exact layout id'),
    eol_administrationid: lookup('Administration', 'eol_administration', 'eol_administration_eol_layout', {
      required: true,
      onDelete: 'Restrict',
    }),
    eol_layouttype: localChoice('Layout type', [
      { value: 1, label: 'Document' },
      { value: 2, label: 'Email text' },
    ]),
    eol_language: text('Language', 10),
    eol_exactstate: exactState(),
    /** `general/Layouts.Status` 1: kept in Exact but inactive (decision 0071). */
    eol_inactive: yesNo('Inactive in Exact', false),
    ...USER_OWNED,
  },
  keys: [
    {
      name: 'eol_layout_exactlayout',
      label: 'Exact layout',
      columns: ['eol_administrationid', 'eol_exactlayoutid'],
    },
  ],
});

/** A system table the connector adds columns to (never creates): only `columns` are provisioned. */
export interface TableExtensionDef {
  readonly name: string;
  readonly entitySet: string;
  readonly primaryId: string;
  /** The system table's primary name column, read (never provisioned). */
  readonly primaryName: string;
  readonly columns: Readonly<Record<string, ColumnDef>>;
}

/** The Dynamics `account` matched to Exact relations by KvK and VAT number (decision 0077). */
export const ACCOUNT = {
  name: 'account',
  entitySet: 'accounts',
  primaryId: 'accountid',
  primaryName: 'name',
  columns: {
    eol_kvk: text('Chamber of Commerce (KvK)', 30),
    eol_vatnumber: text('VAT number', 30),
  },
} as const satisfies TableExtensionDef;

/** The account's contacts: the ones flagged receive the invoice email of the Dynamics route (PRODUCT.md §12). */
export const CONTACT = {
  name: 'contact',
  entitySet: 'contacts',
  primaryId: 'contactid',
  primaryName: 'fullname',
  columns: {
    eol_invoicerecipient: yesNo('Receives invoices', false),
  },
} as const satisfies TableExtensionDef;

export const EXTENDED_TABLES: readonly TableExtensionDef[] = [ACCOUNT, CONTACT];
