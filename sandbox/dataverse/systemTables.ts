/**
 * The system tables the sandbox serves, with the columns the connector and its tests touch (a subset of
 * each table's reference page, PAD `reference/entities/<table>.md`). Column types, lengths and option
 * values follow those pages; labels are English.
 */
export type SystemColumn =
  | { name: string; type: 'String' | 'Memo'; maxLength: number }
  | { name: string; type: 'Integer' }
  | { name: string; type: 'Boolean'; labels?: [string, string] }
  | { name: string; type: 'Uniqueidentifier' }
  | { name: string; type: 'DateTime'; dateOnly?: boolean }
  | { name: string; type: 'Picklist'; options: Array<[number, string]> }
  | { name: string; type: 'Lookup'; targets: string[] };

export interface SystemTable {
  logical: string;
  set: string;
  display: string;
  code: number;
  ownership: 'UserOwned' | 'BusinessOwned' | 'OrganizationOwned';
  primaryName: { name: string; maxLength: number };
  isActivity?: boolean;
  /** Primary key column when it is not `<logical>id` (activities use `activityid`). */
  primaryId?: string;
  /** statecode / statuscode options; none for tables without a state (systemuser, organization). */
  state?: { state: Array<[number, string]>; status: Array<[number, string]> };
  columns: SystemColumn[];
  /** Collection-valued navigation properties a create may deep-insert (email_activity_parties). */
  collections?: string[];
}

export const ACTIVE_INACTIVE: NonNullable<SystemTable['state']> = {
  state: [
    [0, 'Active'],
    [1, 'Inactive'],
  ],
  status: [
    [1, 'Active'],
    [2, 'Inactive'],
  ],
};

export const SYSTEM_TABLES: readonly SystemTable[] = [
  {
    logical: 'account',
    set: 'accounts',
    display: 'Account',
    code: 1,
    ownership: 'UserOwned',
    primaryName: { name: 'name', maxLength: 160 },
    state: ACTIVE_INACTIVE,
    columns: [
      { name: 'accountnumber', type: 'String', maxLength: 20 },
      { name: 'emailaddress1', type: 'String', maxLength: 100 },
    ],
  },
  {
    logical: 'systemuser',
    set: 'systemusers',
    display: 'User',
    code: 8,
    ownership: 'BusinessOwned',
    primaryName: { name: 'fullname', maxLength: 200 },
    columns: [
      { name: 'applicationid', type: 'Uniqueidentifier' },
      { name: 'isdisabled', type: 'Boolean', labels: ['Enabled', 'Disabled'] },
      { name: 'internalemailaddress', type: 'String', maxLength: 100 },
      { name: 'domainname', type: 'String', maxLength: 1024 },
    ],
  },
  {
    logical: 'organization',
    set: 'organizations',
    display: 'Organization',
    code: 1019,
    ownership: 'OrganizationOwned',
    primaryName: { name: 'name', maxLength: 160 },
    columns: [{ name: 'languagecode', type: 'Integer' }],
  },
  {
    logical: 'appnotification',
    set: 'appnotifications',
    display: 'Notification',
    code: 4110,
    ownership: 'UserOwned',
    primaryName: { name: 'title', maxLength: 200 },
    state: ACTIVE_INACTIVE,
    columns: [
      { name: 'body', type: 'Memo', maxLength: 5000 },
      {
        name: 'icontype',
        type: 'Picklist',
        options: [
          [100000000, 'Info'],
          [100000001, 'Success'],
          [100000002, 'Failure'],
          [100000003, 'Warning'],
          [100000004, 'Mention'],
          [100000005, 'Custom'],
        ],
      },
      {
        name: 'toasttype',
        type: 'Picklist',
        options: [
          [200000000, 'Timed'],
          [200000001, 'Hidden'],
        ],
      },
      { name: 'ttlinseconds', type: 'Integer' },
    ],
  },
  {
    logical: 'email',
    set: 'emails',
    display: 'Email',
    code: 4202,
    ownership: 'UserOwned',
    isActivity: true,
    primaryId: 'activityid',
    primaryName: { name: 'subject', maxLength: 400 },
    state: {
      state: [
        [0, 'Open'],
        [1, 'Completed'],
        [2, 'Canceled'],
      ],
      status: [
        [1, 'Draft'],
        [2, 'Completed'],
        [3, 'Sent'],
        [4, 'Received'],
        [5, 'Canceled'],
        [6, 'Pending Send'],
        [7, 'Sending'],
        [8, 'Failed'],
      ],
    },
    columns: [
      { name: 'description', type: 'Memo', maxLength: 1_048_576 },
      { name: 'senton', type: 'DateTime' },
      { name: 'directioncode', type: 'Boolean', labels: ['Incoming', 'Outgoing'] },
      { name: 'regardingobjectid', type: 'Lookup', targets: ['account', 'eol_salesinvoice'] },
    ],
    collections: ['email_activity_parties'],
  },
  // Minimal entries for the lookups and the extension column of PRODUCT.md §12 (eol_emailtemplateid,
  // eol_mailboxid, contact.eol_invoicerecipient); the mail work completes their columns.
  {
    logical: 'template',
    set: 'templates',
    display: 'Email Template',
    code: 2010,
    ownership: 'UserOwned',
    primaryName: { name: 'title', maxLength: 200 },
    columns: [],
  },
  {
    logical: 'queue',
    set: 'queues',
    display: 'Queue',
    code: 2020,
    ownership: 'UserOwned',
    primaryName: { name: 'name', maxLength: 400 },
    state: ACTIVE_INACTIVE,
    columns: [{ name: 'emailaddress', type: 'String', maxLength: 100 }],
  },
  {
    logical: 'contact',
    set: 'contacts',
    display: 'Contact',
    code: 2,
    ownership: 'UserOwned',
    primaryName: { name: 'fullname', maxLength: 160 },
    state: ACTIVE_INACTIVE,
    columns: [{ name: 'emailaddress1', type: 'String', maxLength: 100 }],
  },
];
