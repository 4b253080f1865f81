/**
 * What `npm start` prints: one line per invoice outcome, and the summary. A dry run prints a forecast: what
 * would happen (`would be sent`), not what happened (decision 0146); its lines keep the machine value.
 */
import type { DispatchLine } from '../app/dispatch';
import { formatLine } from '../composition/createRuntime';
import { FORECAST_WIDTH, forecastOf } from '../domain/forecast';

export type Out = (line: string) => void;

/** The summary's order of outcomes; another outcome comes after them. */
const SUMMARY_ORDER = ['sent', 'ignored', 'scheduled', 'failed', 'printList', 'optedOut'];

export interface Printer {
  /** The runtime's dispatch log: prints each invoice once per outcome and reason. */
  onDispatch(line: DispatchLine): void;
  header(): void;
  summary(): void;
  lines: DispatchLine[];
}

export function createPrinter(out: Out, forecast = false): Printer {
  const printed = new Map<string, string>();
  const lines: DispatchLine[] = [];
  return {
    lines,
    onDispatch(line) {
      if (line.outcome === 'busy' || line.outcome === 'skipped') return;
      const key = `${line.tenantId}:${line.invoiceId}`;
      const sig = `${line.outcome}:${line.reason}`;
      if (printed.get(key) === sig) return;
      printed.set(key, sig);
      lines.push(line);
      const shown = forecast ? { ...line, outcome: forecastOf(line.outcome).padEnd(FORECAST_WIDTH) } : line;
      out(`${line.tenantId.padEnd(10)} ${formatLine(shown as DispatchLine)}`);
    },
    header() {
      out(
        `${'tenant'.padEnd(10)} ${forecast ? 'forecast'.padEnd(FORECAST_WIDTH) : 'outcome'.padEnd(9)} ${'invoice'.padEnd(34)} ${'relation'.padEnd(26)} ${'channel'.padEnd(7)} reason`,
      );
    },
    summary() {
      printSummary(lines, out, forecast);
    },
  };
}

function printSummary(lines: DispatchLine[], out: Out, forecast: boolean): void {
  const latest = new Map<string, DispatchLine>();
  for (const l of lines) latest.set(`${l.tenantId}:${l.invoiceId}`, l);
  const byOutcome = new Map<string, number>();
  const byReason = new Map<string, number>();
  for (const l of latest.values()) {
    byOutcome.set(l.outcome, (byOutcome.get(l.outcome) ?? 0) + 1);
    byReason.set(l.reason, (byReason.get(l.reason) ?? 0) + 1);
  }
  // A fixed order (the lines arrive in whatever order the sessions finish): the same run, the same summary.
  const rank = (k: string) => (SUMMARY_ORDER.includes(k) ? SUMMARY_ORDER.indexOf(k) : SUMMARY_ORDER.length);
  const counts = [...byOutcome].sort(([a], [b]) => rank(a) - rank(b));
  const word = forecast ? forecastOf : (k: string) => k;
  const title = forecast ? 'Forecast' : 'Summary';
  out(`\n${title}: ${latest.size} invoices — ${counts.map(([k, v]) => `${v} ${word(k)}`).join(', ')}`);
  out(
    `Reasons: ${[...byReason]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}
