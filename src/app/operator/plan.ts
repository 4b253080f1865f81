/**
 * The operator's plan (PRODUCT.md §14): a dry run for one administration or a selection of rows. Per invoice
 * the decision as a dispatch now would make it (channel, recipients, layouts, when, or the blocker); per
 * relation the current and the proposed method; counts. Same reads and rules as a dispatch (dryRun.ts);
 * nothing is printed, written, enqueued or notified. With `since` the administration is judged as if it
 * were activated with that backlog date (the activation preview).
 */
import { asMirrored, chooseChannel, explain, methodName, resolveMethod } from '../../domain';
import { consultsPeppol } from '../../domain/channel';
import type { DefinitiveAnswer } from '../../domain/peppol';
import { identifiersOf } from '../dispatch/peppol';
import type { ReasonCode } from '../../domain/reasons';
import type { AdministrationFacts, Decision, MessageFacts, RelationFacts } from '../../domain/types';
import { contextsOf, judge, type Judged } from '../dryRun';
import type { ExactInvoiceState, InvoiceContext } from '../ports';
import { OperatorInputError, type OperatorTenant } from './ports';
import { checkSpf, type SpfCheck } from './spf';

export interface PlanItem {
  rowId: string | null;
  invoiceId: string;
  invoice: string;
  relation: string;
  date: string | null;
  outcome: string;
  reason: string;
  message: string;
  channel: string | null;
  recipients: string[];
  documentLayout: string | null;
  emailLayout: string | null;
  /** ISO instant of a scheduled send; null = now (or not sent). */
  sendAt: string | null;
}

export interface RelationPlan {
  relation: string;
  /** The method configured now: the relation's, else the administration's default, else automatic. */
  current: string;
  /** The channel AutoInvoice would use, or null with the blocker. */
  proposed: string | null;
  blocker: string | null;
}

export interface Plan {
  tenant: string;
  administration: { name: string; division: number; printInvoices: boolean; activeFrom: string | null };
  items: PlanItem[];
  relations: RelationPlan[];
  counts: Record<string, number>;
  /** The sender domain's SPF verdict, when Exact sends email "from" it (decision 0094). */
  deliverability: SpfCheck | null;
}

export interface PlanRequest {
  division: number;
  /** Judge as if activated with this backlog date (YYYY-MM-DD). */
  since?: string;
}

/** Every open invoice of one administration, judged now. */
export async function planAdministration(t: OperatorTenant, req: PlanRequest): Promise<Plan> {
  const admin = judgedAdministration(await administrationOf(t, req.division), req.since);
  const now = t.deps.clock.now();
  const j: Judged = {
    admin,
    licence: await t.deps.tenant.licence(now),
    lang: await t.deps.tenant.language(),
    now,
  };
  const open: ExactInvoiceState[] = [];
  for await (const inv of t.deps.exact.listOpenInvoices(admin.division)) open.push(inv);
  const contexts = await contextsOf(t.deps, admin, open);
  const items: PlanItem[] = [];
  for (const inv of open) {
    const ctx = withAdministration(contexts.get(inv.invoiceId.toLowerCase())!, admin);
    const { line, decision } = await judge(t.deps, ctx, inv, j);
    items.push({
      rowId: ctx.invoice.rowId || null,
      invoiceId: line.invoiceId,
      invoice: line.invoice,
      relation: line.relation,
      // The row's date, which the decision reads (the sweep copied it from Exact).
      date: ctx.invoice.invoiceDate ?? (inv.invoiceDate || null),
      outcome: line.outcome,
      reason: line.reason,
      message: line.message,
      channel: line.channel,
      ...sendDetails(decision),
    });
  }
  const relations = await relationPlans(t, admin, j);
  const deliverability = await spfOf(t, admin, items, j);
  return {
    tenant: t.name,
    administration: describe(admin),
    items,
    relations,
    counts: countsOf(items),
    deliverability,
  };
}

/** Only where Exact sends email from the administration's own sender address. */
function spfOf(
  t: OperatorTenant,
  admin: AdministrationFacts,
  items: PlanItem[],
  j: Judged,
): Promise<SpfCheck | null> {
  const byEmail = items.some(
    (i) => i.channel === 'email' && (i.outcome === 'sent' || i.outcome === 'scheduled'),
  );
  const sender = admin.senderEmail?.trim();
  if (!byEmail || !sender || !sender.includes('@')) return Promise.resolve(null);
  return checkSpf(t.dns, sender, j.lang);
}

export async function administrationOf(t: OperatorTenant, division: number): Promise<AdministrationFacts> {
  const admin = (await t.deps.directory.administrations()).find((a) => a.division === division);
  if (!admin) throw new OperatorInputError(`administration ${division} is not known in Dataverse`, 404);
  return admin;
}

function judgedAdministration(admin: AdministrationFacts, since: string | undefined): AdministrationFacts {
  return since === undefined ? admin : { ...admin, printInvoices: true, activeFrom: since };
}

function withAdministration(ctx: InvoiceContext, admin: AdministrationFacts): InvoiceContext {
  return ctx.administration?.id === admin.id ? { ...ctx, administration: admin } : ctx;
}

function sendDetails(d: Decision | null) {
  if (d?.kind !== 'send') return { recipients: [], documentLayout: null, emailLayout: null, sendAt: null };
  return {
    recipients: d.plan.emailAddresses,
    documentLayout: d.plan.documentLayout,
    emailLayout: d.plan.emailLayout,
    sendAt: d.plan.sendAt?.toISOString() ?? null,
  };
}

async function relationPlans(t: OperatorTenant, admin: AdministrationFacts, j: Judged) {
  const relations: RelationFacts[] = await t.deps.directory.relations(admin.id);
  const plans: RelationPlan[] = [];
  for (const r of relations) plans.push(await relationPlan(t, r, admin, j));
  return plans.sort((a, b) => a.relation.localeCompare(b.relation));
}

/** The Peppol network's answer for a relation whose method asks it, as a dispatch asks (PRODUCT.md §13). */
async function peppolOf(
  t: OperatorTenant,
  r: RelationFacts,
  admin: AdministrationFacts,
): Promise<DefinitiveAnswer | 'unknown' | undefined> {
  if (!t.deps.peppol || !consultsPeppol(r, admin)) return undefined;
  const { answer } = await t.deps.peppol.receiver(identifiersOf(r), 'invoice');
  return answer.kind === 'unknown' ? 'unknown' : answer;
}

const PEPPOL_UNKNOWN = {
  en: 'The Peppol network could not be asked now; the dispatch asks again before printing.',
  nl: 'Het Peppol-netwerk kon nu niet worden geraadpleegd; bij verzending wordt het vóór het printen opnieuw gevraagd.',
} as const;

/** Rules 7–11 for the relation alone (PRODUCT.md §4): switched off, prints itself, or the channel chain. */
async function relationPlan(
  t: OperatorTenant,
  mirrored: RelationFacts,
  admin: AdministrationFacts,
  j: Judged,
): Promise<RelationPlan> {
  // As the decision sees it: without a method of its own, the invoice account's.
  const r = asMirrored(mirrored);
  const current = methodName(resolveMethod(r, admin)) ?? `method ${resolveMethod(r, admin)}`;
  const facts: MessageFacts = { relation: r.name, administration: admin.name, division: admin.division };
  const blocked = (reason: ReasonCode, f: MessageFacts = facts): RelationPlan => ({
    relation: r.name,
    current,
    proposed: null,
    blocker: explain(reason, f, j.lang),
  });
  if (r.autoInvoice !== true) return blocked('relation_disabled');
  if (r.printAndSend === true) return blocked('relation_prints_itself');
  const peppol = await peppolOf(t, r, admin);
  if (peppol === 'unknown')
    return { relation: r.name, current, proposed: null, blocker: PEPPOL_UNKNOWN[j.lang] };
  const choice = chooseChannel(r, admin, peppol);
  if (choice.ok) return { relation: r.name, current, proposed: choice.channel, blocker: null };
  const withChoice: MessageFacts = { ...facts, method: choice.method };
  if (choice.channel) withChoice.channel = choice.channel;
  if ('address' in choice && choice.address !== null) withChoice.address = choice.address;
  return blocked(choice.reason, withChoice);
}

export function countsOf(items: Array<{ outcome: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.outcome] = (counts[i.outcome] ?? 0) + 1;
  return counts;
}

function describe(a: AdministrationFacts): Plan['administration'] {
  return {
    name: a.name,
    division: a.division,
    printInvoices: a.printInvoices,
    activeFrom: a.activeFrom ?? null,
  };
}
