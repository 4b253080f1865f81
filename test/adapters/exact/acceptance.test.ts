/**
 * Acceptance of the Exact adapter against the sandbox, tokens on Azurite.
 * Time is compressed: the governor's and the client's `sleep` advance the sandbox clock instead of waiting,
 * so a minute of Exact time passes in an instant and rates are measured on Exact's (the sandbox's) clock.
 */
import { inspect } from 'node:util';
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { createTableClient } from '../../../src/adapters/store/tables';
import { createExactGateway, type ExactClient } from '../../../src/adapters/exact/exactClient';
import { createRateGovernor, type RateGovernor } from '../../../src/adapters/exact/rateGovernor';
import { createTokenStore, type TokenStore } from '../../../src/adapters/exact/tokenStore';
import type { PrintRequest } from '../../../src/app/ports';
import { useAzurite } from '../../support/azurite';
import {
  CLIENT,
  DIV,
  EMAIL_LAYOUT,
  LAYOUT,
  captureLog,
  connect,
  findSecrets,
  invoiceId,
  sandboxClock,
  seed,
  testKey,
} from './support';

const azurite = useAzurite();
const secrets: string[] = [];
const caught: unknown[] = [];
const figures: Record<string, unknown> = {};
let sb: ExactSandbox;
let tableSeq = 0;

/** Keeps what a sandbox issued before it goes, for the final leak scan. */
async function closeSandbox(): Promise<void> {
  if (!sb) return;
  secrets.push(...sb.issuedSecrets());
  await sb.close();
}

afterAll(async () => {
  // The measured figures, for the report.
  process.stdout.write(`EXACT ACCEPTANCE FIGURES ${JSON.stringify(figures)}\n`);
  await closeSandbox();
});

const compressed = (s: ExactSandbox) => async (ms: number) => s.clock.advance(ms);

function stack(
  s: ExactSandbox,
  opts: { table?: string; key?: string; governor?: RateGovernor; connectionId?: string } = {},
) {
  const { log, lines } = captureLog();
  const tokens: TokenStore = createTokenStore({
    table: createTableClient(azurite.connectionString, opts.table ?? `exactacc${process.pid}x${++tableSeq}`),
    encryptionKey: opts.key ?? testKey(),
    client: CLIENT,
    clock: sandboxClock(s),
    log,
  });
  const governor =
    opts.governor ?? createRateGovernor({ clock: sandboxClock(s), sleep: compressed(s), marginMs: 1000 });
  const client: ExactClient = createExactGateway({
    baseUrl: s.url,
    connectionId: opts.connectionId ?? 'tenant-1',
    tokens,
    governor,
    clock: sandboxClock(s),
    sleep: compressed(s),
    timeoutMs: 2000,
    log,
  });
  collectors.push(() => lines);
  return { tokens, governor, client };
}
const collectors: (() => string[])[] = [];

const emailPrint = (id: string): PrintRequest => ({
  invoiceId: id,
  channel: 'email',
  documentLayout: LAYOUT,
  emailLayout: EMAIL_LAYOUT,
  extraText: null,
  senderEmail: null,
});

describe('8 workers sharing one connection', () => {
  test('when 8 instances make 200 calls each across several token lifetimes, then no refresh token is reused and the connection stays alive', async () => {
    sb = await startExactSandbox({ seed: seed(8), minutelyLimit: 20 });
    const table = `exactshared${process.pid}`;
    const key = testKey();
    // One governor (one process); 8 token stores = 8 instances sharing the token row and lease on Azurite.
    const governor = createRateGovernor({ clock: sandboxClock(sb), sleep: compressed(sb) });
    const workers = Array.from({ length: 8 }, () => stack(sb, { table, key, governor }));
    await connect(sb, workers[0]!.tokens, 'tenant-1');
    const started = sb.clock.now();
    let ok = 0;
    await Promise.all(
      workers.map(async ({ client }, w) => {
        for (let i = 0; i < 200; i++) {
          const states = await client.confirmStatuses(DIV, [invoiceId(w + 1)]);
          if (states.get(invoiceId(w + 1))?.status === 20) ok++;
        }
      }),
    );
    const tokenRequests = sb.requests().filter((r) => r.path === '/api/oauth2/token');
    const refreshes = tokenRequests.filter((r) => r.status === 200).length;
    const elapsedMin = (sb.clock.now() - started) / 60_000;
    Object.assign(figures, {
      workers_calls_ok: ok,
      workers_sandbox_minutes: Math.round(elapsedMin * 10) / 10,
      workers_token_lifetimes: Math.round((elapsedMin / 10) * 10) / 10,
      workers_refreshes: refreshes,
      workers_token_refusals: tokenRequests.filter((r) => r.status !== 200).length,
      workers_data_401: sb.requests().filter((r) => r.status === 401).length,
      workers_data_429: sb.requests().filter((r) => r.status === 429).length,
    });
    expect(ok).toBe(1600);
    expect(elapsedMin).toBeGreaterThan(30);
    expect(refreshes).toBeGreaterThanOrEqual(3);
    expect(tokenRequests.every((r) => r.status === 200)).toBe(true);
    expect(await workers[0]!.tokens.status('tenant-1')).toMatchObject({ state: 'active' });
    await expect(workers[7]!.client.confirmStatuses(DIV, [invoiceId(1)])).resolves.toBeDefined();
  }, 180_000);
});

describe('1,000 invoices printed in one division', () => {
  test('when 1,000 open invoices are confirmed in batches of 60 and printed, then no 429, ≤ 1.05 calls per invoice, ≥ 95 % of the minutely limit', async () => {
    await closeSandbox();
    sb = await startExactSandbox({ seed: seed(1000) });
    // Start on a minute boundary so the first window is a whole one (Exact's windows turn on the minute).
    sb.clock.set(Math.ceil(sb.clock.now() / 60_000) * 60_000);
    const { tokens, client } = stack(sb);
    await connect(sb, tokens, 'tenant-1');
    const ids = Array.from({ length: 1000 }, (_, i) => invoiceId(i + 1));
    const start = sb.clock.now();
    let sent = 0;
    for (let i = 0; i < ids.length; i += 60) {
      const states = await client.confirmStatuses(DIV, ids.slice(i, i + 60));
      for (const [id, state] of states) {
        if (state.status !== 20) continue;
        const outcome = await client.print(DIV, emailPrint(id));
        if (outcome.ok) sent++;
      }
    }
    const data = sb.requests().filter((r) => r.path.startsWith('/api/v1/'));
    const last = data[data.length - 1]!.at;
    const minutes = (last - start) / 60_000;
    const windows = Math.floor((last - start) / 60_000) + 1;
    // Calls per minute window used (the last window counts whole): the honest sustained rate.
    const perMinute = data.length / windows;
    const stats = client.stats();
    Object.assign(figures, {
      bulk_sent: sent,
      bulk_calls: stats.calls,
      bulk_calls_per_invoice: stats.calls / sent,
      bulk_429: data.filter((r) => r.status === 429).length,
      bulk_sandbox_minutes: Math.round(minutes * 100) / 100,
      bulk_rate_per_minute: Math.round(perMinute * 10) / 10,
      bulk_rate_over_elapsed: Math.round((data.length / minutes) * 10) / 10,
      bulk_token_calls: sb.requests().filter((r) => r.path === '/api/oauth2/token').length,
      bulk_rate_share_of_limit: Math.round((perMinute / 60) * 1000) / 10,
      bulk_full_windows_used: windows,
    });
    expect(sent).toBe(1000);
    expect(sb.prints()).toHaveLength(1000);
    expect(data.filter((r) => r.status === 429)).toHaveLength(0);
    expect(stats.rateLimited).toBe(0);
    expect(stats.calls / sent).toBeLessThanOrEqual(1.05);
    expect(perMinute).toBeGreaterThanOrEqual(0.95 * 60);
  }, 180_000);
});

describe('faults', () => {
  let client: ExactClient;
  beforeAll(async () => {
    await closeSandbox();
    sb = await startExactSandbox({ seed: seed(20) });
    const s = stack(sb);
    client = s.client;
    await connect(sb, s.tokens, 'tenant-1');
  });
  afterEach(() => sb.clearFaults());

  const printsOf = (id: string) => sb.prints().filter((p) => p.invoiceId === id);
  const postsOf = (id: string) =>
    sb
      .requests()
      .filter(
        (r) =>
          r.method === 'POST' &&
          r.path.endsWith('PrintedSalesInvoices') &&
          (r.body as { InvoiceID?: string })?.InvoiceID === id,
      );

  test('when the answer is lost after Exact printed, then answerLost is thrown, a confirm shows 50 and no second POST is made', async () => {
    const id = invoiceId(1);
    sb.injectFault({ method: 'POST', path: 'PrintedSalesInvoices', kind: 'lostAfterWork' });
    const err = await client.print(DIV, emailPrint(id)).catch((e: unknown) => e);
    caught.push(err);
    expect((err as { answerLost?: boolean }).answerLost).toBe(true);
    const state = (await client.confirmStatuses(DIV, [id])).get(id);
    expect(state?.status).toBe(50);
    expect(state?.invoiceNumber).toEqual(expect.any(Number));
    expect(postsOf(id)).toHaveLength(1);
    expect(printsOf(id)).toHaveLength(1);
  });

  test('when the answer is lost before Exact did the work, then the caller confirms, prints again and exactly one print exists', async () => {
    const id = invoiceId(2);
    sb.injectFault({ method: 'POST', path: 'PrintedSalesInvoices', kind: 'lostBeforeWork' });
    // The caller's rule (PRODUCT §6): never re-print blindly; confirm, and print only while still open.
    const sendOnce = async (): Promise<string> => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const state = (await client.confirmStatuses(DIV, [id])).get(id);
        if (state?.status === 50)
          return attempt === 1 ? 'processed_elsewhere' : 'sent_confirmed_after_lost_answer';
        try {
          const outcome = await client.print(DIV, emailPrint(id));
          return outcome.ok ? 'sent' : 'channel_error';
        } catch (err) {
          caught.push(err);
          if (!(err as { answerLost?: boolean }).answerLost) throw err;
        }
      }
      return 'gave_up';
    };
    await expect(sendOnce()).resolves.toBe('sent');
    expect(postsOf(id)).toHaveLength(2);
    expect(printsOf(id)).toHaveLength(1);
  });

  test('when the request times out, then a GET is retried and succeeds, a POST is not repeated', async () => {
    const id = invoiceId(3);
    sb.injectFault({ method: 'GET', path: 'SalesInvoices', kind: 'timeout', holdMs: 3000 });
    await expect(client.confirmStatuses(DIV, [id])).resolves.toBeDefined();
    sb.injectFault({ method: 'POST', path: 'PrintedSalesInvoices', kind: 'timeout', holdMs: 3000 });
    const err = await client.print(DIV, emailPrint(id)).catch((e: unknown) => e);
    caught.push(err);
    expect((err as { answerLost?: boolean }).answerLost).toBe(true);
    expect(postsOf(id)).toHaveLength(1);
  });

  test('when a 429 storm hits, then no failure surfaces and work resumes after the announced reset', async () => {
    const ids = [invoiceId(4), invoiceId(5), invoiceId(6)];
    const before = client.stats().rateLimited;
    const t0 = sb.clock.now();
    sb.injectFault({ path: 'SalesInvoices', kind: '429', count: 12 });
    const states = await client.confirmStatuses(DIV, ids);
    const outcomes = [];
    for (const id of ids) outcomes.push(await client.print(DIV, emailPrint(id)));
    expect(states.size).toBe(3);
    const made = (id: string) => sb.prints().find((p) => p.invoiceId === id)!.document;
    expect(outcomes).toEqual(ids.map((id) => ({ ok: true, documentId: made(id) })));
    expect(client.stats().rateLimited - before).toBe(12);
    const firstOk = sb
      .requests()
      .find((r) => r.at >= t0 && r.status === 200 && r.path.endsWith('SalesInvoices'));
    expect(firstOk!.at).toBeGreaterThanOrEqual(Math.floor(t0 / 60_000) * 60_000 + 60_000);
    ids.forEach((id) => expect(printsOf(id)).toHaveLength(1));
  });

  test('when Exact answers 201 with the email channel error filled, then the outcome carries Exact text', async () => {
    const id = invoiceId(999_001); // account without an email address
    const outcome = await client.print(DIV, emailPrint(id));
    expect(outcome).toEqual({ ok: false, channelError: "No email address for account 'Zonder Gegevens'." });
  });

  test('when every log line and error of these tests is scanned, then no issued secret appears', () => {
    const haystack = [
      ...collectors.flatMap((c) => c()),
      ...caught.flatMap((e) => [String(e), JSON.stringify(e), inspect(e, { depth: 6 })]),
    ];
    figures.scanned_lines = haystack.length;
    const all = [...secrets, ...sb.issuedSecrets()];
    figures.issued_secrets = all.length;
    expect(haystack.length).toBeGreaterThan(100);
    expect(all.length).toBeGreaterThan(10);
    expect(findSecrets(haystack, all)).toEqual([]);
  });
});
