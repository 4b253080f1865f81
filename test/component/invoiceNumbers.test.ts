import { dispatchInvoices } from '../../src/app/dispatch';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { demoDeps, demoRow, quiet, rowsOf, sweepAll } from './helpers';

const env = useLocalStack();

const request = (key: string) => rowsOf([key]);

const statusCalls = () =>
  env.stack.exact
    .requests()
    .filter((r) => r.method === 'GET' && r.path.endsWith('/salesinvoice/SalesInvoices')).length;

describe('invoice numbers read back after printing', () => {
  test('when a second invoice is dispatched, then the first one’s number rides along on its status call (no extra call)', async () => {
    await dispatchInvoices(demoDeps(env.stack), request('I2'));
    const first = env.stack.exact.invoice(100001, demoGuid('invoice:I2'));
    expect(first?.Status).toBe(50);
    expect(demoRow(env.stack, 'I2').eol_invoicenumber ?? null).toBeNull();

    const callsBefore = statusCalls();
    await dispatchInvoices(demoDeps(env.stack), request('I6'));
    expect(statusCalls() - callsBefore).toBe(1);
    expect(demoRow(env.stack, 'I2').eol_invoicenumber).toBe(first!.InvoiceNumber);
    expect(demoRow(env.stack, 'I2').eol_dispatchstatus).toBe(4);
  });

  test('when no later dispatch comes, then the sweep reads the number back in one call for the batch', async () => {
    await dispatchInvoices(demoDeps(env.stack), request('I7'));
    expect(demoRow(env.stack, 'I7').eol_invoicenumber ?? null).toBeNull();
    await sweepAll(env.stack);
    await quiet(env.stack);
    expect(demoRow(env.stack, 'I7').eol_invoicenumber).toBe(
      env.stack.exact.invoice(100001, demoGuid('invoice:I7'))?.InvoiceNumber,
    );
  });
});
