/**
 * Decision 0155, rule 6: Exact's webhook is late (3 s here), so a person's processing in Exact is not known
 * when the event comes, and the reused open status is wrong. Exact refuses the print; the claim is released
 * and the next delivery asks Exact by id.
 */
import '../../src/local/quietTestMode';
import { startHttpHost } from '../../src/local/httpHost';
import { loadFunctionRoutes } from '../../src/local/routes';
import { startLocalStack, type LocalStack } from '../../src/local/stack';
import { createLogger } from '../../src/composition/log';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { buildLoadSeed, type LoadInvoice } from '../../bench/support/seed';
import { postWebhook, printPosts } from './helpers';

const TODAY = new Date();
const DIVISION = 500001;
const seed = buildLoadSeed({
  divisions: 1,
  invoicesPerDivision: 12,
  rowShare: 1,
  today: TODAY,
  firstDivision: DIVISION,
});
let stack: LocalStack;
let host: Awaited<ReturnType<typeof startHttpHost>>;

beforeAll(async () => {
  host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
  stack = await startLocalStack({
    redirectUri: `${host.url}/api/exact/callback`,
    exactWebhookSecret: 'exact-app-webhook-secret',
    customSeed: seed,
    today: TODAY,
    exact: { webhookDelays: { validationMs: 20, deliveryMs: 3_000 }, minutelyLimit: 100_000 },
    log: createLogger(() => undefined, 'error'),
    onDispatch: () => undefined,
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await host?.close();
}, 60_000);

async function until<T>(what: string, read: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const row = (inv: LoadInvoice) => stack.dataverse.get('demo')!.row('eol_salesinvoices', inv.rowId!)!;

/** The Dataverse event of the invoice's row, then the queue settled. */
async function event(inv: LoadInvoice): Promise<void> {
  const body = serialiseLikeDataverse(invoiceCreatedEvent(stack.tenants[0]!.organizationId, row(inv)));
  expect((await postWebhook(body)).status).toBe(202);
  await stack.queue.idle();
}

/** GET requests since `from` to a path like `path` whose filter names `id`. */
const asked = (from: number, path: RegExp, id: string) =>
  stack.exact
    .requests()
    .slice(from)
    .filter(
      (r) => r.method === 'GET' && path.test(r.path) && (r.query.$filter ?? '').toLowerCase().includes(id),
    ).length;

describe('a read proved stale by the print (decision 0155)', () => {
  test('when Exact processed an invoice whose webhook has not come yet, then the refused print is not a failure: Exact is asked by id and the invoice is ignored, printed by nobody', async () => {
    await event(seed.invoices[0]!); // lists the administration's open invoices
    const inv = seed.invoices[2]!;
    stack.exact.processInExact(DIVISION, inv.exactInvoiceId);
    const from = stack.exact.requests().length;
    await event(inv);
    const reason = await until('the redelivery’s decision', () => {
      const r = row(inv).eol_dispatchreason;
      return r ? r : undefined;
    });
    expect(reason).toBe('invoice_processed_elsewhere');
    expect(printPosts(stack).get(inv.exactInvoiceId)).toBe(1);
    const refused = stack.exact
      .requests()
      .slice(from)
      .filter((r) => r.path.endsWith('/PrintedSalesInvoices'));
    expect(refused.map((r) => r.status)).toEqual([400]);
    expect(asked(from, /\/salesinvoice\/SalesInvoices$/, inv.exactInvoiceId)).toBe(1);
    expect(stack.exact.prints().filter((p) => p.invoiceId === inv.exactInvoiceId)).toEqual([]);
    expect(row(inv)).toMatchObject({ eol_dispatchattempts: 0 });
  });
});
