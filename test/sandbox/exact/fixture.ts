/** Shared seed and client for the Exact sandbox tests. */
import axios, { type AxiosInstance } from 'axios';
import type { ExactSandbox, ExactSeed } from '../../../sandbox/exact';

export const DIV = 101;
export const OTHER_DIV = 202;

export const ACC = {
  email: '11111111-0000-0000-0000-000000000001',
  peppol: '11111111-0000-0000-0000-000000000002',
  postbox: '11111111-0000-0000-0000-000000000003',
  bare: '11111111-0000-0000-0000-000000000004',
  prospect: '11111111-0000-0000-0000-000000000005',
};
export const LAYOUT = '22222222-0000-0000-0000-000000000001';
export const EMAIL_LAYOUT = '22222222-0000-0000-0000-000000000002';

/** InvoiceIDs ordered as Exact pages them (by key). */
export const invoiceId = (n: number): string => `33333333-0000-0000-0000-${String(n).padStart(12, '0')}`;

/** Fixed invoices, keyed after every generated one. */
export const INV = {
  peppol: invoiceId(999_900),
  postbox: invoiceId(999_901),
  bare: invoiceId(999_902),
  processed: invoiceId(999_903),
  draft: invoiceId(999_904),
};

export function seed(openInvoices = 5): ExactSeed {
  return {
    divisions: [
      {
        division: DIV,
        name: 'Bakkerij Test BV',
        accounts: [
          { ID: ACC.email, Name: 'Jansen', Code: '1001', Email: 'factuur@jansen.test', InvoicingMethod: 2 },
          {
            ID: ACC.peppol,
            Name: 'Peppol BV',
            PeppolIdentifier: '0106:12345678',
            PeppolIdentifierType: 1,
            InvoicingMethod: 32,
          },
          { ID: ACC.postbox, Name: 'Postbus NV', Postbox: true, InvoicingMethod: 4 },
          { ID: ACC.bare, Name: 'Zonder Gegevens', Email: null },
          { ID: ACC.prospect, Name: 'Prospect', Status: 'P' },
        ],
        layouts: [
          { ID: LAYOUT, Subject: 'Factuur NL', Type: 1 },
          { ID: EMAIL_LAYOUT, Subject: 'E-mail NL', Type: 2 },
        ],
        invoices: [
          ...Array.from({ length: openInvoices }, (_, i) => ({
            InvoiceID: invoiceId(i + 1),
            InvoiceTo: ACC.email,
            InvoiceDate: '2025-03-01',
            Status: 20 as const,
          })),
          { InvoiceID: INV.peppol, InvoiceTo: ACC.peppol, InvoiceDate: '2025-03-01', Status: 20 },
          { InvoiceID: INV.postbox, InvoiceTo: ACC.postbox, InvoiceDate: '2025-03-01', Status: 20 },
          { InvoiceID: INV.bare, InvoiceTo: ACC.bare, InvoiceDate: '2025-03-01', Status: 20 },
          {
            InvoiceID: INV.processed,
            InvoiceTo: ACC.email,
            InvoiceDate: '2025-02-01',
            Status: 50,
            InvoiceNumber: 25000007,
          },
          { InvoiceID: INV.draft, InvoiceTo: ACC.email, InvoiceDate: '2025-03-02', Status: 10 },
        ],
      },
      {
        division: OTHER_DIV,
        name: 'Zuster BV',
        mailbox: false,
        peppol: false,
        accounts: [],
        layouts: [],
        invoices: [],
      },
    ],
  };
}

/** An axios client like the connector's: JSON, bearer, never throwing on a status. */
export function client(sb: ExactSandbox, accessToken: string): AxiosInstance {
  return axios.create({
    baseURL: sb.url,
    headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` },
    validateStatus: () => true,
  });
}

export function tokenCall(sb: ExactSandbox, form: Record<string, string>) {
  return axios.post(`${sb.url}/api/oauth2/token`, new URLSearchParams(form).toString(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    validateStatus: () => true,
  });
}
