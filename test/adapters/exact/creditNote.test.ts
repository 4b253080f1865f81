/**
 * Which Exact sales invoices are credit notes (issue 16: a credit note is looked up on Peppol under the
 * CreditNote document type). `SalesInvoices.Type`: 8020 sales invoice, 8021 sales credit note, 8023 direct
 * sales invoice, 8024 direct credit note (round2-facts §4.6).
 */
import { ExactSalesInvoiceSchema } from '../../../src/adapters/exact/schemas';

const answer = (type: number) => ({
  InvoiceID: '22222222-0000-0000-0000-000000000001',
  Status: 20,
  InvoiceNumber: null,
  InvoiceDate: '/Date(1740787200000)/',
  InvoiceTo: '11111111-0000-0000-0000-000000000001',
  InvoiceToName: 'Jansen',
  Type: type,
  Description: null,
  OrderNumber: null,
});

describe('Exact’s invoice type and the Peppol document type', () => {
  test.each([
    [8020, false],
    [8021, true],
    [8023, false],
    [8024, true],
  ])('when Exact answers Type %s, then the invoice is a credit note: %s', (type, creditNote) => {
    expect(ExactSalesInvoiceSchema.parse(answer(type))).toMatchObject({ type, creditNote });
  });
});
