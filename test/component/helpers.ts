/**
 * Shared by the component tests (not a test file): webhook posting, row access in the Dataverse sandbox,
 * ports that crash once, and a loop that lets the in-process queue settle under a ManualClock.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { dataverseWebhook } from '../../functions/dataverseWebhook';
import { requestSweeps } from '../../functions/sweep';
import type { InvoiceRecords, RowWrite, RowsRequest } from '../../src/app/ports';
import { rowsRequest } from '../../src/app/requests';
import { dispatchDeps } from '../../src/composition/runtime';
import type { DispatchDeps } from '../../src/app/dispatch';
import { ManualClock, systemClock } from '../../src/adapters/queue/clock';
import { useLocalStack } from '../support/localStack';
import type { LocalStack, LocalStackOptions } from '../../src/local/stack';
import { demoGuid } from '../../sandbox/seed/demo';

export const ADMIN_A = demoGuid('admin:A');
export const ADMIN_B = demoGuid('admin:B');

export function postWebhook(
  body: string,
  headers: Record<string, string> = { 'x-autoinvoice-key': 'demo-secret' },
) {
  return dataverseWebhook(
    new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1:7071/api/dataverse/webhook',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: { string: body },
    }),
    new InvocationContext({ functionName: 'dataverseWebhook' }),
  );
}

export function demoRow(stack: LocalStack, key: string): Record<string, unknown> {
  const r = stack.dataverse.get('demo')!.row('eol_salesinvoices', demoGuid(`row:${key}`));
  if (!r) throw new Error(`no demo row ${key}`);
  return r;
}

/** Changes columns of a row as a user would (the sandbox's seed merges into the existing row). */
export function editRow(stack: LocalStack, set: string, id: string, columns: Record<string, unknown>): void {
  const key =
    set === 'eol_salesinvoices'
      ? 'eol_salesinvoiceid'
      : set === 'eol_relations'
        ? 'eol_relationid'
        : 'eol_administrationid';
  stack.dataverse.get('demo')!.seed({ [set]: [{ [key]: id, ...columns }] });
}

export function printsOf(stack: LocalStack, invoiceKey: string) {
  return stack.exact.prints().filter((p) => p.invoiceId === demoGuid(`invoice:${invoiceKey}`));
}

/** Every invoice Exact printed more than once (must stay empty). */
export function doublePrints(stack: LocalStack): string[] {
  const seen = new Map<string, number>();
  for (const p of stack.exact.prints()) seen.set(p.invoiceId, (seen.get(p.invoiceId) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}

/** A webhook-like dispatch request for demo rows (by seed key), as the intake builds it. */
export function rowsOf(
  keys: string[],
  options: {
    admin?: string | null;
    division?: number | null;
    trigger?: RowsRequest['trigger'];
    now?: Date;
  } = {},
): RowsRequest {
  const admin = { id: options.admin ?? null, division: options.division ?? null };
  return rowsRequest(
    'demo',
    admin,
    keys.map((k) => demoGuid(`row:${k}`)),
    options.trigger ?? 'webhook',
    options.now ?? new Date(),
  );
}

/** The timer's sweep for every administration now: one sweep request each, swept by the worker. */
export async function sweepAll(stack: LocalStack, full = false): Promise<void> {
  await requestSweeps(stack.runtime, () => ({ run: true, full }));
}

/** Waits (real time, bounded) until no message is being handled or waits for a redelivery. */
export async function quiet(stack: LocalStack, maxMs = 30_000): Promise<void> {
  const end = Date.now() + maxMs;
  for (;;) {
    await stack.queue.idle();
    const s = stack.queue.stats();
    if (s.active === 0 && s.inFlight === 0) return;
    if (Date.now() > end) throw new Error(`queue not quiet after ${maxMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function demoDeps(stack: LocalStack): DispatchDeps {
  const rt = stack.runtime;
  return dispatchDeps(
    rt,
    rt.tenants.find((t) => t.name === 'demo')!,
  );
}

export function countRows(
  stack: LocalStack,
  set: 'emails' | 'appnotifications',
  filter: (r: Record<string, unknown>) => boolean = () => true,
): number {
  return stack.dataverse.get('demo')!.rows(set).filter(filter).length;
}

export class SimulatedCrash extends Error {
  constructor(what: string) {
    super(`simulated crash ${what}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * A copy of `port` whose method `name` throws once — before doing the work, or after it (the work is
 * done but the process "dies" before it can use the answer) — on the first call that `when` selects.
 */
export function crashOnce<T extends object>(
  port: T,
  name: keyof T,
  at: 'before' | 'after',
  when: (...args: unknown[]) => boolean = () => true,
): T & { fired(): boolean } {
  let fired = false;
  const wrapped = Object.create(port) as T & { fired(): boolean };
  const original = port[name] as unknown as (...args: unknown[]) => Promise<unknown>;
  (wrapped as Record<keyof T, unknown>)[name] = async (...args: unknown[]) => {
    const select = !fired && when(...args);
    if (select && at === 'before') {
      fired = true;
      throw new SimulatedCrash(`before ${String(name)}`);
    }
    const result = await original.apply(port, args);
    if (select && at === 'after') {
      fired = true;
      throw new SimulatedCrash(`after ${String(name)}`);
    }
    return result;
  };
  wrapped.fired = () => fired;
  return wrapped;
}

/**
 * A crash around the Dataverse writeback of a row, whether it goes alone (`writeDispatch`) or together with
 * other rows in one request (`writeDispatches`, e.g. riding along with invoice numbers read back).
 */
export function crashOnWrite(
  records: InvoiceRecords,
  at: 'before' | 'after',
  when: (rowId: string) => boolean = () => true,
): InvoiceRecords & { fired(): boolean } {
  const single = crashOnce(records, 'writeDispatch', at, (rowId) => when(rowId as string));
  const many = crashOnce(single, 'writeDispatches', at, (writes) =>
    (writes as RowWrite[]).some((w) => when(w.rowId)),
  );
  const manyFired = many.fired;
  many.fired = () => single.fired() || manyFired();
  return many;
}

/**
 * Lets the queue work until nothing is deliverable, advancing the manual clock through redelivery
 * backoffs and scheduled retries up to `horizonMs` (never past it).
 */
export async function settleQueue(
  stack: LocalStack,
  clock: ManualClock,
  horizonMs = 10 * 60_000,
  stepMs = 1_000,
): Promise<void> {
  const end = clock.now().getTime() + horizonMs;
  for (;;) {
    await stack.queue.idle();
    const s = stack.queue.stats();
    if (s.active === 0 && s.inFlight === 0 && s.scheduled === 0) return;
    if (clock.now().getTime() >= end) return;
    clock.advance(Math.min(stepMs, end - clock.now().getTime()));
  }
}

/**
 * A local stack on a manual clock that starts at `start` (the connector's clock, queue timers and the
 * seed's "today"); Exact keeps real time without sleeping and without rate limits in the way.
 */
export function useManualClockStack(
  start: Date,
  options: LocalStackOptions = {},
): { clock: ManualClock; env: ReturnType<typeof useLocalStack> } {
  const clock = new ManualClock(start);
  const env = useLocalStack({
    ...options,
    clock,
    timers: clock,
    exactClock: systemClock,
    today: start,
    exactSleep: async () => undefined,
    exact: { minutelyLimit: 100_000, dailyLimit: 100_000 },
  });
  return { clock, env };
}

/** Print POSTs that reached the Exact sandbox, per invoice id (lower case): the wire, not the ledger. */
export function printPosts(stack: LocalStack): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of stack.exact.requests()) {
    if (r.method !== 'POST' || !r.path.endsWith('/salesinvoice/PrintedSalesInvoices')) continue;
    const id = String((r.body as { InvoiceID?: unknown } | undefined)?.InvoiceID ?? '').toLowerCase();
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
