/**
 * A dry run (`npm start -- --dry-run`, decision 0066): every open invoice of every enabled administration is
 * decided as a dispatch decides it (rules 1–3, then dispatch/decide.ts `decideOnExact`), from the same reads,
 * and reported as the line a dispatch would print. Nothing is printed in Exact and nothing is written: no row
 * is created or patched, no ledger entry is made, nothing is enqueued, nobody is notified.
 */
import { decideWithoutExact, explain, gate, storedOutcome, type InputBeforeExact } from '../domain';
import type { AdministrationFacts, Decision, Language, LicenceCheck, RelationFacts } from '../domain/types';
import { decideOnExact, refusalOf } from './dispatch/decide';
import { PeppolUnavailableError } from './peppol/errors';
import type { PeppolReceivers } from './peppol/ports';
import type { DispatchLine, TenantContext } from './dispatch';
import { factsOf } from './dispatch/load';
import type {
  Clock,
  ExactGateway,
  ExactInvoiceState,
  InvoiceContext,
  InvoiceRecords,
  Ledger,
  LedgerEntry,
  LedgerKey,
  TenantDirectory,
} from './ports';
import { chunks, classifySource, rowLabel } from './sweepRows';

export interface DryRunDeps {
  tenant: TenantContext;
  exact: Pick<ExactGateway, 'listOpenInvoices'>;
  records: Pick<InvoiceRecords, 'findByExactIds' | 'loadContexts'>;
  directory: TenantDirectory;
  /** Read only: `get`. */
  ledger: Pick<Ledger, 'get'>;
  clock: Clock;
  /** The Peppol receiver lookup, asked as a dispatch asks it (it spends no Exact call). */
  peppol?: PeppolReceivers;
}

export interface Judged {
  admin: AdministrationFacts;
  licence: LicenceCheck;
  lang: Language;
  now: Date;
}

/** Reports one line per open invoice; returns how many were decided. */
export async function dryRun(deps: DryRunDeps, report: (line: DispatchLine) => void): Promise<number> {
  const now = deps.clock.now();
  const licence = await deps.tenant.licence(now);
  const lang = await deps.tenant.language();
  let decided = 0;
  for (const admin of await deps.directory.administrations()) {
    if (admin.printInvoices !== true) continue;
    const open: ExactInvoiceState[] = [];
    for await (const inv of deps.exact.listOpenInvoices(admin.division)) open.push(inv);
    const contexts = await contextsOf(deps, admin, open);
    for (const inv of open) {
      const { line } = await judge(deps, contexts.get(inv.invoiceId.toLowerCase())!, inv, {
        admin,
        licence,
        lang,
        now,
      });
      report(line);
      decided += 1;
    }
  }
  return decided;
}

/** Each open invoice's row with its relation and administration; an invoice without a row (recurring,
 *  manual) gets the row the sweep would create for it, in memory only. */
export async function contextsOf(
  deps: Pick<DryRunDeps, 'records' | 'directory'>,
  admin: AdministrationFacts,
  open: ExactInvoiceState[],
): Promise<Map<string, InvoiceContext>> {
  const out = new Map<string, InvoiceContext>();
  for (const chunk of chunks(
    open.map((i) => i.invoiceId.toLowerCase()),
    50,
  )) {
    const rows = await deps.records.findByExactIds(admin.id, chunk);
    const loaded = await deps.records.loadContexts(rows.map((r) => r.rowId));
    for (const ctx of loaded.values())
      if (ctx.invoice.exactInvoiceId) out.set(ctx.invoice.exactInvoiceId.toLowerCase(), ctx);
  }
  const missing = open.filter((i) => !out.has(i.invoiceId.toLowerCase()));
  if (missing.length === 0) return out;
  const relations = new Map(
    (await deps.directory.relations(admin.id)).map((r) => [r.exactAccountId.toLowerCase(), r]),
  );
  for (const inv of missing)
    out.set(
      inv.invoiceId.toLowerCase(),
      unsavedContext(inv, admin, relations.get(inv.invoiceTo.toLowerCase()) ?? null),
    );
  return out;
}

const BUSY = 'a print of this invoice is under way or unconfirmed';

/** One invoice's line as a dispatch now would record it, and the decision behind it (null: kept or busy). */
export async function judge(
  deps: Pick<DryRunDeps, 'tenant' | 'ledger' | 'peppol'>,
  ctx: InvoiceContext,
  inv: ExactInvoiceState,
  j: Judged,
): Promise<{ line: DispatchLine; decision: Decision | null }> {
  const exactInvoiceId = inv.invoiceId.toLowerCase();
  const division = ctx.administration?.division ?? j.admin.division;
  const key: LedgerKey = { tenantId: deps.tenant.tenantId, division, invoiceId: exactInvoiceId };
  const entry = (await deps.ledger.get(key)) ?? unsavedEntry(key, ctx.invoice.rowId, j.now);
  const item = { ctx, exactInvoiceId, division, entry };
  const line = (
    outcome: DispatchLine['outcome'],
    channel: string | null,
    reason: string,
    message: string,
  ): DispatchLine => ({
    tenantId: deps.tenant.tenantId,
    division,
    invoiceId: exactInvoiceId,
    invoice: ctx.invoice.invoiceNumber
      ? String(ctx.invoice.invoiceNumber)
      : (ctx.invoice.name ?? exactInvoiceId),
    relation: ctx.relation?.name ?? '',
    outcome,
    channel,
    reason,
    message,
  });
  const g = gate(entry, ctx.invoice.resend, j.now);
  const stored = storedOutcome(entry);
  // An email on its way or a draft in review: a dispatch only reads its status, so it shows as it stands.
  if ((g.kind === 'keep' || g.kind === 'mail') && stored)
    return {
      line: line(
        stored.state,
        stored.channel,
        stored.reason,
        entry.message ?? explain(stored.reason, stored.facts, j.lang),
      ),
      decision: null,
    };
  if (g.kind === 'busy' || g.kind === 'confirm')
    return { line: line('busy', entry.channel, 'busy', BUSY), decision: null };
  const decision = await decisionOf(deps, { ...factsOf(item), licence: j.licence, now: j.now }, inv);
  if (decision === null) {
    const why = 'the Peppol network could not be asked; a dispatch retries later';
    return { line: line('skipped', null, 'skipped', why), decision: null };
  }
  const would = wouldBe(decision, j.now);
  return {
    // The message is the decision's own (a send reads "Ready: … will be sent …"): nothing went out yet.
    line: line(would.state, would.channel, would.reason, explain(decision.reason, decision.facts, j.lang)),
    decision,
  };
}

/**
 * The dispatch's own decision (rules 1–3, then dispatch/decide.ts `decideOnExact`), on the mirrored relation: a
 * plan reads no Exact account (decision 0095). Null: the Peppol network could not be asked.
 */
async function decisionOf(
  deps: Pick<DryRunDeps, 'peppol'>,
  input: InputBeforeExact,
  inv: ExactInvoiceState,
): Promise<Decision | null> {
  const first = decideWithoutExact(input);
  if (first.kind === 'decided') return first.decision;
  try {
    return await decideOnExact(deps.peppol, input, inv, first.administration);
  } catch (err) {
    if (err instanceof PeppolUnavailableError) return null;
    throw err;
  }
}

/**
 * What a dispatch would record for the decision: a refusal as `act` in dispatch/decide.ts records it; a send as
 * scheduled (its instant ahead), waiting for review, or as Exact's print would settle it (dispatch/print.ts).
 */
function wouldBe(
  decision: Decision,
  now: Date,
): {
  state: DispatchLine['outcome'];
  channel: string | null;
  reason: Exclude<Decision['reason'], 'ready'> | 'sent' | 'on_print_list' | 'email_review';
} {
  if (decision.kind !== 'send')
    return { state: refusalOf(decision).state, channel: null, reason: decision.reason };
  const { channel, sendAt } = decision.plan;
  if (sendAt && sendAt > now) return { state: 'scheduled', channel, reason: 'scheduled' };
  if (decision.plan.dynamicsMail?.review) return { state: 'review', channel, reason: 'email_review' };
  return channel === 'paper'
    ? { state: 'printList', channel, reason: 'on_print_list' }
    : { state: 'sent', channel, reason: 'sent' };
}

function unsavedContext(
  inv: ExactInvoiceState,
  admin: AdministrationFacts,
  relation: RelationFacts | null,
): InvoiceContext {
  const invoice = {
    rowId: '',
    name: inv.invoiceNumber ? String(inv.invoiceNumber) : rowLabel(inv),
    exactInvoiceId: inv.invoiceId.toLowerCase(),
    administrationId: admin.id,
    relationId: relation?.id ?? null,
    invoiceNumber: inv.invoiceNumber,
    invoiceDate: inv.invoiceDate,
    source: classifySource(inv),
    autoDispatch: true,
    extraText: null,
    resend: false,
    dispatchStatus: null,
    dispatchReason: null,
    dispatchChannel: null,
    dispatchMessage: null,
    scheduledFor: null,
    sentOn: null,
    ownerId: null,
  };
  return { invoice, relation, administration: admin };
}

/** The entry `ledger.ensure()` would make for a new invoice, kept in memory. */
function unsavedEntry(key: LedgerKey, rowId: string, now: Date): LedgerEntry {
  return {
    key,
    state: 'waiting',
    etag: '',
    leaseUntil: null,
    attempts: 0,
    reason: null,
    facts: null,
    message: null,
    channel: null,
    scheduledFor: null,
    sentOn: null,
    rowId: rowId || null,
    writebackPending: false,
    invoiceNumber: null,
    notifiedReason: null,
    history: [],
    updatedAt: now,
  };
}
