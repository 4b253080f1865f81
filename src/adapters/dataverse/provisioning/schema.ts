/**
 * The Dataverse schema of PRODUCT.md §2 as data: what `npm run dataverse -- provision` makes exist.
 * Logical names are a contract (forms, tests and the gateway depend on them); labels are English and
 * merged with any other language a customer added (MSCRM.MergeLabels).
 *
 * Schema names equal the logical names (all lower case) on purpose: a lookup's navigation property is
 * named after its schema name, and the gateway binds `eol_administrationid@odata.bind`.
 */
export interface OptionSpec {
  value: number;
  label: string;
}

export type ColumnSpec =
  | { kind: 'text'; name: string; label: string; maxLength: number; format?: 'Text' | 'Email' }
  | { kind: 'memo'; name: string; label: string; maxLength: number }
  | { kind: 'integer'; name: string; label: string; min: number; max: number }
  | { kind: 'boolean'; name: string; label: string; default: boolean }
  /** Single choice, either bound to a global option set or with local options. */
  | {
      kind: 'choice';
      name: string;
      label: string;
      globalOptionSet?: string;
      options?: OptionSpec[];
      default?: number;
    }
  /** Multi-select choice; Dataverse allows no default value on these (see decision 0020). */
  | { kind: 'choices'; name: string; label: string; globalOptionSet: string }
  | { kind: 'datetime'; name: string; label: string; dateOnly: boolean }
  /** A lookup: created through its relationship, updated (label, requirement) as an attribute. */
  | {
      kind: 'lookup';
      name: string;
      label: string;
      target: string;
      relationship: string;
      required: boolean;
      onDelete: 'Restrict' | 'RemoveLink';
    };

export interface KeySpec {
  name: string;
  label: string;
  columns: string[];
}

export interface TableSpec {
  name: string;
  entitySet: string;
  label: string;
  pluralLabel: string;
  description: string;
  /** Emails are sent regarding invoices (failure notifications), so eol_salesinvoice needs activities. */
  hasActivities: boolean;
  primaryName: { name: string; label: string; maxLength: number };
  columns: ColumnSpec[];
  keys: KeySpec[];
}

export interface GlobalOptionSetSpec {
  name: string;
  label: string;
  options: OptionSpec[];
}

export const GLOBAL_OPTION_SETS: readonly GlobalOptionSetSpec[] = [
  {
    name: 'eol_source',
    label: 'Invoice source',
    options: [
      { value: 1, label: 'Sales order' },
      { value: 2, label: 'Recurring' },
      { value: 3, label: 'Manual' },
      { value: 4, label: 'Other application' },
    ],
  },
  {
    name: 'eol_channel',
    label: 'Invoice channel',
    options: [
      { value: 1, label: 'Peppol e-invoice' },
      { value: 2, label: 'Exact digital postbox' },
      { value: 3, label: 'Email' },
      { value: 4, label: 'Paper' },
    ],
  },
  {
    name: 'eol_invoicemethod',
    label: 'Invoice method',
    options: [
      { value: 0, label: 'Automatic (best channel)' },
      { value: 1, label: 'Paper' },
      { value: 2, label: 'Email' },
      { value: 4, label: 'Digital postbox' },
      { value: 32, label: 'Peppol' },
    ],
  },
];

const guidText = (name: string, label: string): ColumnSpec => ({ kind: 'text', name, label, maxLength: 100 });

export const TABLES: readonly TableSpec[] = [
  {
    name: 'eol_administration',
    entitySet: 'eol_administrations',
    label: 'Exact administration',
    pluralLabel: 'Exact administrations',
    description: 'An Exact Online administration (division) and its auto-invoice settings.',
    hasActivities: false,
    primaryName: { name: 'eol_name', label: 'Name', maxLength: 200 },
    columns: [
      { kind: 'integer', name: 'eol_division', label: 'Division', min: 0, max: 2_147_483_647 },
      { kind: 'boolean', name: 'eol_printinvoices', label: 'Print invoices', default: false },
      { kind: 'choices', name: 'eol_sources', label: 'Sources', globalOptionSet: 'eol_source' },
      { kind: 'choices', name: 'eol_channels', label: 'Channels', globalOptionSet: 'eol_channel' },
      {
        kind: 'choice',
        name: 'eol_timing',
        label: 'Timing',
        options: [
          { value: 1, label: 'As soon as the invoice is ready' },
          { value: 2, label: 'On the invoice date at 00:05' },
        ],
        default: 1,
      },
      { kind: 'text', name: 'eol_timezone', label: 'Time zone', maxLength: 64 },
      {
        kind: 'choice',
        name: 'eol_defaultinvoicemethod',
        label: 'Default invoice method',
        globalOptionSet: 'eol_invoicemethod',
      },
      guidText('eol_defaultlayout', 'Default document layout'),
      guidText('eol_defaultemaillayout', 'Default email layout'),
      { kind: 'text', name: 'eol_senderemail', label: 'Sender email', maxLength: 100, format: 'Email' },
      { kind: 'memo', name: 'eol_extratext', label: 'Extra text', maxLength: 4000 },
      { kind: 'text', name: 'eol_notifyemail', label: 'Notification email', maxLength: 500 },
    ],
    keys: [{ name: 'eol_administration_division', label: 'Division', columns: ['eol_division'] }],
  },
  {
    name: 'eol_relation',
    entitySet: 'eol_relations',
    label: 'Exact relation',
    pluralLabel: 'Exact relations',
    description: 'An Exact Online relation (customer account) in one administration.',
    hasActivities: false,
    primaryName: { name: 'eol_name', label: 'Name', maxLength: 200 },
    columns: [
      {
        kind: 'lookup',
        name: 'eol_administrationid',
        label: 'Administration',
        target: 'eol_administration',
        relationship: 'eol_administration_eol_relation',
        required: true,
        onDelete: 'Restrict',
      },
      {
        kind: 'lookup',
        name: 'eol_accountid',
        label: 'Account',
        target: 'account',
        relationship: 'eol_account_eol_relation',
        required: false,
        onDelete: 'RemoveLink',
      },
      guidText('eol_exactaccountid', 'Exact account id'),
      { kind: 'boolean', name: 'eol_autoinvoice', label: 'Auto-invoice', default: false },
      {
        kind: 'choice',
        name: 'eol_invoicemethod',
        label: 'Invoice method',
        globalOptionSet: 'eol_invoicemethod',
      },
      { kind: 'boolean', name: 'eol_printandsend', label: 'Print and send invoice', default: false },
      guidText('eol_layout', 'Document layout'),
      guidText('eol_emaillayout', 'Email layout'),
      { kind: 'text', name: 'eol_invoiceemail', label: 'Invoice email', maxLength: 500 },
      { kind: 'text', name: 'eol_peppolid', label: 'Peppol id', maxLength: 100 },
    ],
    keys: [
      {
        name: 'eol_relation_exactaccount',
        label: 'Exact account',
        columns: ['eol_administrationid', 'eol_exactaccountid'],
      },
    ],
  },
  {
    name: 'eol_salesinvoice',
    entitySet: 'eol_salesinvoices',
    label: 'Exact sales invoice',
    pluralLabel: 'Exact sales invoices',
    description: 'One Exact concept sales invoice and its dispatch state.',
    hasActivities: true,
    primaryName: { name: 'eol_name', label: 'Name', maxLength: 200 },
    columns: [
      {
        kind: 'lookup',
        name: 'eol_administrationid',
        label: 'Administration',
        target: 'eol_administration',
        relationship: 'eol_administration_eol_salesinvoice',
        required: false,
        onDelete: 'Restrict',
      },
      {
        kind: 'lookup',
        name: 'eol_relationid',
        label: 'Relation',
        target: 'eol_relation',
        relationship: 'eol_relation_eol_salesinvoice',
        required: false,
        onDelete: 'Restrict',
      },
      guidText('eol_exactinvoiceid', 'Exact invoice id'),
      { kind: 'integer', name: 'eol_invoicenumber', label: 'Invoice number', min: 0, max: 2_147_483_647 },
      { kind: 'datetime', name: 'eol_invoicedate', label: 'Invoice date', dateOnly: true },
      { kind: 'choice', name: 'eol_source', label: 'Source', globalOptionSet: 'eol_source' },
      { kind: 'boolean', name: 'eol_autodispatch', label: 'Send automatically', default: true },
      { kind: 'memo', name: 'eol_extratext', label: 'Extra text', maxLength: 4000 },
      { kind: 'boolean', name: 'eol_resend', label: 'Resend', default: false },
      {
        kind: 'choice',
        name: 'eol_dispatchstatus',
        label: 'Dispatch status',
        options: [
          { value: 1, label: 'Waiting' },
          { value: 2, label: 'Scheduled' },
          { value: 3, label: 'Sending' },
          { value: 4, label: 'Sent' },
          { value: 5, label: 'Ignored' },
          { value: 6, label: 'Failed' },
          { value: 7, label: 'Opted out' },
        ],
      },
      {
        kind: 'choice',
        name: 'eol_dispatchchannel',
        label: 'Dispatch channel',
        globalOptionSet: 'eol_channel',
      },
      { kind: 'text', name: 'eol_dispatchreason', label: 'Dispatch reason', maxLength: 100 },
      { kind: 'memo', name: 'eol_dispatchmessage', label: 'Dispatch message', maxLength: 4000 },
      { kind: 'datetime', name: 'eol_scheduledfor', label: 'Scheduled for', dateOnly: false },
      { kind: 'datetime', name: 'eol_senton', label: 'Sent on', dateOnly: false },
      {
        kind: 'integer',
        name: 'eol_dispatchattempts',
        label: 'Dispatch attempts',
        min: 0,
        max: 2_147_483_647,
      },
    ],
    keys: [
      {
        name: 'eol_salesinvoice_exactinvoice',
        label: 'Exact invoice',
        columns: ['eol_administrationid', 'eol_exactinvoiceid'],
      },
    ],
  },
];
