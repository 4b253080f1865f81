/**
 * After the run: what a customer and a user would see. Duplicates from Exact's outbox (an invoice printed
 * more than once) and print requests Exact refused because the invoice was already processed (with an Exact
 * that does not refuse them, those would be duplicates too); lost invoices from the ledger AND the Dataverse
 * rows (not final, final without a reason, or the row disagreeing with the ledger or with Exact); lost
 * connections from the token store and from the outcomes.
 */
import type { Ledger, LedgerEntry, LedgerState } from '../../src/app/ports';
import { rowStatusOf } from '../../src/domain/lifecycle';
import type { ExactSandbox } from '../../sandbox/exact';
import type { DataverseSandbox } from '../../sandbox/dataverse';
import type { LoadInvoice } from '../support/seed';
import { countBy } from '../support/stats';
import { verifyMail, type MailVerdict } from './verifyMail';

const FINAL: LedgerState[] = ['sent', 'printList', 'ignored', 'failed', 'optedOut'];
/** Failures that Exact's own processing explains (the print went through, the channel did not, or nobody knows). */
const PROCESSED_BUT_FAILED = new Set([
  'exact_channel_error',
  'delivery_unconfirmed',
  // The Dynamics route: Exact printed without sending, Dynamics 365's email did not go out.
  'email_send_failed',
  'email_draft_deleted',
]);
const ALL: LedgerState[] = ['waiting', 'scheduled', 'sending', ...FINAL];

export interface Verdict {
  duplicates: number;
  reprintAttempts: number;
  /** Invoices with more than one print POST that reached Exact's print logic (not refused by pacing). */
  multiplePrintPosts: number;
  /** Sent rows whose channel Exact did not send (a print whose channel failed, recorded as sent). */
  sentWithoutChannel: number;
  lost: number;
  lostSamples: Array<{ invoice: string; division: number; why: string; history?: string[] }>;
  lostConnections: number;
  outcomes: Record<string, number>;
  reasons: Record<string, number>;
  unexpected: Record<string, number>;
  /** The Dynamics route (issue 15): one email per invoice and copy, one PDF each, SendEmail once. */
  mail: MailVerdict;
}

export async function verify(o: {
  tenantId: string;
  invoices: LoadInvoice[];
  ledger: Ledger;
  exact: ExactSandbox;
  dataverse: DataverseSandbox;
  connected: boolean;
}): Promise<Verdict> {
  const printed = countBy(o.exact.prints(), (p) => `${p.division}:${p.invoiceId}`);
  const duplicates = Object.values(printed).filter((n) => n > 1).length;
  // A print request that reached Exact after an earlier one for the same invoice had been carried out.
  const processed = new Set<string>();
  let reprintAttempts = 0;
  const posts = new Map<string, number>();
  for (const r of o.exact.requests()) {
    // Only requests Exact's print logic saw: no injected fault before the work (a lost answer after it
    // counts), not refused by pacing (429) or sign-in (401) first.
    const sawWork = !r.fault || r.fault === 'lostAfterWork';
    if (
      r.method !== 'POST' ||
      !/PrintedSalesInvoices/i.test(r.path) ||
      !sawWork ||
      [0, 401, 429].includes(r.status)
    )
      continue;
    const id = String((r.body as { InvoiceID?: unknown } | undefined)?.InvoiceID ?? '').toLowerCase();
    posts.set(id, (posts.get(id) ?? 0) + 1);
    if (processed.has(id)) reprintAttempts++;
    if (r.status >= 200 && r.status < 300) processed.add(id);
  }
  const multiplePrintPosts = [...posts.values()].filter((n) => n > 1).length;
  const channelWent = new Map(o.exact.prints().map((p) => [p.invoiceId.toLowerCase(), p.sent]));
  const mailWhy = new Map<string, string>();
  let sentWithoutChannel = 0;

  const entries = new Map<string, LedgerEntry>();
  for (const division of [...new Set(o.invoices.map((i) => i.division))]) {
    for (const e of await o.ledger.list(o.tenantId, division, ALL)) entries.set(e.key.invoiceId, e);
  }
  const rows = new Map<string, Record<string, unknown>>();
  for (const r of o.dataverse.rows('eol_salesinvoices'))
    rows.set(String(r.eol_exactinvoiceid ?? '').toLowerCase(), r);

  const mail = await verifyMail({
    invoices: o.invoices,
    entries,
    rows,
    exact: o.exact,
    dataverse: o.dataverse,
  });
  for (const [id, why] of mail.problems) mailWhy.set(id, why);

  const lostSamples: Verdict['lostSamples'] = [];
  let lost = 0;
  const unexpected: Record<string, number> = {};
  for (const inv of o.invoices) {
    const e = entries.get(inv.exactInvoiceId);
    const row = rows.get(inv.exactInvoiceId);
    const exactStatus = o.exact.invoice(inv.division, inv.exactInvoiceId)?.Status;
    const why = !e
      ? 'no ledger entry'
      : !FINAL.includes(e.state)
        ? `ledger ${e.state}`
        : !e.reason
          ? `ledger ${e.state} without a reason`
          : e.writebackPending
            ? 'writeback still pending'
            : !row
              ? 'no Dataverse row'
              : row.eol_dispatchstatus !== rowStatusOf(e.state)
                ? `row status ${String(row.eol_dispatchstatus)} ≠ ledger ${e.state}`
                : !row.eol_dispatchreason
                  ? 'row without a reason'
                  : (e.state === 'sent' || e.state === 'printList') && exactStatus !== 50
                    ? `ledger ${e.state}, Exact status ${String(exactStatus)}`
                    : mailWhy.has(inv.exactInvoiceId)
                      ? mailWhy.get(inv.exactInvoiceId)!
                      : e.state === 'sent' && !e.mail && channelWent.get(inv.exactInvoiceId) !== true
                        ? (sentWithoutChannel++, 'ledger sent, but Exact did not send it by its channel')
                        : e.state !== 'sent' &&
                            e.state !== 'printList' &&
                            exactStatus === 50 &&
                            !PROCESSED_BUT_FAILED.has(e.reason)
                          ? `Exact processed it, ledger ${e.state} (${e.reason})`
                          : null;
    if (why) {
      lost++;
      if (lostSamples.length < 10)
        lostSamples.push({
          invoice: inv.exactInvoiceId,
          division: inv.division,
          why,
          history: e?.history.map((h) => `${h.outcome}:${h.reason}`),
        });
    } else if (e && e.state !== inv.expected) {
      const k = `${inv.expected}→${e.state}:${e.reason}`;
      if (process.env.CHAOS_TRACE) console.error(k, inv.exactInvoiceId, JSON.stringify(e.history));
      unexpected[k] = (unexpected[k] ?? 0) + 1;
    }
  }
  const final = o.invoices.map((i) => entries.get(i.exactInvoiceId)).filter((e): e is LedgerEntry => !!e);
  const outcomes = countBy(final, (e) => e.state);
  const reasons = countBy(final, (e) => e.reason ?? '(none)');
  const lostConnections = (o.connected ? 0 : 1) + (reasons.exact_connection_lost ? 1 : 0);
  return {
    duplicates,
    reprintAttempts,
    multiplePrintPosts,
    sentWithoutChannel,
    lost,
    lostSamples,
    lostConnections: Math.min(1, lostConnections),
    outcomes,
    reasons,
    unexpected,
    mail: mail.verdict,
  };
}
