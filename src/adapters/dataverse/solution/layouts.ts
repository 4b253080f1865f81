/**
 * What each main form shows, in sections (PRODUCT.md §2, §12, §14). Names of columns the vocabulary
 * does not (yet) hold are allowed: forms.ts leaves them out until they exist.
 */
import type { FormLayout } from './forms';

/** Columns AutoInvoice writes on an invoice row: read-only on its form. */
export const CONNECTOR_WRITES = [
  'eol_exactinvoiceid',
  'eol_invoicenumber',
  'eol_dispatchstatus',
  'eol_dispatchchannel',
  'eol_dispatchreason',
  'eol_dispatchmessage',
  'eol_scheduledfor',
  'eol_senton',
  'eol_dispatchattempts',
  'eol_emailid',
] as const;

/** Request columns the commands set and the connector sets back: on no form. */
export const REQUEST_COLUMNS = ['eol_resend', 'eol_sendnow'] as const;

export const INVOICE_FORM: FormLayout = {
  table: 'eol_salesinvoice',
  name: { en: 'AutoInvoice invoice', nl: 'AutoInvoice-factuur' },
  description: {
    en: 'An Exact sales invoice and what AutoInvoice did with it.',
    nl: 'Een verkoopfactuur in Exact en wat AutoInvoice ermee deed.',
  },
  sections: [
    {
      name: 'invoice',
      label: { en: 'Invoice', nl: 'Factuur' },
      columns: [
        'eol_name',
        'eol_administrationid',
        'eol_relationid',
        'eol_invoicenumber',
        'eol_invoicedate',
        'eol_source',
        'eol_exactinvoiceid',
      ],
    },
    {
      name: 'dispatch',
      label: { en: 'Dispatch', nl: 'Verzending' },
      columns: [
        'eol_dispatchstatus',
        'eol_dispatchchannel',
        'eol_dispatchreason',
        'eol_dispatchmessage',
        'eol_scheduledfor',
        'eol_senton',
        'eol_dispatchattempts',
        'eol_recipients',
        'eol_emailid',
        'eol_autodispatch',
        'eol_extratext',
      ],
    },
  ],
  readOnly: CONNECTOR_WRITES,
  hidden: REQUEST_COLUMNS,
};

/**
 * Relation columns only the mirror writes (PRODUCT.md §11, decision 0076): Exact's values and the base the
 * write-back compares with. Invoice method, invoice email and Peppol id stay editable (a change made in
 * Dynamics is written back to Exact), and so do the layouts, which the relation's own settings choose.
 */
const RELATION_MIRRORED = [
  'eol_kvk',
  'eol_vatnumber',
  'eol_oin',
  'eol_language',
  'eol_invoiceaccountid',
  'eol_exactstate',
  'eol_exactinvoicemethod',
  'eol_exactinvoiceemail',
  'eol_exactpeppolid',
  'eol_syncconflict',
] as const;

export const RELATION_FORM: FormLayout = {
  table: 'eol_relation',
  name: { en: 'AutoInvoice relation', nl: 'AutoInvoice-relatie' },
  description: {
    en: 'How one Exact relation receives its invoices.',
    nl: 'Hoe een relatie in Exact haar facturen ontvangt.',
  },
  sections: [
    {
      name: 'relation',
      label: { en: 'Relation', nl: 'Relatie' },
      columns: ['eol_name', 'eol_administrationid', 'eol_accountid', 'eol_exactaccountid'],
    },
    {
      name: 'invoicing',
      label: { en: 'Invoicing', nl: 'Facturering' },
      columns: [
        'eol_autoinvoice',
        'eol_invoicemethod',
        'eol_printandsend',
        'eol_emailroute',
        'eol_emailreview',
      ],
    },
    {
      name: 'addresses',
      label: { en: 'Where invoices go', nl: 'Waar facturen heen gaan' },
      columns: ['eol_invoiceemail', 'eol_peppolid'],
    },
    {
      name: 'layouts',
      label: { en: 'Layouts', nl: 'Lay-outs' },
      columns: ['eol_layoutid', 'eol_emaillayoutid'],
    },
    {
      name: 'exact',
      label: { en: 'From Exact Online', nl: 'Uit Exact Online' },
      columns: [...RELATION_MIRRORED],
    },
  ],
  readOnly: ['eol_name', 'eol_exactaccountid', ...RELATION_MIRRORED],
  // The text columns the layout lookups replaced (decision 0075): kept in the table, shown nowhere.
  hidden: ['eol_layout', 'eol_emaillayout'],
};

export const ADMINISTRATION_FORM: FormLayout = {
  table: 'eol_administration',
  name: { en: 'AutoInvoice administration', nl: 'AutoInvoice-administratie' },
  description: {
    en: 'The auto-invoice settings of one Exact administration.',
    nl: 'De instellingen voor automatisch factureren van een Exact-administratie.',
  },
  sections: [
    {
      name: 'administration',
      label: { en: 'Administration', nl: 'Administratie' },
      columns: ['eol_name', 'eol_division', 'eol_printinvoices', 'eol_activefrom', 'eol_exactstate'],
    },
    {
      name: 'what',
      label: { en: 'What is sent, and how', nl: 'Wat wordt verzonden, en hoe' },
      columns: ['eol_sources', 'eol_channels', 'eol_defaultinvoicemethod', 'eol_peppolrequired'],
    },
    {
      name: 'when',
      label: { en: 'When', nl: 'Wanneer' },
      columns: ['eol_timing', 'eol_timezone'],
    },
    {
      name: 'layouts',
      label: { en: 'Layouts and text', nl: 'Lay-outs en tekst' },
      columns: ['eol_defaultlayoutid', 'eol_defaultemaillayoutid', 'eol_senderemail', 'eol_extratext'],
    },
    {
      name: 'email',
      label: { en: 'Email from Dynamics 365', nl: 'E-mail vanuit Dynamics 365' },
      columns: [
        'eol_emailroute',
        'eol_emailtemplateid',
        'eol_mailboxid',
        'eol_emailreview',
        'eol_emailcc',
        'eol_emailbcc',
      ],
    },
    {
      name: 'notifications',
      label: { en: 'Notifications', nl: 'Meldingen' },
      columns: ['eol_notifyemail'],
    },
  ],
  // Mirrored from Exact (name, division, state), or set by Activate in the operator console (active from).
  readOnly: ['eol_name', 'eol_division', 'eol_exactstate', 'eol_activefrom'],
  // The sync's cursor is the connector's bookkeeping; the retired layout texts (decision 0075) are unused.
  hidden: ['eol_accountcursor', 'eol_defaultlayout', 'eol_defaultemaillayout'],
};

export const LAYOUT_FORM: FormLayout = {
  table: 'eol_layout',
  name: { en: 'AutoInvoice layout', nl: 'AutoInvoice-lay-out' },
  description: {
    en: 'An Exact document or email layout, mirrored from Exact.',
    nl: 'Een document- of e-maillay-out uit Exact, overgenomen uit Exact.',
  },
  sections: [{ name: 'layout', label: { en: 'Layout', nl: 'Lay-out' }, columns: ['eol_name'] }],
  // Layouts are mirrored from Exact (issue 14): what Exact holds is changed in Exact.
  readOnly: 'all',
  hidden: [],
};

export const FORM_LAYOUTS: readonly FormLayout[] = [
  INVOICE_FORM,
  RELATION_FORM,
  ADMINISTRATION_FORM,
  LAYOUT_FORM,
];
