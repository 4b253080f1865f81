import { demoGuid } from './demo';

/**
 * Licence showcase tenants: PRODUCT.md §4 row 1–2 cannot be shown by one tenant (it has one licence),
 * so `npm start` adds five small tenants, each with its own Dataverse organisation, Exact user and
 * division, and one licence problem: missing, forged, another organisation's, expired, sales only.
 */
export type LicenceCase = 'missing' | 'forged' | 'foreign' | 'expired' | 'salesOnly';

export interface ShowcaseTenant {
  name: string;
  licence: LicenceCase;
  organizationId: string;
  division: number;
  exactUserId: string;
}

export const showcaseTenants: ShowcaseTenant[] = (
  [
    ['nolicence', 'missing'],
    ['forged', 'forged'],
    ['foreign', 'foreign'],
    ['expired', 'expired'],
    ['salesonly', 'salesOnly'],
  ] as const
).map(([name, licence], i) => ({
  name,
  licence,
  organizationId: demoGuid(`organization:${name}`),
  division: 200001 + i,
  exactUserId: demoGuid(`exact-user:${name}`),
}));

function date(today: Date): string {
  return today.toISOString().slice(0, 10);
}

/** One administration, one relation (email), one sales-order invoice with a row, one recurring without. */
export function showcaseExactDivision(t: ShowcaseTenant, today: Date) {
  const account = demoGuid(`account:${t.name}`);
  return {
    division: t.division,
    name: `Showcase ${t.name}`,
    accounts: [
      {
        ID: account,
        Name: `Klant van ${t.name}`,
        Email: `klant@${t.name}.example`,
        InvoicingMethod: 2,
        Status: 'C' as const,
      },
    ],
    layouts: [
      { ID: demoGuid(`layout:${t.name}-doc`), Subject: 'Factuur', Type: 1 as const },
      { ID: demoGuid(`layout:${t.name}-mail`), Subject: 'E-mail', Type: 2 as const },
    ],
    invoices: [
      {
        InvoiceID: demoGuid(`invoice:${t.name}:so`),
        InvoiceTo: account,
        OrderedBy: account,
        InvoiceDate: date(today),
        Status: 20 as const,
        Type: 8020,
        Description: `Order ${t.name}`,
        OrderNumber: 9001,
        AmountDC: 250,
        Journal: '70',
      },
      {
        InvoiceID: demoGuid(`invoice:${t.name}:rec`),
        InvoiceTo: account,
        OrderedBy: account,
        InvoiceDate: date(today),
        Status: 20 as const,
        Type: 8020,
        Description: `Abonnement ${t.name}`,
        OrderNumber: null,
        AmountDC: 49,
        Journal: '70',
      },
    ],
  };
}

export function showcaseDataverseSeed(t: ShowcaseTenant, today: Date) {
  const admin = demoGuid(`admin:${t.name}`);
  const relation = demoGuid(`relation:${t.name}`);
  return {
    eol_administrations: [
      {
        eol_administrationid: admin,
        eol_name: `Showcase ${t.name}`,
        eol_division: t.division,
        eol_printinvoices: true,
        eol_sources: '1,2',
        eol_channels: '1,2,3,4',
        eol_timing: 1,
        eol_timezone: 'Europe/Amsterdam',
        eol_defaultlayout: demoGuid(`layout:${t.name}-doc`),
        eol_defaultemaillayout: demoGuid(`layout:${t.name}-mail`),
        eol_notifyemail: `admin@${t.name}.example`,
      },
    ],
    eol_relations: [
      {
        eol_relationid: relation,
        eol_name: `Klant van ${t.name}`,
        _eol_administrationid_value: admin,
        eol_exactaccountid: demoGuid(`account:${t.name}`),
        eol_autoinvoice: true,
        eol_invoicemethod: 2,
        eol_printandsend: false,
        eol_invoiceemail: `klant@${t.name}.example`,
      },
    ],
    eol_salesinvoices: [
      {
        eol_salesinvoiceid: demoGuid(`row:${t.name}:so`),
        eol_name: `SO-${t.name}`,
        _eol_administrationid_value: admin,
        _eol_relationid_value: relation,
        eol_exactinvoiceid: demoGuid(`invoice:${t.name}:so`),
        eol_invoicedate: date(today),
        eol_source: 1,
        eol_autodispatch: true,
        eol_resend: false,
        eol_dispatchattempts: 0,
      },
    ],
  };
}
