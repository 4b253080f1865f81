/**
 * How a forecast names an outcome — the dry run (`npm start -- --dry-run`) and the operator's plan (decision
 * 0146). Nothing has gone out yet, so the words say what would happen; the machine value (`sent`, `failed`, …)
 * stays in the dispatch lines and in the API's JSON, where a plan is compared with the dispatch after it.
 */
const FORECAST: Readonly<Record<string, string>> = {
  sent: 'would be sent',
  printList: 'would go on print list',
  scheduled: 'would be scheduled',
  review: 'would wait for review',
  // A stored state a dispatch only reads on (its email is on its way): said as it stands.
  mailing: 'email on its way',
  failed: 'would fail',
  ignored: 'would be ignored',
  optedOut: 'would stay (opted out)',
  busy: 'busy',
  skipped: 'would be skipped',
};

/** The widest forecast, for a column. */
export const FORECAST_WIDTH = Math.max(...Object.values(FORECAST).map((w) => w.length));

/** `sent` → `would be sent`; an outcome without its own words reads `would be <outcome>`. */
export function forecastOf(outcome: string): string {
  return FORECAST[outcome] ?? `would be ${outcome}`;
}
