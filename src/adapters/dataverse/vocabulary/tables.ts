/**
 * The `eol_` tables of PRODUCT.md §2, defined once: what `npm run dataverse -- provision` makes exist
 * (provisioning/schema.ts derives its specs from here) and what the gateway reads and writes (wire.ts).
 * Logical names are a contract (forms, tests and the gateway depend on them); labels are English and
 * merged with any other language a customer added (MSCRM.MergeLabels).
 *
 * Schema names equal the logical names (all lower case) on purpose: a lookup's navigation property is
 * named after its schema name, and the gateway binds `eol_administrationid@odata.bind`.
 */
import {
  dateAndTime,
  dateOnly,
  globalChoice,
  globalChoices,
  guidText,
  localChoice,
  lookup,
  memo,
  text,
  USER_OWNED,
  wholeNumber,
  yesNo,
  type ColumnDef,
} from './columns';
import { OPTION_SETS } from './optionSets';

export { OPTION_SETS };

export interface KeySpec {
  readonly name: string;
  readonly label: string;
  readonly columns: readonly string[];
}

export interface TableDef {
  readonly name: string;
  readonly entitySet: string;
  /** Dataverse names it `<logical name>id`. */
  readonly primaryId: string;
  readonly label: string;
  readonly pluralLabel: string;
  readonly description: string;
  /** Emails are sent regarding invoices (failure notifications), so eol_salesinvoice needs activities. */
  readonly hasActivities: boolean;
  /** The primary name column (a text column of `columns`). */
  readonly primaryName: string;
  readonly columns: Readonly<Record<string, ColumnDef>>;
  readonly keys: readonly KeySpec[];
}

export const defineTable = <const T extends TableDef>(t: T): T => t;

const name = () => text('Name', 200);
export const exactState = () => globalChoice('State in Exact', OPTION_SETS.eol_exactstate);
/** Lookups to a mirrored layout: a layout row removed by hand clears them (never blocks the delete). */
const layoutLookup = (label: string, relationship: string) =>
  lookup(label, 'eol_layout', relationship, { required: false, onDelete: 'RemoveLink' });

export const ADMINISTRATION = defineTable({
  name: 'eol_administration',
  entitySet: 'eol_administrations',
  primaryId: 'eol_administrationid',
  label: 'Exact administration',
  pluralLabel: 'Exact administrations',
  description: 'An Exact Online administration (division) and its auto-invoice settings.',
  hasActivities: false,
  primaryName: 'eol_name',
  columns: {
    eol_name: name(),
    eol_division: wholeNumber('Division'),
    eol_printinvoices: yesNo('Print invoices', false),
    eol_sources: globalChoices('Sources', OPTION_SETS.eol_source),
    eol_channels: globalChoices('Channels', OPTION_SETS.eol_channel),
    eol_timing: localChoice(
      'Timing',
      [
        { value: 1, label: 'As soon as the invoice is ready' },
        { value: 2, label: 'On the invoice date at 00:05' },
      ],
      1,
    ),
    eol_timezone: text('Time zone', 64),
    eol_defaultinvoicemethod: globalChoice('Default invoice method', OPTION_SETS.eol_invoicemethod),
    // Lookups to eol_layout (decision 0075); the GUID text columns before them are retired, kept for the migration.
    eol_defaultlayoutid: layoutLookup('Default document layout', 'eol_layout_eol_administration_default'),
    eol_defaultemaillayoutid: layoutLookup(
      'Default email layout',
      'eol_layout_eol_administration_defaultemail',
    ),
    eol_defaultlayout: guidText('Default document layout (GUID, retired)'),
    eol_defaultemaillayout: guidText('Default email layout (GUID, retired)'),
    eol_senderemail: text('Sender email', 100, 'Email'),
    eol_extratext: memo('Extra text'),
    eol_notifyemail: text('Notification email', 500),
    eol_exactstate: exactState(),
    /** `sync/CRM/Accounts` Timestamp the next relation sync continues from (a decimal string, decision 0071). */
    eol_accountcursor: text('Exact account sync cursor', 40),
    // Issue 16: an invoice to a receiver not on Peppol fails before printing instead of falling back.
    eol_peppolrequired: yesNo('Peppol required', false),
    eol_activefrom: dateOnly('Active from'),
    // Issue 15 (PRODUCT.md §12): invoice email sent by Dynamics 365 instead of Exact (decision 0105).
    eol_emailroute: globalChoice('Invoice email sent by', OPTION_SETS.eol_emailroute, 1),
    eol_emailtemplateid: lookup('Email template', 'template', 'eol_template_eol_administration', {
      required: false,
      onDelete: 'RemoveLink',
    }),
    eol_mailboxid: lookup('Mailbox', 'queue', 'eol_queue_eol_administration', {
      required: false,
      onDelete: 'RemoveLink',
    }),
    eol_emailreview: yesNo('Review invoice email first', false),
    eol_emailcc: text('Invoice email CC', 500),
    eol_emailbcc: text('Invoice email BCC', 500),
    ...USER_OWNED,
  },
  keys: [{ name: 'eol_administration_division', label: 'Division', columns: ['eol_division'] }],
});

export const RELATION = defineTable({
  name: 'eol_relation',
  entitySet: 'eol_relations',
  primaryId: 'eol_relationid',
  label: 'Exact relation',
  pluralLabel: 'Exact relations',
  description: 'An Exact Online relation (customer account) in one administration.',
  hasActivities: false,
  primaryName: 'eol_name',
  columns: {
    eol_name: name(),
    eol_administrationid: lookup('Administration', 'eol_administration', 'eol_administration_eol_relation', {
      required: true,
      onDelete: 'Restrict',
    }),
    eol_accountid: lookup('Account', 'account', 'eol_account_eol_relation', {
      required: false,
      onDelete: 'RemoveLink',
    }),
    eol_exactaccountid: guidText('Exact account id'),
    eol_autoinvoice: yesNo('Auto-invoice', false),
    eol_invoicemethod: globalChoice('Invoice method', OPTION_SETS.eol_invoicemethod),
    eol_printandsend: yesNo('Print and send invoice', false),
    eol_layoutid: layoutLookup('Document layout', 'eol_layout_eol_relation_document'),
    eol_emaillayoutid: layoutLookup('Email layout', 'eol_layout_eol_relation_email'),
    eol_layout: guidText('Document layout (GUID, retired)'),
    eol_emaillayout: guidText('Email layout (GUID, retired)'),
    eol_invoiceemail: text('Invoice email', 500),
    eol_peppolid: text('Peppol id', 100),
    eol_kvk: text('Chamber of Commerce (KvK)', 30),
    eol_vatnumber: text('VAT number', 30),
    eol_oin: text('OIN', 30),
    eol_language: text('Language', 10),
    eol_invoiceaccountid: lookup(
      'Invoice account',
      'eol_relation',
      'eol_relation_eol_relation_invoiceaccount',
      {
        required: false,
        onDelete: 'RemoveLink',
      },
    ),
    eol_exactstate: exactState(),
    // The written-back fields as last seen in Exact: the base the write-back compares with (decision 0076).
    eol_exactinvoicemethod: wholeNumber('Invoice method in Exact (last seen)'),
    eol_exactinvoiceemail: text('Invoice email in Exact (last seen)', 500),
    eol_exactpeppolid: text('Peppol id in Exact (last seen)', 100),
    eol_syncconflict: memo('Sync conflict', 2000),
    // PRODUCT.md §12: empty follows the administration (a choice, since a yes/no is never empty: decision 0105).
    eol_emailroute: globalChoice('Invoice email sent by', OPTION_SETS.eol_emailroute),
    eol_emailreview: localChoice('Review invoice email first', [
      { value: 1, label: 'Yes, leave a draft to review' },
      { value: 2, label: 'No, send it' },
    ]),
    ...USER_OWNED,
  },
  keys: [
    {
      name: 'eol_relation_exactaccount',
      label: 'Exact account',
      columns: ['eol_administrationid', 'eol_exactaccountid'],
    },
  ],
});

export const SALES_INVOICE = defineTable({
  name: 'eol_salesinvoice',
  entitySet: 'eol_salesinvoices',
  primaryId: 'eol_salesinvoiceid',
  label: 'Exact sales invoice',
  pluralLabel: 'Exact sales invoices',
  description: 'One Exact concept sales invoice and its dispatch state.',
  hasActivities: true,
  primaryName: 'eol_name',
  columns: {
    eol_name: name(),
    eol_administrationid: lookup(
      'Administration',
      'eol_administration',
      'eol_administration_eol_salesinvoice',
      {
        required: false,
        onDelete: 'Restrict',
      },
    ),
    eol_relationid: lookup('Relation', 'eol_relation', 'eol_relation_eol_salesinvoice', {
      required: false,
      onDelete: 'Restrict',
    }),
    eol_exactinvoiceid: guidText('Exact invoice id'),
    eol_invoicenumber: wholeNumber('Invoice number'),
    eol_invoicedate: dateOnly('Invoice date'),
    eol_source: globalChoice('Source', OPTION_SETS.eol_source),
    eol_autodispatch: yesNo('Send automatically', true),
    eol_extratext: memo('Extra text'),
    eol_resend: yesNo('Resend', false),
    /** Set by the Send now command (docs/decisions/0086); the connector sets it back to no. */
    eol_sendnow: yesNo('Send now', false),
    eol_dispatchstatus: localChoice('Dispatch status', [
      { value: 1, label: 'Waiting' },
      { value: 2, label: 'Scheduled' },
      { value: 3, label: 'Sending' },
      { value: 4, label: 'Sent' },
      { value: 5, label: 'Ignored' },
      { value: 6, label: 'Failed' },
      { value: 7, label: 'Opted out' },
      { value: 8, label: 'Review' },
      { value: 9, label: 'On print list' },
    ]),
    eol_dispatchchannel: globalChoice('Dispatch channel', OPTION_SETS.eol_channel),
    eol_dispatchreason: text('Dispatch reason', 100),
    eol_dispatchmessage: memo('Dispatch message'),
    eol_scheduledfor: dateAndTime('Scheduled for'),
    eol_senton: dateAndTime('Sent on'),
    eol_dispatchattempts: wholeNumber('Dispatch attempts'),
    // PRODUCT.md §12: this invoice's own recipients (`;`), and the email activity that carried it.
    eol_recipients: text('Recipients', 1000),
    eol_emailid: lookup('Email', 'email', 'eol_email_eol_salesinvoice', {
      required: false,
      onDelete: 'RemoveLink',
    }),
    ...USER_OWNED,
  },
  keys: [
    {
      name: 'eol_salesinvoice_exactinvoice',
      label: 'Exact invoice',
      columns: ['eol_administrationid', 'eol_exactinvoiceid'],
    },
  ],
});
