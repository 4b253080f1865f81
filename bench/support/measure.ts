/** What the benchmark reads back from the sandboxes' request logs between two instants. */
import type { DataverseSandbox } from '../../sandbox/dataverse';
import type { ExactSandbox, RequestRecord } from '../../sandbox/exact';

export interface Window {
  exact: number;
  prints: number;
  dataverse: number;
}

const divisionOf = (path: string): number | null => {
  const m = /^\/api\/v1\/(\d+)\//.exec(path);
  return m ? Number(m[1]) : null;
};

/** Exact API calls to the given divisions, prints that went out, and Dataverse Web API requests. */
export function callsOf(
  exact: Pick<ExactSandbox, 'requests' | 'prints'>,
  dv: Pick<DataverseSandbox, 'requests'>,
  from: Window,
  to: Window,
  divisions: number[],
) {
  const set = new Set(divisions);
  const calls = exact
    .requests()
    .slice(from.exact, to.exact)
    .filter((r) => set.has(divisionOf(r.path) ?? -1));
  const exactCalls = calls.length;
  // By endpoint (the path after the division, without keys): what the calls per invoice are made of.
  const exactCallsByKind: Record<string, number> = {};
  for (const r of calls) {
    const kind = `${r.method} ${r.path.replace(/^\/api\/v1\/\d+\//, '').replace(/\(.*$/, '')}`;
    exactCallsByKind[kind] = (exactCallsByKind[kind] ?? 0) + 1;
  }
  const sent = exact
    .prints()
    .slice(from.prints, to.prints)
    .filter((p) => set.has(p.division) && p.sent).length;
  const dvCalls = dv
    .requests()
    .slice(from.dataverse, to.dataverse)
    .filter((r) => r.path.startsWith('/api/data/'));
  const dataverseCallsByKind: Record<string, number> = {};
  for (const r of dvCalls) {
    const kind = `${r.method} ${r.path.replace(/^\/api\/data\/v[\d.]+\//, '').replace(/\([^)]*\)/g, '()')}`;
    dataverseCallsByKind[kind] = (dataverseCallsByKind[kind] ?? 0) + 1;
  }
  return { exactCalls, exactCallsByKind, sent, dataverseCalls: dvCalls.length, dataverseCallsByKind };
}

/**
 * Calls Exact counted against the minutely budget (not refused with 429, not dropped unanswered), per
 * division and sandbox minute. `fullWindows`: the mean of the minutes strictly between the first and the
 * last (those two are partial by construction) ÷ limit; `overall`: all calls ÷ (minutes touched × limit), a lower bound.
 */
export function rateUtilization(requests: RequestRecord[], divisions: number[], limit: number) {
  const full: number[] = [];
  const overall: number[] = [];
  for (const division of divisions) {
    const counted = requests.filter(
      (r) => divisionOf(r.path) === division && r.status !== 429 && r.status !== 0,
    );
    if (counted.length === 0) continue;
    const buckets = new Map<number, number>();
    for (const r of counted)
      buckets.set(Math.floor(r.at / 60_000), (buckets.get(Math.floor(r.at / 60_000)) ?? 0) + 1);
    const keys = [...buckets.keys()].sort((a, b) => a - b);
    for (const k of keys.slice(1, -1)) full.push(buckets.get(k)! / limit);
    overall.push(counted.length / ((keys[keys.length - 1]! - keys[0]! + 1) * limit));
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  return { fullWindows: mean(full), overall: mean(overall), windows: full.length };
}

/** Waits (real time, bounded) until `done` holds, checking every 100 ms. */
export async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
