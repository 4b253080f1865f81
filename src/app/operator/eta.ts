/**
 * How long a batch still takes, from the remaining Exact budget of the administrations it sends in (issue 18):
 * Exact allows `minutely.limit` calls a minute and `daily.limit` a day per division (PRODUCT.md §7); a batch
 * spends about 1 + 2/60 calls per invoice (one print each; per chunk of 60 one status confirmation and one read
 * of the receivers' accounts, decision 0095 — the sweep path's 1.043 in docs/PERFORMANCE.md).
 * Invoices beyond a division's remaining daily budget are not sent in this batch: they wait for the next day's
 * budget (daily_budget_exhausted) and are counted apart. A batch sends one division after the other, so the
 * divisions' times add up (decision 0145). Pure.
 */
import { ROWS_PER_BATCH } from '../requests';
import type { ExactBudget } from './ports';

export const CALLS_PER_INVOICE = 1 + 2 / ROWS_PER_BATCH;

export interface Eta {
  /** Seconds until the invoices within today's budget are done. */
  seconds: number;
  /** Invoices the day's remaining budget does not cover. */
  beyondDailyBudget: number;
  /** What bounds the estimate. */
  limitedBy: 'minutely' | 'daily' | 'observed';
}

/** The invoices still to send in one division, and that division's budget. */
export interface EtaPart {
  invoices: number;
  budget: ExactBudget;
}

export function estimate(
  remainingInvoices: number,
  budget: ExactBudget,
  nowMs: number,
  observed?: { done: number; elapsedMs: number },
): Eta {
  return estimateAcross([{ invoices: remainingInvoices, budget }], nowMs, observed);
}

/** The ETA of invoices in several divisions, each within its own budget, sent one division after the other. */
export function estimateAcross(
  parts: EtaPart[],
  nowMs: number,
  observed?: { done: number; elapsedMs: number },
): Eta {
  let fromBudget = 0;
  let beyond = 0;
  let remaining = 0;
  for (const p of parts) {
    const wanted = Math.ceil(p.invoices * CALLS_PER_INVOICE);
    const callsToday = Math.min(wanted, Math.max(0, p.budget.daily.remaining));
    beyond += Math.ceil((wanted - callsToday) / CALLS_PER_INVOICE);
    fromBudget += minutelySeconds(callsToday, p.budget, nowMs);
    remaining += p.invoices;
  }
  const rate = observed && observed.done > 0 ? observed.elapsedMs / observed.done : 0;
  const fromObserved = (rate * Math.max(0, remaining - beyond)) / 1000;
  const limitedBy: Eta['limitedBy'] =
    fromObserved > fromBudget ? 'observed' : beyond > 0 ? 'daily' : 'minutely';
  return { seconds: Math.round(Math.max(fromBudget, fromObserved)), beyondDailyBudget: beyond, limitedBy };
}

/** This minute's remaining calls go now; every further `limit` calls need the next minute. */
function minutelySeconds(calls: number, budget: ExactBudget, nowMs: number): number {
  const m = budget.minutely;
  const rest = calls - Math.max(0, m.remaining);
  if (rest <= 0 || m.limit <= 0) return 0;
  const untilReset = m.resetAt !== null ? Math.max(0, m.resetAt - nowMs) / 1000 : 60;
  return untilReset + (Math.ceil(rest / m.limit) - 1) * 60;
}
