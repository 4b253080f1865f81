/**
 * The decision (PRODUCT.md §4): rows 1–13 in order, the first that applies decides.
 * Pure and total: no I/O, no clock (now comes in), never throws, same input → same decision.
 */
import { textOrNull } from './addresses';
import { chooseChannel } from './channel';
import { asExactHasIt, asMirrored, oneAddress, receiverFacts } from './receiver';
import {
  dynamicsPlan,
  dynamicsRecipients,
  emailRouteOf,
  mailboxOf,
  mailFacts,
  recipientsText,
} from './dynamicsMail';
import { licenceCovers } from './licence';
import { peppolFacts } from './peppolFacts';
import { effectiveTimeZone, formatWallTime, invoiceDateSendInstant } from './timing';
import { EXACT_STATUS } from './types';
import type {
  AdministrationFacts,
  Decision,
  DecisionInput,
  MessageFacts,
  RelationFacts,
  SendPlan,
  Source,
} from './types';

const SOURCE_NAMES: Record<number, string> = {
  1: 'salesOrder',
  2: 'recurring',
  3: 'manual',
  4: 'otherApplication',
};

export function sourceName(source: Source | number): string {
  return SOURCE_NAMES[source] ?? String(source);
}

/** Facts every message may use; absent values are left out rather than set to undefined. */
export function baseFacts(input: InputBeforeExact): MessageFacts {
  const { invoice, administration, relation } = input;
  const facts: MessageFacts = { source: sourceName(invoice.source) };
  const relationName = textOrNull(relation?.name) ?? textOrNull(invoice.customerName);
  if (relationName !== null) facts.relation = relationName;
  const adminName = textOrNull(administration?.name);
  if (adminName !== null) facts.administration = adminName;
  if (typeof invoice.division === 'number') facts.division = invoice.division;
  if (typeof invoice.invoiceNumber === 'number') facts.invoice = String(invoice.invoiceNumber);
  if (invoice.creditNote === true) facts.document = 'creditNote';
  const date = textOrNull(invoice.invoiceDate);
  if (date !== null) facts.date = date;
  return facts;
}

/** The input of rules 1–3, which need nothing from Exact. */
export type InputBeforeExact = Omit<DecisionInput, 'invoice'> & {
  invoice: Omit<DecisionInput['invoice'], 'exactStatus'>;
};

/** Rules 1–3 decided, or the administration that rules 4–13 go on with once Exact's status is known. */
export type FirstStage =
  { kind: 'decided'; decision: Decision } | { kind: 'needsExact'; administration: AdministrationFacts };

/** The whole decision in one call (rules 1–13), for callers that already know Exact's status. */
export function decide(input: DecisionInput): Decision {
  const first = decideWithoutExact(input);
  return first.kind === 'decided' ? first.decision : decideWithExact(input, first.administration);
}

/**
 * Rules 1–3 (licence, feature, administration): decided before Exact is asked anything, so no status call is
 * spent on an invoice they stop. Each rule runs once per dispatch: rules 4–13 continue in `decideWithExact`.
 */
export function decideWithoutExact(input: InputBeforeExact): FirstStage {
  const facts = baseFacts(input);
  const { licence, administration, invoice } = input;
  const stop = (reason: Extract<Decision, { kind: 'ignore' }>['reason']): FirstStage => ({
    kind: 'decided',
    decision: { kind: 'ignore', reason, facts },
  });
  // 1–2 licence, then the feature for this invoice's source.
  if (!licence.ok) return stop(licence.reason);
  if (!licenceCovers(licence, invoice.source)) return stop('licence_feature_missing');
  // 3 administration.
  if (administration === null) return stop('administration_unknown');
  if (administration.printInvoices !== true) return stop('administration_disabled');
  // 3b the backlog: dated before the activation date (PRODUCT.md §14–15); moving the date back includes it.
  const from = textOrNull(administration.activeFrom);
  if (from !== null && textOrNull(invoice.invoiceDate) !== null && invoice.invoiceDate < from)
    return stop('before_activation');
  return { kind: 'needsExact', administration };
}

/** Rules 4–13, for an invoice that rules 1–3 let through (`administration` is theirs). */
export function decideWithExact(input: DecisionInput, administration: AdministrationFacts): Decision {
  const stopped = stopsBeforeChannel(input, administration);
  if (stopped !== null) return stopped;
  const facts = baseFacts(input);
  const relation = input.relation as RelationFacts;
  const invoice = input.invoice;
  // 9–11 method and channel, on what Exact will send with once it was read (decision 0070); on the
  // Dynamics route (PRODUCT.md §12) the email's recipients are Dynamics' own, and Exact sends nothing.
  const receiver = input.receiver;
  const seen = receiver ? asExactHasIt(relation, receiver) : asMirrored(relation);
  const mail =
    emailRouteOf(relation, administration) === 'dynamics'
      ? dynamicsRecipients(invoice, relation, administration)
      : null;
  const choice = chooseChannel(
    mail ? { ...seen, invoiceEmail: recipientsText(mail) } : seen,
    administration,
    input.peppol,
  );
  const byDynamics = mail !== null && choice.channel === 'email';
  const withChoice: MessageFacts = { ...facts, ...peppolFacts(input.peppol), method: choice.method };
  if (choice.channel !== null) withChoice.channel = choice.channel;
  if (receiver) Object.assign(withChoice, receiverFacts(receiver, byDynamics ? null : choice.channel));
  if (byDynamics) Object.assign(withChoice, mailFacts(mail));
  if (
    receiver &&
    !byDynamics &&
    choice.ok &&
    choice.channel === 'email' &&
    !oneAddress(choice.emailAddresses)
  ) {
    return { kind: 'fail', reason: 'email_invalid', facts: withChoice };
  }
  if (!choice.ok) {
    if (
      (choice.reason === 'email_invalid' || choice.reason === 'peppol_id_missing') &&
      choice.address !== null &&
      (!receiver || byDynamics)
    ) {
      withChoice.address = choice.address;
    }
    if (choice.reason === 'channel_disabled' || choice.reason === 'no_channel') {
      return { kind: 'ignore', reason: choice.reason, facts: withChoice };
    }
    return { kind: 'fail', reason: choice.reason, facts: withChoice };
  }
  const mailbox = mailboxOf(administration);
  if (byDynamics && mailbox === null) return { kind: 'fail', reason: 'mailbox_missing', facts: withChoice };
  // 12 layouts: set, and still in Exact (the mirror marks one Exact deleted), checked before printing.
  const layouts = chooseLayouts(relation, administration, choice.channel === 'email' && !byDynamics);
  if (!layouts.ok)
    return { kind: 'fail', reason: 'layout_missing', facts: { ...withChoice, ...layouts.facts } };
  const { documentLayout, emailLayout } = layouts;
  // 13 send, now or at 00:05 on the invoice date.
  const sendAt = sendInstant(input);
  // Without Exact's account read (a plan, or an account Exact did not return), Exact still mails the one
  // address it holds: the mirror keeps Exact's first (decisions 0070, 0130), so only that one is named.
  const emailAddresses = !receiver && !byDynamics ? choice.emailAddresses.slice(0, 1) : choice.emailAddresses;
  const plan: SendPlan = {
    channel: choice.channel,
    documentLayout,
    emailLayout,
    extraText: extraTextFor(invoice.extraText, administration.extraText),
    senderEmail: textOrNull(administration.senderEmail),
    emailAddresses,
    sendAt,
  };
  if (byDynamics && mail.kind === 'valid' && mailbox !== null)
    plan.dynamicsMail = dynamicsPlan(mail, relation, administration, mailbox);
  if (emailAddresses.length > 0 && !receiver && !byDynamics) withChoice.address = emailAddresses[0];
  if (sendAt === null) return { kind: 'send', plan, reason: 'ready', facts: withChoice };
  const zone = effectiveTimeZone(administration.timeZone);
  return {
    kind: 'send',
    plan,
    reason: 'scheduled',
    facts: { ...withChoice, when: formatWallTime(sendAt, zone), zone },
  };
}

/**
 * Rules 4–8 (open in Exact, opt-out, source, relation): the decision when one of them stops the invoice before
 * its channel is chosen, else null. Callers that read Exact or the Peppol network for the channel rules ask
 * this first, so an invoice these rules stop costs no such read.
 */
export function stopsBeforeChannel(
  input: DecisionInput,
  administration: AdministrationFacts,
): Decision | null {
  const facts = baseFacts(input);
  const { relation, invoice } = input;
  // 4 open in Exact (20); drafts (10), processed (50) and not found (null) are never sent automatically.
  // A processed invoice: by AutoInvoice's own print (a resend after a channel error), or by someone else.
  if (invoice.exactStatus === EXACT_STATUS.processed && invoice.printedByAutoInvoice !== true) {
    return {
      kind: 'ignore',
      reason: 'invoice_processed_elsewhere',
      facts: withStatus(facts, invoice.exactStatus),
    };
  }
  if (invoice.exactStatus !== EXACT_STATUS.open) {
    return { kind: 'ignore', reason: 'invoice_not_open', facts: withStatus(facts, invoice.exactStatus) };
  }
  // 5 the per-invoice opt-out; the column defaults to yes, so only an explicit no opts out.
  if (invoice.autoDispatch === false) return { kind: 'optedOut', reason: 'invoice_opted_out', facts };
  // 6 source.
  if (!Array.isArray(administration.sources) || !administration.sources.includes(invoice.source)) {
    return { kind: 'ignore', reason: 'source_disabled', facts };
  }
  // 7–8 relation.
  if (relation === null) return { kind: 'ignore', reason: 'relation_unknown', facts };
  if (relation.autoInvoice !== true) return { kind: 'ignore', reason: 'relation_disabled', facts };
  if (relation.printAndSend === true) return { kind: 'ignore', reason: 'relation_prints_itself', facts };
  return null;
}

function withStatus(facts: MessageFacts, status: unknown): MessageFacts {
  return typeof status === 'number' ? { ...facts, status } : facts;
}

/** The invoice's text, else the administration's; a blank text counts as none. Kept as written (line breaks matter). */
function extraTextFor(invoiceText: string | null, administrationText: string | null): string | null {
  if (textOrNull(invoiceText) !== null) return invoiceText;
  return textOrNull(administrationText) !== null ? administrationText : null;
}

type LayoutChoice =
  | { ok: true; documentLayout: string; emailLayout: string | null }
  | { ok: false; facts: Pick<MessageFacts, 'layout' | 'layoutName'> };

/** The relation's layouts, else the administration's defaults; one Exact no longer has blocks, named. */
function chooseLayouts(relation: RelationFacts, admin: AdministrationFacts, email: boolean): LayoutChoice {
  const names = { ...admin.layoutNames, ...relation.layoutNames };
  const document = layoutOf(
    [relation.layout, relation.layoutGone],
    [admin.defaultLayout, admin.defaultLayoutGone],
  );
  const mail = email
    ? layoutOf(
        [relation.emailLayout, relation.emailLayoutGone],
        [admin.defaultEmailLayout, admin.defaultEmailLayoutGone],
      )
    : null;
  for (const [kind, l] of [
    ['document', document],
    ['email', mail],
  ] as const) {
    if (kind === 'email' && !email) continue;
    if (l === null || l.id === null) return { ok: false, facts: { layout: kind } };
    if (l.gone) return { ok: false, facts: { layout: kind, layoutName: names[l.id] ?? l.id } };
  }
  return { ok: true, documentLayout: document.id as string, emailLayout: mail?.id ?? null };
}

/** The first layout set of [own, fallback], and whether its mirror says Exact no longer has it. */
function layoutOf(...options: Array<[id: string | null, gone: boolean | undefined]>): {
  id: string | null;
  gone: boolean;
} {
  for (const [id, gone] of options) {
    const set = textOrNull(id);
    if (set !== null) return { id: set, gone: gone === true };
  }
  return { id: null, gone: false };
}

/**
 * null = now. On-invoice-date timing waits for 00:05 local on that date unless that moment has passed
 * (dated today or earlier, backdated import). An unreadable date or clock sends now (ADR 0004).
 */
function sendInstant(input: DecisionInput): Date | null {
  const administration = input.administration as AdministrationFacts;
  if (administration.timing !== 'onInvoiceDate') return null;
  const at = invoiceDateSendInstant(input.invoice.invoiceDate, administration.timeZone);
  const now = input.now instanceof Date ? input.now.getTime() : Number.NaN;
  if (at === null || !Number.isFinite(now) || at.getTime() <= now) return null;
  return at;
}
