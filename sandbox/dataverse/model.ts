import { randomUUID } from 'node:crypto';

/** One table of the sandbox: its entity set, primary key, single-valued lookups and alternate keys. */
export interface EntityDef {
  set: string;
  logical: string;
  key: string;
  /** Navigation property → target entity set (single-valued lookups, stored as `_<nav>_value`). */
  lookups: Record<string, string>;
  /** Alternate keys, each a list of columns (lookups as `_x_value`); also enforced unique on write. */
  altKeys: string[][];
}

export const ENTITIES: readonly EntityDef[] = [
  {
    set: 'eol_administrations',
    logical: 'eol_administration',
    key: 'eol_administrationid',
    lookups: {
      eol_defaultlayoutid: 'eol_layouts',
      eol_defaultemaillayoutid: 'eol_layouts',
      eol_emailtemplateid: 'templates',
      eol_mailboxid: 'queues',
      ownerid: 'systemusers',
    },
    altKeys: [['eol_division']],
  },
  {
    set: 'eol_layouts',
    logical: 'eol_layout',
    key: 'eol_layoutid',
    lookups: { eol_administrationid: 'eol_administrations', ownerid: 'systemusers' },
    altKeys: [['_eol_administrationid_value', 'eol_exactlayoutid']],
  },
  {
    set: 'eol_relations',
    logical: 'eol_relation',
    key: 'eol_relationid',
    lookups: {
      eol_administrationid: 'eol_administrations',
      eol_accountid: 'accounts',
      eol_invoiceaccountid: 'eol_relations',
      eol_layoutid: 'eol_layouts',
      eol_emaillayoutid: 'eol_layouts',
      ownerid: 'systemusers',
    },
    altKeys: [['_eol_administrationid_value', 'eol_exactaccountid']],
  },
  {
    set: 'eol_salesinvoices',
    logical: 'eol_salesinvoice',
    key: 'eol_salesinvoiceid',
    lookups: {
      eol_administrationid: 'eol_administrations',
      eol_relationid: 'eol_relations',
      eol_emailid: 'emails',
      ownerid: 'systemusers',
    },
    altKeys: [['_eol_administrationid_value', 'eol_exactinvoiceid']],
  },
  { set: 'accounts', logical: 'account', key: 'accountid', lookups: { ownerid: 'systemusers' }, altKeys: [] },
  { set: 'systemusers', logical: 'systemuser', key: 'systemuserid', lookups: {}, altKeys: [] },
  {
    set: 'appnotifications',
    logical: 'appnotification',
    key: 'appnotificationid',
    lookups: { ownerid: 'systemusers' },
    altKeys: [],
  },
  {
    set: 'emails',
    logical: 'email',
    key: 'activityid',
    lookups: { regardingobjectid: 'eol_salesinvoices', ownerid: 'systemusers' },
    altKeys: [],
  },
  { set: 'organizations', logical: 'organization', key: 'organizationid', lookups: {}, altKeys: [] },
  // Dynamics 365 email (issue 15): templates, mailboxes, contacts and attachments (sandbox/dataverse/mail.ts).
  {
    set: 'templates',
    logical: 'template',
    key: 'templateid',
    lookups: { ownerid: 'systemusers' },
    altKeys: [],
  },
  { set: 'queues', logical: 'queue', key: 'queueid', lookups: { ownerid: 'systemusers' }, altKeys: [] },
  {
    set: 'contacts',
    logical: 'contact',
    key: 'contactid',
    lookups: { parentcustomerid: 'accounts', ownerid: 'systemusers' },
    altKeys: [],
  },
  {
    set: 'activitymimeattachments',
    logical: 'activitymimeattachment',
    key: 'activitymimeattachmentid',
    lookups: { objectid: 'emails' },
    altKeys: [],
  },
];

export function entityBySet(set: string): EntityDef | undefined {
  return ENTITIES.find((e) => e.set === set);
}

/** Polymorphic lookups are bound as `<nav>_<target logical name>` (e.g. `regardingobjectid_eol_salesinvoice`). */
export function lookupColumn(def: EntityDef, navProperty: string): string | undefined {
  if (def.lookups[navProperty]) return `_${navProperty}_value`;
  const base = Object.keys(def.lookups).find((nav) => navProperty.startsWith(`${nav}_`));
  return base ? `_${base}_value` : undefined;
}

/** Dataverse's own error shape; `code` is the hex form of the platform error. */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const ERR = {
  notFound: (logical: string, id: string) =>
    new ODataError(404, '0x80040217', `${logical} With Id = ${id} Does Not Exist`),
  etag: () =>
    new ODataError(
      412,
      '0x80060882',
      "The version of the existing record doesn't match the RowVersion property provided.",
    ),
  exists: () => new ODataError(412, '0x80040237', 'A record with matching key values already exists.'),
  duplicateKey: (cols: string[]) =>
    new ODataError(
      412,
      '0x80060892',
      `A record that has the attribute values ${cols.join(', ')} already exists.`,
    ),
  syntax: (msg: string) => new ODataError(400, '0x80060888', msg),
  /** Troubleshoot Dataverse Web API client errors: `$select=Name` on accounts → 400, code 0x0. */
  noProperty: (name: string, logical: string) =>
    new ODataError(
      400,
      '0x0',
      `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${logical}'.`,
    ),
  /** Same page: a wrong entity set (or function) name → 404, code 0x8006088a. */
  noSegment: (segment: string) =>
    new ODataError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`),
  /** Same page, "Error identified in Payload provided by the user": a body the OData reader refuses. */
  payload: (set: string, inner: string) =>
    new ODataError(
      400,
      '0x80048d19',
      `Error identified in Payload provided by the user for Entity :'${set}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${inner}`,
    ),
  /** Web service error codes: 0x80044331 (AttributeLengthExceeded, -2147204303). */
  tooLong: (attr: string, logical: string, max: number) =>
    new ODataError(
      400,
      '0x80044331',
      `A validation error occurred. The length of the '${attr}' attribute of the '${logical}' entity exceeded the maximum allowed length of '${max}'.`,
    ),
  /** Web service error codes: 0x8004431a (OptionSetValue outside the option set, -2147204326). */
  outOfRange: (value: unknown, attr: string, logical: string, accepted: number[]) =>
    new ODataError(
      400,
      '0x8004431a',
      `A validation error occurred. The value ${String(value)} of '${attr}' on record of type '${logical}' is outside the valid range. Accepted Values: ${accepted.join(',')}`,
    ),
  /** Query data using the Web API: "$skip isn't supported"; Dataverse pages with @odata.nextLink instead. */
  skip: () => new ODataError(400, '0x80060888', 'The query parameter $skip is not supported'),
  badRequest: (msg: string) => new ODataError(400, '0x80048d19', msg),
  throttled: (seconds: number) =>
    new ODataError(
      429,
      '0x80072322',
      'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      { 'Retry-After': String(seconds) },
    ),
};

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const newId = (): string => randomUUID();

/** Dataverse returns date-times without fractional seconds; dynamics-web-api only revives that form to Date. */
export function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/.test(value))
    return value.replace(/\.\d+Z$/, 'Z');
  return value;
}

export type Row = Record<string, unknown>;
