/**
 * After the chaos run, the Dynamics route (issue 15) as Dataverse shows it: per invoice at most one email per
 * copy regarding its row, each email with exactly one attachment (Exact's PDF for that invoice, bytes
 * compared), SendEmail accepted at most once per email (from the sandbox's requests), and every invoice that
 * went this way settled on its email: sent ⇔ the email Sent, `email_send_failed` ⇔ the email Failed, the row
 * linking `eol_emailid` to it. AutoInvoice's own notices regarding the row (from a user, not a mailbox)
 * are not counted. An invoice breaking one of these is lost (the `problems` name why).
 */
import type { LedgerEntry } from '../../src/app/ports';
import type { ExactSandbox } from '../../sandbox/exact';
import type { DataverseSandbox } from '../../sandbox/dataverse';
import type { LoadInvoice } from '../support/seed';
import { countBy } from '../support/stats';

const SENT = 3;
const FAILED = 8;
const SEND_EMAIL = /emails\(([0-9a-f-]{36})\)\/Microsoft\.Dynamics\.CRM\.SendEmail$/i;

export interface MailVerdict {
  /** Invoices that went by Dynamics 365 email (their ledger entry holds the email) or should have. */
  invoicesOnRoute: number;
  emails: number;
  emailStatus: Record<string, number>;
  /** Invoices with more emails regarding their row than copies the ledger made. */
  duplicateEmails: number;
  /** Emails without exactly one attachment, or whose attachment is not Exact's PDF of the invoice. */
  emailsWithoutOnePdf: number;
  /** Invoice emails that Dataverse accepted SendEmail for more than once. */
  emailsSentTwice: number;
  /** SendEmail requests for invoice emails (AutoInvoice's notices not counted). */
  sendEmailCalls: number;
  /** SendEmail requests Dataverse refused (the email was no draft any more): harmless repeats. */
  sendEmailRefused: number;
  outcomes: Record<string, number>;
}

export async function verifyMail(o: {
  invoices: LoadInvoice[];
  entries: Map<string, LedgerEntry>;
  rows: Map<string, Record<string, unknown>>;
  exact: ExactSandbox;
  dataverse: DataverseSandbox;
}): Promise<{ verdict: MailVerdict; problems: Map<string, string> }> {
  const problems = new Map<string, string>();
  const ids = new Set<string>();
  const statuses: number[] = [];
  const onRoute: LedgerEntry[] = [];
  let duplicateEmails = 0;
  let emailsWithoutOnePdf = 0;
  for (const inv of o.invoices) {
    const e = o.entries.get(inv.exactInvoiceId);
    const row = o.rows.get(inv.exactInvoiceId);
    if (!e || (!e.mail && inv.mailbox === null)) continue;
    if (e.mail || e.state === 'sent') onRoute.push(e);
    const emails = row ? invoiceEmails(o.dataverse, String(row.eol_salesinvoiceid)) : [];
    statuses.push(...emails.map((m) => Number(m.statuscode)));
    for (const m of emails) ids.add(String(m.activityid).toLowerCase());
    if (emails.length > (e.mail ? e.mail.copy + 1 : 0)) {
      duplicateEmails++;
      if (process.env.CHAOS_TRACE) console.error('emails', e.mail?.emailId, JSON.stringify(emails));
    }
    const pdf = emails.length ? await o.exact.documentPdf(inv.division, inv.exactInvoiceId) : null;
    for (const m of emails) {
      const files = o.dataverse.mail.attachments(String(m.activityid));
      if (files.length !== 1 || !pdf || !files[0]!.bytes.equals(pdf)) emailsWithoutOnePdf++;
    }
    const why = problemOf(inv, e, row, emails);
    if (why) problems.set(inv.exactInvoiceId, why);
  }
  const sends = sendEmailsOf(o.dataverse, ids);
  return {
    verdict: {
      invoicesOnRoute: onRoute.length,
      emails: statuses.length,
      emailStatus: countBy(
        statuses,
        (s) => ({ 1: 'draft', 3: 'sent', 6: 'pendingSend', 8: 'failed' })[s] ?? `status ${s}`,
      ),
      duplicateEmails,
      emailsWithoutOnePdf,
      emailsSentTwice: [...sends.accepted.values()].filter((n) => n > 1).length,
      sendEmailCalls: sends.calls,
      sendEmailRefused: sends.refused,
      outcomes: countBy(onRoute, (e) => `${e.state}:${e.reason ?? ''}`),
    },
    problems,
  };
}

/** Why an invoice on the Dynamics route did not end as its email did, or null when it did. */
function problemOf(
  inv: LoadInvoice,
  e: LedgerEntry,
  row: Record<string, unknown> | undefined,
  emails: Array<Record<string, unknown>>,
): string | null {
  if (!e.mail) return e.state === 'sent' ? 'sent on the Dynamics route without an email' : null;
  if (e.state !== 'sent' && e.state !== 'failed') return null; // not final: the main verdict names it
  const email = emails.find((m) => String(m.activityid).toLowerCase() === e.mail!.emailId.toLowerCase());
  const status = email ? Number(email.statuscode) : null;
  if (e.state === 'sent' && status !== SENT) return `ledger sent, its email ${describe(status)}`;
  if (e.reason === 'email_send_failed' && status !== FAILED)
    return `ledger email_send_failed, its email ${describe(status)}`;
  if (email && String(row?._eol_emailid_value ?? '').toLowerCase() !== e.mail.emailId.toLowerCase())
    return `row ${inv.rowId ?? '(made by the sweep)'} does not link its email (eol_emailid)`;
  return null;
}

/** SendEmail requests for these (invoice) emails that reached Dataverse's logic (not throttled): accepted per email, refused. */
function sendEmailsOf(dv: DataverseSandbox, ids: ReadonlySet<string>) {
  const accepted = new Map<string, number>();
  let calls = 0;
  let refused = 0;
  for (const r of dv.requests()) {
    const m = r.method === 'POST' ? SEND_EMAIL.exec(r.path) : null;
    const id = m?.[1]?.toLowerCase();
    if (!id || !ids.has(id) || r.status === 429) continue;
    calls++;
    if (r.status >= 200 && r.status < 300) accepted.set(id, (accepted.get(id) ?? 0) + 1);
    else refused++;
  }
  return { accepted, calls, refused };
}

/** The emails regarding the row sent from a mailbox (`queue`): the invoice's, not AutoInvoice's notices. */
function invoiceEmails(dv: DataverseSandbox, rowId: string): Array<Record<string, unknown>> {
  return dv.mail
    .emailsRegarding(rowId)
    .filter((m) =>
      dv.mail.parties(String(m.activityid)).some((p) => p.mask === 1 && p.partyType === 'queue'),
    );
}

function describe(status: number | null): string {
  return status === null ? 'missing' : `has status ${status}`;
}
