/**
 * The local stack with Exact's webhooks on, behind the HTTP host Exact posts them to, on a load seed of one
 * administration (decision 0155's component tests). `useExactWebhookStack({ deliveryMs })` registers
 * beforeAll/afterAll; read `.stack` inside tests.
 */
import '../../src/local/quietTestMode';
import { startHttpHost } from '../../src/local/httpHost';
import { loadFunctionRoutes } from '../../src/local/routes';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/local/stack';
import { createLogger } from '../../src/composition/log';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { buildLoadSeed, type LoadInvoice } from '../../bench/support/seed';
import { postWebhook } from './helpers';

export const DIVISION = 500001;
export const EXACT_WEBHOOK_SECRET = 'exact-app-webhook-secret';

/**
 * The HTTP host Exact posts to, and a local stack started with its URL (as the Exact app's redirect URI and so
 * the webhooks' callback domain). Registers beforeAll/afterAll; read `.stack` and `.host` inside tests.
 */
export function useStackBehindHost(options: (hostUrl: string) => LocalStackOptions) {
  let stack: LocalStack | undefined;
  let host: Awaited<ReturnType<typeof startHttpHost>> | undefined;
  beforeAll(async () => {
    host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
    stack = await startLocalStack(options(host.url));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await host?.close();
  }, 60_000);
  return {
    get stack(): LocalStack {
      if (!stack) throw new Error('local stack not started');
      return stack;
    },
    get host() {
      if (!host) throw new Error('HTTP host not started');
      return host;
    },
  };
}

export function useExactWebhookStack(opts: { deliveryMs: number }) {
  const today = new Date();
  const seed = buildLoadSeed({
    divisions: 1,
    invoicesPerDivision: 12,
    rowShare: 1,
    today,
    firstDivision: DIVISION,
  });
  const behind = useStackBehindHost((url) => ({
    redirectUri: `${url}/api/exact/callback`,
    exactWebhookSecret: EXACT_WEBHOOK_SECRET,
    customSeed: seed,
    today,
    exact: { webhookDelays: { validationMs: 20, deliveryMs: opts.deliveryMs }, minutelyLimit: 100_000 },
    log: createLogger(() => undefined, 'error'),
    onDispatch: () => undefined,
  }));
  const current = () => behind.stack;
  const row = (inv: LoadInvoice) => current().dataverse.get('demo')!.row('eol_salesinvoices', inv.rowId!)!;
  return {
    seed,
    get stack() {
      return current();
    },
    row,
    /** The Dataverse event of the invoice's row, then the queue settled. */
    async event(inv: LoadInvoice): Promise<void> {
      const s = current();
      const body = serialiseLikeDataverse(invoiceCreatedEvent(s.tenants[0]!.organizationId, row(inv)));
      expect((await postWebhook(body)).status).toBe(202);
      await s.queue.idle();
    },
    /** GET requests since `from` to a path like `path` whose filter names `id`. */
    asked: (from: number, path: RegExp, id: string) =>
      current()
        .exact.requests()
        .slice(from)
        .filter(
          (r) =>
            r.method === 'GET' && path.test(r.path) && (r.query.$filter ?? '').toLowerCase().includes(id),
        ).length,
  };
}

/** Polls `read` every 20 ms until it gives a value, or fails naming `what` after `ms`. */
export async function until<T>(what: string, read: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
