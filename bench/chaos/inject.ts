/**
 * Faults from outside, injected at random while the run lasts: Exact 429s, 5xx, timeouts, answers lost
 * before and after the work (a print that went out but whose answer never arrived), token-endpoint
 * hiccups, and Dataverse 429s with Retry-After. Each fault hits the next matching request.
 */
import type { ExactSandbox, FaultKind } from '../../sandbox/exact';
import type { DataverseSandbox } from '../../sandbox/dataverse';

export interface InjectStats {
  exact: Record<string, number>;
  dataverse429: number;
}

type Target = 'print' | 'confirm' | 'list' | 'token';
const MENU: Array<{ target: Target; kind: FaultKind; weight: number }> = [
  { target: 'print', kind: 'lostAfterWork', weight: 4 },
  { target: 'print', kind: 'timeout', weight: 2 },
  { target: 'print', kind: 'lostBeforeWork', weight: 1 },
  { target: 'print', kind: '503', weight: 2 },
  { target: 'print', kind: '500', weight: 1 },
  { target: 'print', kind: '429', weight: 2 },
  { target: 'confirm', kind: '429', weight: 2 },
  { target: 'confirm', kind: '503', weight: 2 },
  { target: 'confirm', kind: 'timeout', weight: 1 },
  { target: 'confirm', kind: 'lostBeforeWork', weight: 1 },
  { target: 'list', kind: '503', weight: 1 },
  { target: 'token', kind: '503', weight: 1 },
  { target: 'token', kind: 'lostBeforeWork', weight: 1 },
];
const TOTAL = MENU.reduce((s, m) => s + m.weight, 0);
const DV_PATHS = [
  'eol_salesinvoices',
  '$batch',
  'eol_administrations',
  'eol_relations',
  'emails',
  'appnotifications',
];

/**
 * Faults are drawn per dispatch outcome (not per unit of time), so they never pile up faster than the
 * connector makes requests: each one hits one of the next requests of that administration.
 */
export function createInjector(o: {
  exact: ExactSandbox;
  dataverse: DataverseSandbox;
  rate: number;
  random: () => number;
}) {
  const stats: InjectStats = { exact: {}, dataverse429: 0 };
  let on = true;
  const pick = <T>(list: T[]): T => list[Math.floor(o.random() * list.length)]!;
  const maybeInject = (division: number | null) => {
    if (!on || !division || o.random() >= o.rate) return;
    let r = o.random() * TOTAL;
    const m = MENU.find((x) => (r -= x.weight) < 0) ?? MENU[0]!;
    const path =
      m.target === 'print'
        ? `/api/v1/${division}/salesinvoice/PrintedSalesInvoices`
        : m.target === 'confirm'
          ? `/api/v1/${division}/salesinvoice/SalesInvoices`
          : m.target === 'list'
            ? `/api/v1/${division}/bulk/SalesInvoice/SalesInvoices`
            : '/api/oauth2/token';
    o.exact.injectFault({
      path,
      kind: m.kind,
      ...(m.kind === 'timeout' ? { holdMs: 200 + Math.floor(o.random() * 400) } : {}),
      ...(m.kind === '500' ? { body: 'Internal server error' } : {}),
    });
    stats.exact[`${m.target}:${m.kind}`] = (stats.exact[`${m.target}:${m.kind}`] ?? 0) + 1;
    if (o.random() < 0.5) {
      const count = 1 + Math.floor(o.random() * 3);
      o.dataverse.injectThrottle({
        path: pick(DV_PATHS),
        count,
        retryAfterSeconds: 1 + Math.floor(o.random() * 5),
      });
      stats.dataverse429 += count;
    }
  };
  return {
    stats,
    maybeInject,
    stop: () => {
      on = false;
      o.exact.clearFaults();
    },
  };
}
