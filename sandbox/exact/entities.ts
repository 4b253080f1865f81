/** Wire shapes of the entity sets the sandbox serves (field names from PS/PQ entity classes). */
import type { EntitySet } from './odata';
import { nullable } from './filterTypes';
import { dateOnlyMs } from './http';
import type { Division, Store, User } from './store';
import type { SandboxInvoice } from './types';

const STATUS_TEXT: Record<number, string> = { 10: 'Draft', 20: 'Open', 50: 'Processed' };
const TYPE_TEXT: Record<number, string> = {
  8020: 'Sales invoice',
  8021: 'Sales credit note',
  8023: 'Direct sales invoice',
  8024: 'Direct credit note',
};

export const padCode = (code: string): string => code.padStart(18, ' ');

export const SAMPLE_INVOICE: SandboxInvoice = {
  InvoiceID: '',
  Division: 0,
  InvoiceTo: '',
  OrderedBy: '',
  InvoiceToContactPerson: null,
  InvoiceDate: '2000-01-01',
  Status: 20,
  InvoiceNumber: null,
  Type: 8020,
  Description: null,
  OrderNumber: null,
  AmountDC: 0,
  Journal: '',
  Lines: [],
  Created: 0,
  Modified: 0,
};

export function invoiceSet(base: string, div: Division, bulk: boolean): EntitySet<SandboxInvoice> {
  const path = bulk ? 'bulk/SalesInvoice/SalesInvoices' : 'salesinvoice/SalesInvoices';
  const name = (id: string): string | null => div.accounts.get(id)?.Name ?? null;
  return {
    type: bulk ? 'Exact.Web.Api.Models.Bulk.SalesInvoice.SalesInvoice' : 'Exact.Web.Api.Models.SalesInvoice',
    key: 'InvoiceID',
    dateFields: ['Created', 'DueDate', 'InvoiceDate', 'Modified'],
    uri: (k) => `${base}/api/v1/${div.division}/${path}(guid'${k}')`,
    sample: SAMPLE_INVOICE,
    keyOf: (i) => i.InvoiceID,
    navigations: ['SalesInvoiceLines'],
    types: {
      InvoiceTo: nullable('System.Guid'),
      InvoiceToContactPerson: nullable('System.Guid'),
      OrderedBy: nullable('System.Guid'),
      Status: 'System.Int16',
      InvoiceNumber: nullable('System.Int32'),
      OrderNumber: nullable('System.Int32'),
      AmountDC: 'System.Double',
      AmountFC: 'System.Double',
    },
    fields: (i) => ({
      InvoiceID: i.InvoiceID,
      AmountDC: i.AmountDC,
      AmountFC: i.AmountDC,
      Created: i.Created,
      Currency: 'EUR',
      Description: i.Description,
      Division: i.Division,
      DueDate: dateOnlyMs(i.InvoiceDate) + 14 * 86_400_000,
      InvoiceDate: dateOnlyMs(i.InvoiceDate),
      InvoiceNumber: i.InvoiceNumber,
      InvoiceTo: i.InvoiceTo,
      InvoiceToContactPerson: i.InvoiceToContactPerson,
      InvoiceToName: name(i.InvoiceTo),
      Journal: i.Journal,
      Modified: i.Modified,
      OrderedBy: i.OrderedBy,
      OrderedByName: name(i.OrderedBy),
      OrderNumber: i.OrderNumber,
      Status: i.Status,
      StatusDescription: STATUS_TEXT[i.Status] ?? null,
      Type: i.Type,
      TypeDescription: TYPE_TEXT[i.Type] ?? null,
      YourRef: null,
    }),
  };
}

type Layout = Division['layouts'] extends Map<string, infer L> ? L : never;

export function layoutSet(base: string, div: Division): EntitySet<Layout> {
  return {
    type: 'Exact.Web.Api.Models.SalesInvoice.Layout',
    key: 'ID',
    uri: (k) => `${base}/api/v1/${div.division}/salesinvoice/Layouts(guid'${k}')`,
    sample: { ID: '', Subject: '', Type: 1 },
    fields: (l) => ({ ID: l.ID, Division: div.division, Subject: l.Subject, Type: l.Type }),
  };
}

export function divisionSet(
  base: string,
  store: Store,
  current: number,
  service: 'system' | 'hrm',
): EntitySet<Division> {
  const sample = [...store.divisions.values()][0];
  return {
    type: service === 'system' ? 'Exact.Web.Api.System.Division' : 'Exact.Web.Api.Models.HRM.Division',
    key: 'Code',
    uri: (k) => `${base}/api/v1/${current}/${service}/Divisions(${k})`,
    sample: sample ?? ({ division: 0, name: '' } as Division),
    fields: (d) => ({
      Code: d.division,
      Country: 'NL',
      Currency: 'EUR',
      Current: d.division === current,
      Description: d.name,
      HID: d.division,
      Status: 1,
    }),
  };
}

export function meSet(base: string, store: Store, now: () => number): EntitySet<User> {
  return {
    type: 'Exact.Web.Api.System.Me',
    key: 'UserID',
    dateFields: ['ServerTime'],
    uri: (k) => `${base}/api/v1/current/Me(guid'${k}')`,
    sample: { UserID: '', UserName: '', FullName: '', Email: '', LanguageCode: '', divisions: null },
    fields: (u) => ({
      UserID: u.UserID,
      CurrentDivision: currentDivision(store, u),
      Email: u.Email,
      FullName: u.FullName,
      LanguageCode: u.LanguageCode,
      Legislation: 1,
      ServerTime: now(),
      ServerUtcOffset: 0,
      UserName: u.UserName,
    }),
  };
}

/** The division last opened in the UI; the sandbox takes the user's first accessible division. */
export function currentDivision(store: Store, u: User): number | null {
  return [...store.divisions.keys()].find((d) => store.canAccess(u, d)) ?? null;
}
