import type { DispatchWriteback, InvoiceRow, NewInvoiceRow } from '../../app/ports';
import {
  CHANNEL_CODE,
  CHANNELS,
  SOURCE,
  type AdministrationFacts,
  type Channel,
  type EmailRoute,
  type RelationFacts,
  type Source,
} from '../../domain/types';
import type { DataverseAdministration, DataverseRelation, DataverseSalesInvoice } from './schemas';
import { bindOf, OPTION_SETS, RELATION, SALES_INVOICE, type RowWrite } from './vocabulary';

/** Wire ↔ domain for the `eol_` tables. Pure; every input already passed its zod schema. */

const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';
const SOURCES: readonly Source[] = Object.values(SOURCE);
/** As provisioned (4,000 characters); a longer message would be rejected. */
const MESSAGE_MAX = SALES_INVOICE.columns.eol_dispatchmessage.maxLength;

/**
 * "1,2" → [1, 2]. Dataverse cannot give a multi-select column a default, so an empty value (null on the
 * wire) takes PRODUCT.md §2's default: sources 1,2 and channels 1,2,3,4 (docs/decisions/0011).
 * Unknown codes (an option added to the column later) are ignored.
 */
export function multiSelect(value: string | number | null | undefined, fallback: number[] = []): number[] {
  if (value === null || value === undefined || value === '') return [...fallback];
  return String(value)
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n));
}

const channelByCode = (code: number): Channel | undefined => CHANNELS.find((c) => CHANNEL_CODE[c] === code);

export function toAdministrationFacts(a: DataverseAdministration): AdministrationFacts {
  return {
    id: a.eol_administrationid,
    name: a.eol_name ?? '',
    division: a.eol_division,
    printInvoices: a.eol_printinvoices === true,
    sources: multiSelect(a.eol_sources, [1, 2]).filter((n): n is Source =>
      (SOURCES as readonly number[]).includes(n),
    ),
    channels: multiSelect(a.eol_channels, [1, 2, 3, 4])
      .map(channelByCode)
      .filter((c): c is Channel => c !== undefined),
    timing: a.eol_timing === 2 ? 'onInvoiceDate' : 'immediate',
    timeZone: a.eol_timezone?.trim() || DEFAULT_TIME_ZONE,
    defaultInvoiceMethod: a.eol_defaultinvoicemethod ?? null,
    defaultLayout: layoutId(a.eol_defaultlayoutid, a.eol_defaultlayout),
    defaultEmailLayout: layoutId(a.eol_defaultemaillayoutid, a.eol_defaultemaillayout),
    ...(gone(a.eol_defaultlayoutid) ? { defaultLayoutGone: true } : {}),
    ...(gone(a.eol_defaultemaillayoutid) ? { defaultEmailLayoutGone: true } : {}),
    ...namesOf(a.eol_defaultlayoutid, a.eol_defaultemaillayoutid),
    senderEmail: blankToNull(a.eol_senderemail),
    extraText: blankToNull(a.eol_extratext),
    notifyEmail: blankToNull(a.eol_notifyemail),
    peppolRequired: a.eol_peppolrequired === true,
    activeFrom: dateOnly(a.eol_activefrom),
    // Empty: the default route, which `emailRouteOf` (src/domain/dynamicsMail.ts) holds.
    emailRoute: routeOf(a.eol_emailroute),
    emailTemplateId: a._eol_emailtemplateid_value ?? null,
    mailboxId: a._eol_mailboxid_value ?? null,
    emailReview: a.eol_emailreview === true,
    emailCc: blankToNull(a.eol_emailcc),
    emailBcc: blankToNull(a.eol_emailbcc),
  };
}

const DYNAMICS_ROUTE = OPTION_SETS.eol_emailroute.options[1].value;
const EXACT_ROUTE = OPTION_SETS.eol_emailroute.options[0].value;
/** `eol_emailroute` 1 / 2; empty (or an option added later) is null: the caller's default applies. */
function routeOf(code: number | null | undefined): EmailRoute | null {
  return code === DYNAMICS_ROUTE ? 'dynamics' : code === EXACT_ROUTE ? 'exact' : null;
}

const REVIEW_OPTIONS = RELATION.columns.eol_emailreview.options;
/** The relation's `eol_emailreview` choice (decision 0105): 1 yes, 2 no, empty = the administration's. */
function reviewOf(code: number | null | undefined): boolean | null {
  return code === REVIEW_OPTIONS[0].value ? true : code === REVIEW_OPTIONS[1].value ? false : null;
}

export function toRelationFacts(r: DataverseRelation): RelationFacts {
  return {
    id: r.eol_relationid,
    name: r.eol_name ?? '',
    exactAccountId: r.eol_exactaccountid ?? '',
    autoInvoice: r.eol_autoinvoice === true,
    invoiceMethod: r.eol_invoicemethod ?? null,
    printAndSend: r.eol_printandsend === true,
    layout: layoutId(r.eol_layoutid, r.eol_layout),
    emailLayout: layoutId(r.eol_emaillayoutid, r.eol_emaillayout),
    invoiceEmail: blankToNull(r.eol_invoiceemail),
    peppolId: blankToNull(r.eol_peppolid),
    // Mirrored from Exact's account (PRODUCT.md §11): what the Peppol lookup tries when Exact is not read (§13).
    kvk: blankToNull(r.eol_kvk),
    oin: blankToNull(r.eol_oin),
    vatNumber: blankToNull(r.eol_vatnumber),
    ...(gone(r.eol_layoutid) ? { layoutGone: true } : {}),
    ...(gone(r.eol_emaillayoutid) ? { emailLayoutGone: true } : {}),
    ...namesOf(r.eol_layoutid, r.eol_emaillayoutid),
    emailRoute: routeOf(r.eol_emailroute),
    emailReview: reviewOf(r.eol_emailreview),
    accountId: r._eol_accountid_value ?? null,
    ...(r.eol_invoiceaccountid
      ? {
          invoiceAccountMethod: r.eol_invoiceaccountid.eol_invoicemethod ?? null,
          invoiceAccountEmail: blankToNull(r.eol_invoiceaccountid.eol_invoiceemail),
        }
      : {}),
    ...(synced(r) ? { exactBase: exactBaseOf(r) } : {}),
  };
}

/** A relation the sync has seen in Exact carries the written-back fields as Exact last held them (0076). */
const synced = (r: DataverseRelation): boolean => r.eol_exactstate != null;

function exactBaseOf(r: DataverseRelation): NonNullable<RelationFacts['exactBase']> {
  return {
    invoiceMethod: r.eol_exactinvoicemethod ?? null,
    invoiceEmail: blankToNull(r.eol_exactinvoiceemail),
    peppolId: blankToNull(r.eol_exactpeppolid),
    conflict: blankToNull(r.eol_syncconflict),
  };
}

type LayoutRef =
  | { eol_exactlayoutid?: string | null; eol_exactstate?: number | null; eol_name?: string | null }
  | null
  | undefined;

/** The mirrored names of the layouts a row points at, by Exact layout GUID (messages name a missing one). */
function namesOf(...refs: LayoutRef[]): { layoutNames?: Record<string, string> } {
  const names: Record<string, string> = {};
  for (const ref of refs) {
    const id = blankToNull(ref?.eol_exactlayoutid);
    const name = blankToNull(ref?.eol_name);
    if (id && name) names[id] = name;
  }
  return Object.keys(names).length > 0 ? { layoutNames: names } : {};
}

/**
 * The Exact layout GUID the decision uses: the lookup's, else the retired GUID text column's (a value the
 * sync has not migrated yet, decision 0075), so provisioning the lookups changes no decision on its own.
 */
function layoutId(lookup: LayoutRef, legacyText: string | null | undefined): string | null {
  return blankToNull(lookup?.eol_exactlayoutid) ?? blankToNull(legacyText);
}

const EXACT_GONE = OPTION_SETS.eol_exactstate.options[1].value;
const gone = (lookup: LayoutRef): boolean => lookup?.eol_exactstate === EXACT_GONE;

export function toInvoiceRow(i: DataverseSalesInvoice): InvoiceRow {
  return {
    rowId: i.eol_salesinvoiceid,
    name: i.eol_name ?? null,
    exactInvoiceId: i.eol_exactinvoiceid ?? null,
    administrationId: i._eol_administrationid_value ?? null,
    relationId: i._eol_relationid_value ?? null,
    invoiceNumber: i.eol_invoicenumber ?? null,
    invoiceDate: dateOnly(i.eol_invoicedate),
    source: i.eol_source ?? null,
    // eol_autodispatch defaults to yes: only an explicit "no" opts out.
    autoDispatch: i.eol_autodispatch !== false,
    extraText: blankToNull(i.eol_extratext),
    // Send now asks for a new decision as Resend does (docs/decisions/0086).
    resend: i.eol_resend === true || i.eol_sendnow === true,
    dispatchStatus: i.eol_dispatchstatus ?? null,
    dispatchReason: i.eol_dispatchreason ?? null,
    dispatchChannel:
      typeof i.eol_dispatchchannel === 'number' ? (channelByCode(i.eol_dispatchchannel) ?? null) : null,
    dispatchMessage: blankToNull(i.eol_dispatchmessage),
    scheduledFor: i.eol_scheduledfor ? new Date(i.eol_scheduledfor) : null,
    sentOn: i.eol_senton ? new Date(i.eol_senton) : null,
    ownerId: i._ownerid_value ?? null,
    recipients: blankToNull(i.eol_recipients),
    emailId: i._eol_emailid_value ?? null,
  };
}

export function toDispatchColumns(u: DispatchWriteback): RowWrite<typeof SALES_INVOICE> {
  const data: RowWrite<typeof SALES_INVOICE> = {
    eol_dispatchstatus: u.status,
    eol_dispatchchannel: u.channel ? CHANNEL_CODE[u.channel] : null,
    eol_dispatchreason: u.reason,
    eol_dispatchmessage:
      u.message.length > MESSAGE_MAX ? `${u.message.slice(0, MESSAGE_MAX - 1)}…` : u.message,
    eol_scheduledfor: isoOrNull(u.scheduledFor),
    eol_senton: isoOrNull(u.sentOn),
    eol_dispatchattempts: u.attempts,
  };
  // An unknown number (null) must not erase the one Exact assigned earlier.
  if (typeof u.invoiceNumber === 'number') data.eol_invoicenumber = u.invoiceNumber;
  if (u.clearResend) {
    data.eol_resend = false;
    data.eol_sendnow = false;
  }
  // Absent leaves the link as it is: a later status write never unlinks the email that carried the invoice.
  if (u.emailId) Object.assign(data, bindOf(SALES_INVOICE, 'eol_emailid', u.emailId));
  return data;
}

export function toCreateColumns(r: NewInvoiceRow): RowWrite<typeof SALES_INVOICE> {
  const data: RowWrite<typeof SALES_INVOICE> = {
    eol_name: r.name,
    eol_exactinvoiceid: r.exactInvoiceId,
    eol_invoicedate: r.invoiceDate,
    eol_source: r.source,
    ...bindOf(SALES_INVOICE, 'eol_administrationid', r.administrationId),
  };
  if (r.invoiceNumber !== null) data.eol_invoicenumber = r.invoiceNumber;
  if (r.relationId) Object.assign(data, bindOf(SALES_INVOICE, 'eol_relationid', r.relationId));
  return data;
}

function blankToNull(v: string | null | undefined): string | null {
  return v === null || v === undefined || v.trim() === '' ? null : v;
}

function isoOrNull(d: Date | null): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/** Date-only columns come as `YYYY-MM-DD`; a date-time (other column behaviour) keeps its UTC date. */
function dateOnly(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined || v === '') return null;
  return (v instanceof Date ? v.toISOString() : v).slice(0, 10);
}
