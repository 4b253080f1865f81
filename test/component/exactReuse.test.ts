/**
 * Decision 0155 end to end: with Exact's webhooks on, one listing of an administration's open invoices confirms
 * the invoices whose events come next, and the connect's sync stands for their accounts — until Exact's own
 * webhook says an invoice or an account changed, or a print proves a read stale.
 */
import { loadGuid } from '../../bench/support/seed';
import { doublePrints, printPosts } from './helpers';
import { DIVISION, until, useExactWebhookStack } from './webhookStack';

const env = useExactWebhookStack({ deliveryMs: 20 });
const { seed, row, event, asked } = env;

/** Exact calls since `from`, by kind. */
function callsSince(from: number) {
  const calls = env.stack.exact.requests().slice(from);
  const count = (re: RegExp, method = 'GET') =>
    calls.filter((r) => r.method === method && re.test(r.path)).length;
  return {
    all: calls.filter((r) => !/\/oauth2\//.test(r.path)).length,
    listings: count(/\/bulk\/SalesInvoice\/SalesInvoices/),
    statusById: count(/\/salesinvoice\/SalesInvoices/),
    accounts: count(/\/crm\/Accounts/),
    prints: count(/\/salesinvoice\/PrintedSalesInvoices/, 'POST'),
  };
}

/** Exact's webhook for `key` has been posted and answered. */
const webhookAnswered = (topic: string, key: string) =>
  until(`Exact’s ${topic} webhook for ${key}`, () =>
    env.stack.exact
      .webhookDeliveries()
      .find((d) => d.topic === topic && d.key.toLowerCase() === key.toLowerCase() && d.status !== 0),
  );

describe('Exact’s recent answers reused (decision 0155)', () => {
  test('when events of one administration come one after another, then one listing confirms them all: one Exact call each but the first', async () => {
    const from = env.stack.exact.requests().length;
    for (const inv of seed.invoices.slice(0, 5)) await event(inv);
    expect(callsSince(from)).toEqual({ all: 6, listings: 1, statusById: 0, accounts: 0, prints: 5 });
    const reasons = seed.invoices.slice(0, 5).map((inv) => [inv.expected, row(inv).eol_dispatchreason]);
    expect(reasons).toEqual([
      ['sent', 'sent'],
      ['printList', 'on_print_list'],
      ['sent', 'sent'],
      ['sent', 'sent'],
      ['sent', 'sent'],
    ]);
    expect(doublePrints(env.stack)).toEqual([]);
  });

  test('when a person processed an invoice in Exact after the listing, then its webhook drops the read: Exact is asked by id and the invoice is not printed', async () => {
    const inv = seed.invoices[5]!;
    env.stack.exact.processInExact(DIVISION, inv.exactInvoiceId);
    // Unknown to the ledger, so the webhook also asks for the administration's sweep (decision 0126).
    expect((await webhookAnswered('SalesInvoices', inv.exactInvoiceId)).status).toBe(202);
    await env.stack.queue.idle();
    const from = env.stack.exact.requests().length;
    await event(inv);
    expect(asked(from, /\/salesinvoice\/SalesInvoices$/, inv.exactInvoiceId)).toBe(1);
    expect(printPosts(env.stack).get(inv.exactInvoiceId) ?? 0).toBe(0);
    expect(row(inv)).toMatchObject({ eol_dispatchreason: 'invoice_processed_elsewhere' });
    expect(doublePrints(env.stack)).toEqual([]);
  });

  test('when an account is edited in Exact, then its Accounts webhook drops the remembered account: the next print reads it again and names the new address', async () => {
    const accountId = env.stack.exact.invoice(DIVISION, seed.invoices[8]!.exactInvoiceId)!.InvoiceTo;
    env.stack.exact.editAccount(DIVISION, accountId, { Email: 'nieuw-adres@klant.example' });
    expect((await webhookAnswered('Accounts', accountId)).status).toBe(202);
    const from = env.stack.exact.requests().length;
    const invoiceId = loadGuid('invoice:reuse-after-edit');
    env.stack.exact.createInvoiceInExact(DIVISION, {
      InvoiceID: invoiceId,
      InvoiceTo: accountId,
      InvoiceDate: new Date().toISOString().slice(0, 10),
      Status: 20,
      Description: 'Abonnement na adreswijziging',
      AmountDC: 42,
    });
    await until('the print', () => printPosts(env.stack).get(invoiceId));
    await env.stack.queue.idle();
    expect(asked(from, /\/crm\/Accounts$/, accountId)).toBe(1);
    const rows = env.stack.dataverse.get('demo')!.rows('eol_salesinvoices');
    const made = rows.find((r) => String(r.eol_exactinvoiceid ?? '').toLowerCase() === invoiceId);
    expect(String(made?.eol_dispatchmessage)).toContain('nieuw-adres@klant.example');
    const sent = env.stack.exact.recipients().filter((r) => r.invoiceId === invoiceId);
    expect(sent.map((r) => r.recipients)).toEqual([['nieuw-adres@klant.example']]);
  });
});
