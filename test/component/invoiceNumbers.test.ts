import { dispatchInvoices } from '../../src/app/dispatch';
import { sweepTenant } from '../../src/app/sweep';
import { sweepDeps } from '../../src/composition/runtime';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { demoDeps, demoRow } from './helpers';

const env = useLocalStack();

const request = (key: string) => ({
  tenantId: 'demo',
  rowId: demoGuid(`row:${key}`),
  exactInvoiceId: null,
  division: null,
  administrationId: null,
  trigger: 'webhook' as const,
  requestedAt: new Date().toISOString(),
});

const statusCalls = () =>
  env.stack.exact.requests().filter((r) => r.method === 'GET' && r.path.endsWith('/salesinvoice/SalesInvoices')).length;

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
    const rt = env.stack.runtime;
    await sweepTenant(sweepDeps(rt, rt.tenants.find((t) => t.name === 'demo')!), { full: false });
    await env.stack.queue.idle();
    expect(demoRow(env.stack, 'I7').eol_invoicenumber).toBe(env.stack.exact.invoice(100001, demoGuid('invoice:I7'))?.InvoiceNumber);
  });
});
