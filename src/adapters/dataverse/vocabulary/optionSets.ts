/**
 * The global option sets of the `eol_` tables (PRODUCT.md §2, §11, §12): one definition each, bound by the
 * columns of tables.ts and layout.ts, created first by provisioning.
 */
export const OPTION_SETS = {
  eol_source: {
    name: 'eol_source',
    label: 'Invoice source',
    options: [
      { value: 1, label: 'Sales order' },
      { value: 2, label: 'Recurring' },
      { value: 3, label: 'Manual' },
      { value: 4, label: 'Other application' },
    ],
  },
  eol_channel: {
    name: 'eol_channel',
    label: 'Invoice channel',
    options: [
      { value: 1, label: 'Peppol e-invoice' },
      { value: 2, label: 'Exact digital postbox' },
      { value: 3, label: 'Email' },
      { value: 4, label: 'Paper' },
    ],
  },
  eol_invoicemethod: {
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
  /** Whether a mirrored row still exists in Exact (PRODUCT.md §11: marked, never deleted). */
  eol_exactstate: {
    name: 'eol_exactstate',
    label: 'State in Exact',
    options: [
      { value: 1, label: 'Active' },
      { value: 2, label: 'Gone' },
    ],
  },
  /**
   * Who sends invoice email (PRODUCT.md §12): the administration's setting and a relation's override share
   * it (empty on a relation = the administration's).
   */
  eol_emailroute: {
    name: 'eol_emailroute',
    label: 'Invoice email route',
    options: [
      { value: 1, label: 'Exact Online' },
      { value: 2, label: 'Dynamics 365' },
    ],
  },
} as const;
