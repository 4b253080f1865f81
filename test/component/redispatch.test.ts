/**
 * An outcome keeps its explanation: dispatching the same invoices again — duplicate webhooks, redelivered
 * messages, sweeps — renders every message byte for byte as before, in Dutch and in English, and writes
 * nothing: no ledger entry, no Dataverse row, no notification.
 */
import type { LedgerEntry, LedgerPatch } from '../../src/app/ports';
import { rowsRequest } from '../../src/app/requests';
import { DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { ADMIN_A, ADMIN_B, postWebhook, settleQueue, sweepAll, useManualClockStack } from './helpers';

const START = new Date('2026-05-12T08:01:00Z');
const DECIDED = new Set([4, 5, 6]); // sent, ignored, failed

describe.each([
  ['Dutch', 1043],
  ['English', 1033],
])('re-dispatching decided invoices (%s)', (_language, languageCode) => {
  const { clock, env } = useManualClockStack(START, { languageCode });
  const dv = () => env.stack.dataverse.get('demo')!;
  const rows = () => dv().rows('eol_salesinvoices');
  const messages = () =>
    new Map(
      rows()
        .filter((r) => DECIDED.has(Number(r.eol_dispatchstatus)))
        .map((r) => [String(r.eol_salesinvoiceid), String(r.eol_dispatchmessage)]),
    );
  /** Requests that change something: not GETs, nor a `$batch` of GETs (a long query the client batches). */
  const dataverseWrites = () =>
    dv()
      .requests()
      .filter((r) => r.method !== 'GET' && !batchOfReads(r)).length;
  const batchOfReads = (r: { path: string; body?: unknown }): boolean =>
    r.path.endsWith('/$batch') &&
    Array.isArray(r.body) &&
    r.body.every((part: { method?: string }) => part.method === 'GET');
  let ledgerWrites = 0;

  /** Every ledger entry write from now on is counted. */
  function countLedgerWrites(): void {
    const ledger = env.stack.runtime.ledger;
    const update = ledger.update.bind(ledger);
    ledger.update = async (entry: LedgerEntry, patch: LedgerPatch) => {
      ledgerWrites++;
      return update(entry, patch);
    };
  }

  async function tick(full: boolean): Promise<void> {
    clock.advance(5 * 60_000);
    await sweepAll(env.stack, full);
    await settleQueue(env.stack, clock, 60_000);
  }

  test('when every demo invoice is dispatched again five times, then every message stays the same and nothing is written', async () => {
    // First: Dynamics' events for its rows, then the sweep for the invoices born in Exact; a second
    // sweep reads back the invoice numbers Exact assigned (a new fact, written once).
    for (const row of rows())
      await postWebhook(serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row)));
    await settleQueue(env.stack, clock, 60_000);
    await tick(true);
    await tick(true);
    const before = messages();
    expect([...before.values()].filter((m) => m === '' || m === 'undefined')).toEqual([]);
    const statuses = new Set(rows().map((r) => Number(r.eol_dispatchstatus)));
    for (const s of DECIDED) expect(statuses).toContain(s);
    expect(before.size).toBeGreaterThan(30);

    countLedgerWrites();
    const writes = dataverseWrites();
    const delivered = env.stack.queue.stats().delivered;
    for (let round = 0; round < 5; round++) {
      // Duplicate webhooks (new events for the same rows) …
      for (const row of rows())
        await postWebhook(serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row)));
      // … redelivered messages (the same rows again, as a broker redelivers them) …
      for (const admin of [ADMIN_A, ADMIN_B]) {
        const ids = rows()
          .filter((r) => r._eol_administrationid_value === admin)
          .map((r) => String(r.eol_salesinvoiceid));
        await env.stack.queue.enqueue(
          rowsRequest('demo', { id: admin, division: null }, ids, 'retry', clock.now()),
          { messageId: `again:${admin}:${round}`, sessionId: `demo:${admin}` },
        );
      }
      await settleQueue(env.stack, clock, 60_000);
      // … and sweeps, the full one (which decides ignored invoices again) and a quarter-hour one.
      await tick(round % 2 === 0);
    }

    // The rounds did run: at least one delivery per row per round (events, redeliveries, sweep batches).
    expect(env.stack.queue.stats().delivered - delivered).toBeGreaterThanOrEqual(5 * rows().length);
    expect(messages()).toEqual(before);
    expect(ledgerWrites).toBe(0);
    expect(dataverseWrites()).toBe(writes);
  });
});
