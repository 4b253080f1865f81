/** What the CLI prints for each answer of the operator API (`--json` prints the answer itself instead). */
import { FORECAST_WIDTH, forecastOf } from '../../domain/forecast';
import type { Line } from './client';

export type Out = (line: string) => void;

/** The order npm start's summary counts outcomes in (src/local/console.ts); another outcome comes after. */
const SUMMARY_ORDER = ['sent', 'ignored', 'scheduled', 'failed', 'printList', 'optedOut'];

type LineView = Pick<Line, 'outcome' | 'invoice' | 'relation' | 'channel' | 'reason'>;

/** One invoice as npm start prints it: outcome, invoice, relation, channel, reason. */
export function line(l: LineView): string {
  return `${l.outcome.padEnd(9)} ${rest(l)}`;
}

/** One invoice of a plan: what would happen to it (decision 0146), then as `line`. */
export function forecastLine(l: LineView): string {
  return `${forecastOf(l.outcome).padEnd(FORECAST_WIDTH)} ${rest(l)}`;
}

function rest(l: LineView): string {
  const channel = l.channel ?? '-';
  return `${l.invoice.slice(0, 34).padEnd(34)} ${l.relation.slice(0, 26).padEnd(26)} ${channel.padEnd(7)} ${l.reason}`;
}

const COLUMNS = `${'invoice'.padEnd(34)} ${'relation'.padEnd(26)} ${'channel'.padEnd(7)} reason`;
export const HEADER = `${'outcome'.padEnd(9)} ${COLUMNS}`;
export const FORECAST_HEADER = `${'forecast'.padEnd(FORECAST_WIDTH)} ${COLUMNS}`;

/** `20 sent, 20 ignored, …` in npm start's order (`20 would be sent, …` for a forecast). */
export function counted(counts: Iterable<[string, number]>, word: (k: string) => string = (k) => k): string {
  const rank = (k: string) => (SUMMARY_ORDER.includes(k) ? SUMMARY_ORDER.indexOf(k) : SUMMARY_ORDER.length);
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => `${v} ${word(k)}`)
    .join(', ');
}

/**
 * `Summary: 50 invoices — 20 sent, 20 ignored, …` as npm start prints it, and the reasons; a plan's
 * `Forecast: 50 invoices — 20 would be sent, …`.
 */
export function summary(lines: Array<Pick<Line, 'outcome' | 'reason'>>, out: Out, forecast = false): void {
  const byOutcome = new Map<string, number>();
  const byReason = new Map<string, number>();
  for (const l of lines) {
    byOutcome.set(l.outcome, (byOutcome.get(l.outcome) ?? 0) + 1);
    byReason.set(l.reason, (byReason.get(l.reason) ?? 0) + 1);
  }
  const title = forecast ? 'Forecast' : 'Summary';
  out(`\n${title}: ${lines.length} invoices — ${counted(byOutcome, forecast ? forecastOf : undefined)}`);
  out(
    `Reasons: ${[...byReason]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export interface PlanView {
  tenant: string;
  administration: { name: string; division: number; printInvoices: boolean; activeFrom: string | null };
  items: Array<
    Line & {
      recipients: string[];
      sendAt: string | null;
      date: string | null;
      documentLayout: string | null;
      emailLayout: string | null;
    }
  >;
  relations: Array<{ relation: string; current: string; proposed: string | null; blocker: string | null }>;
  counts: Record<string, number>;
  deliverability: { status: string; message: string } | null;
}

export function plan(p: PlanView, out: Out): void {
  const a = p.administration;
  const since = a.activeFrom ? `, invoices from ${a.activeFrom}` : '';
  out(`Plan for ${a.name} (${a.division}), tenant ${p.tenant}${since} — nothing is sent`);
  out(FORECAST_HEADER);
  for (const i of p.items) {
    const to = i.recipients.length > 0 ? ` → ${i.recipients.join('; ')}` : '';
    const when = i.sendAt ? ` at ${i.sendAt}` : '';
    const layouts = [i.documentLayout, i.emailLayout].filter((l) => l !== null);
    const layout = layouts.length > 0 ? ` [layout ${layouts.join(' / ')}]` : '';
    out(`${forecastLine(i)}${to}${when}${layout}`);
  }
  out('\nRelations (current method → proposed channel):');
  for (const r of p.relations)
    out(
      `  ${r.relation.slice(0, 30).padEnd(30)} ${r.current.padEnd(9)} → ${r.proposed ?? `none: ${r.blocker}`}`,
    );
  summary(p.items, out, true);
  if (p.deliverability && p.deliverability.status !== 'authorised')
    out(`Warning: ${p.deliverability.message}`);
}
