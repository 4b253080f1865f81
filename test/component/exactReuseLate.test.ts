/**
 * Decision 0155, rule 6: Exact's webhook is late (3 s here), so a person's processing in Exact is not known
 * when the event comes, and the reused open status is wrong. Exact refuses the print; the claim is released
 * and the next delivery asks Exact by id.
 */
import { printPosts } from './helpers';
import { DIVISION, until, useExactWebhookStack } from './webhookStack';

const env = useExactWebhookStack({ deliveryMs: 3_000 });
const { seed, row, event, asked } = env;

describe('a read proved stale by the print (decision 0155)', () => {
  test('when Exact processed an invoice whose webhook has not come yet, then the refused print is not a failure: Exact is asked by id and the invoice is ignored, printed by nobody', async () => {
    await event(seed.invoices[0]!); // lists the administration's open invoices
    const inv = seed.invoices[2]!;
    env.stack.exact.processInExact(DIVISION, inv.exactInvoiceId);
    const from = env.stack.exact.requests().length;
    await event(inv);
    const reason = await until('the redelivery’s decision', () => {
      const r = row(inv).eol_dispatchreason;
      return r ? r : undefined;
    });
    expect(reason).toBe('invoice_processed_elsewhere');
    expect(printPosts(env.stack).get(inv.exactInvoiceId)).toBe(1);
    const refused = env.stack.exact
      .requests()
      .slice(from)
      .filter((r) => r.path.endsWith('/PrintedSalesInvoices'));
    expect(refused.map((r) => r.status)).toEqual([400]);
    expect(asked(from, /\/salesinvoice\/SalesInvoices$/, inv.exactInvoiceId)).toBe(1);
    expect(env.stack.exact.prints().filter((p) => p.invoiceId === inv.exactInvoiceId)).toEqual([]);
    expect(row(inv)).toMatchObject({ eol_dispatchattempts: 0 });
  });
});
