/**
 * A division for the master-data and recipient tests: Café De Hoek's account e-mail differs from its main
 * contact's, so a wrong recipient rule shows up as a failure, not a coincidence (decision 0070, item 5).
 */
import type { ExactSeed } from '../../../sandbox/exact';

export const DIV = 101;
export const NO_PEPPOL_DIV = 202;
export const HOEK = '11111111-0000-0000-0000-000000000001';
export const HOLDING = '11111111-0000-0000-0000-000000000002';
export const BRANCH = '11111111-0000-0000-0000-000000000003';
export const GEEN_MAIL = '11111111-0000-0000-0000-000000000004';
export const MAIN = '44444444-0000-0000-0000-000000000001';
export const BUYER = '44444444-0000-0000-0000-000000000002';
export const NO_MAIL_CONTACT = '44444444-0000-0000-0000-000000000003';
export const HOLDING_CONTACT = '44444444-0000-0000-0000-000000000004';
export const LAYOUT = '22222222-0000-0000-0000-000000000001';
export const EMAIL_LAYOUT = '22222222-0000-0000-0000-000000000002';
export const inv = (n: number): string => `33333333-0000-0000-0000-${String(n).padStart(12, '0')}`;

export function masterSeed(): ExactSeed {
  return {
    divisions: [
      {
        division: DIV,
        name: 'Bakkerij Test BV',
        accounts: [
          {
            ID: HOEK,
            Name: 'Café De Hoek',
            Email: 'factuur@hoek.test',
            InvoicingMethod: 2,
            ChamberOfCommerce: '12345678',
            VATNumber: 'NL001234567B01',
            Language: 'NL',
            MainContact: MAIN,
          },
          { ID: HOLDING, Name: 'Holding BV', Email: 'ap@holding.test', MainContact: HOLDING_CONTACT },
          { ID: BRANCH, Name: 'Filiaal', Email: 'filiaal@holding.test', InvoiceAccount: HOLDING },
          { ID: GEEN_MAIL, Name: 'Geen Mail BV', Email: null },
        ],
        contacts: [
          { ID: MAIN, Account: HOEK, Email: 'eigenaar@hoek.test', FullName: 'J. de Hoek' },
          {
            ID: BUYER,
            Account: HOEK,
            Email: 'inkoop@hoek.test',
            BusinessEmail: 'zakelijk@hoek.test',
            FullName: 'P. Inkoop',
          },
          { ID: NO_MAIL_CONTACT, Account: HOEK, Email: null, BusinessEmail: 'alleen-zakelijk@hoek.test' },
          { ID: HOLDING_CONTACT, Account: HOLDING, Email: 'cfo@holding.test' },
        ],
        layouts: [
          { ID: LAYOUT, Subject: 'Factuur NL', Type: 1, Language: 'NL' },
          { ID: EMAIL_LAYOUT, Subject: 'E-mail NL', Type: 2, Language: 'NL', Status: 1 },
        ],
        invoices: [
          // Seeded without a contact person: the main contact, as POST SalesInvoices fills it.
          { InvoiceID: inv(1), InvoiceTo: HOEK, InvoiceDate: '2026-12-01', Status: 20 },
          {
            InvoiceID: inv(2),
            InvoiceTo: HOEK,
            InvoiceToContactPerson: BUYER,
            InvoiceDate: '2026-12-01',
            Status: 20,
          },
          {
            InvoiceID: inv(3),
            InvoiceTo: HOEK,
            InvoiceToContactPerson: null,
            InvoiceDate: '2026-12-01',
            Status: 20,
          },
          {
            InvoiceID: inv(4),
            InvoiceTo: HOEK,
            InvoiceToContactPerson: NO_MAIL_CONTACT,
            InvoiceDate: '2026-12-01',
            Status: 20,
          },
          { InvoiceID: inv(5), InvoiceTo: GEEN_MAIL, InvoiceDate: '2026-12-01', Status: 20 },
        ],
      },
      { division: NO_PEPPOL_DIV, name: 'Zuster BV', peppol: false, accounts: [], layouts: [], invoices: [] },
    ],
  };
}
