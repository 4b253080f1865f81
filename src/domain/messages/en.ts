import type { ReasonCode } from '../reasons';
import { peppolNotRegistered, peppolSuffix } from './peppol';
import type { Words } from './words';
import { DYNAMICS_MAIL, dynamicsRecipientPhrase } from './dynamicsMail';

const RESEND = 'then set "Resend" on the invoice';

function notOpen(w: Words): string {
  switch (w.facts.status) {
    case 10:
      return `Not sent: ${w.invoice} is a draft in Exact Online (status 10). Drafts are never sent automatically; finish it in Exact so that it becomes open, ${RESEND}.`;
    case 50:
      return `Not sent again: AutoInvoice already had ${w.invoice} processed in Exact Online (status 50), and a processed invoice is not printed a second time. Send it to the customer from Exact Online (the invoice's PDF) or by hand.`;
    case undefined:
      return `Not sent: ${w.invoice} was not found in Exact Online in ${w.administration}; it may have been deleted there.`;
    default:
      return `Not sent: ${w.invoice} is not open in Exact Online (status ${w.facts.status}); only open invoices (status 20) are sent.`;
  }
}

function noChannel(w: Words): string {
  const stop = 'automatic dispatch stops at a switched-off channel';
  switch (w.facts.channel) {
    case 'peppol':
      return `Not sent: ${w.relation} has invoice method automatic, which tries Peppol first, and Peppol is switched off for ${w.administration}; ${stop}, so it does not fall back to email or paper. Switch Peppol on or give the relation an invoice method.`;
    case 'email':
      return `Not sent: ${w.relation} has no Peppol id and email is switched off for ${w.administration}; ${stop}, so the invoice is not sent on paper either. Switch email on or give the relation an invoice method.`;
    default:
      return `Not sent: ${w.relation} has no Peppol id and no valid email address, and paper is switched off for ${w.administration}.`;
  }
}

const SENT_TO_EN: Partial<Record<string, string>> = {
  email: 'email address',
  peppol: 'Peppol id',
  postbox: 'digital postbox',
};

const MAIL = DYNAMICS_MAIL.en;
/** The recipient phrase: the Dynamics route's own, else where Exact sends. */
const recipient = (w: Words): string =>
  w.facts.route === 'dynamics' ? dynamicsRecipientPhrase(w, 'en') : w.recipient;

export const EN: Record<ReasonCode, (w: Words) => string> = {
  licence_missing: () =>
    'Not sent: no AutoInvoice licence is installed for this organisation. Install the licence from the vendor.',
  licence_invalid: (w) =>
    `Not sent: the AutoInvoice licence is not valid${w.detailSuffix}. Install a licence issued by the vendor.`,
  licence_wrong_tenant: () =>
    'Not sent: the installed AutoInvoice licence was issued to another organisation.',
  licence_expired: (w) =>
    `Not sent: the AutoInvoice licence has expired${w.detailSuffix}. Ask the vendor for a renewal.`,
  licence_feature_missing: (w) => `Not sent: the AutoInvoice licence does not cover ${w.source}.`,
  administration_unknown: (w) => `Not sent: ${w.administration} is not set up in AutoInvoice.`,
  administration_disabled: (w) => `Not sent: ${w.administration} has "Print invoices" switched off.`,
  before_activation: (w) =>
    `Not sent: ${w.invoice} is dated ${w.date}, before the activation date of ${w.administration} in AutoInvoice (the backlog is left alone); an operator includes it by moving the activation date back.`,
  invoice_not_open: notOpen,
  invoice_opted_out: (w) => `Not sent: automatic dispatch is switched off on ${w.invoice} (opted out).`,
  source_disabled: (w) => `Not sent: ${w.administration} does not send ${w.source} automatically.`,
  relation_unknown: (w) => `Not sent: ${w.relation} is not known to AutoInvoice in ${w.administration}.`,
  relation_disabled: (w) => `Not sent: ${w.relation} has auto-invoice switched off (manual check).`,
  relation_prints_itself: (w) =>
    `Not sent: ${w.relation} has "Print and send invoice" set: the office prints and sends its invoices itself.`,
  channel_disabled: (w) =>
    w.facts.channel === undefined
      ? `Not sent: ${w.relation} has ${w.method}, which AutoInvoice cannot use. Choose paper, email, digital postbox, Peppol or automatic.`
      : `Not sent: ${w.relation} is invoiced by ${w.channel}, but ${w.channel} is switched off for ${w.administration}.`,
  email_missing: (w) =>
    w.facts.recipientSource !== undefined
      ? `Not sent: ${w.relation} is invoiced by email, but Exact Online holds no email address for it${w.facts.contact ? ` nor for contact person ${w.facts.contact} on the invoice` : ''}, so Exact would process the invoice without sending it. Add the address on the relation in Dynamics (AutoInvoice writes it to Exact) or in Exact Online, ${RESEND}.`
      : `Not sent: ${w.relation} is invoiced by email but has no invoice email address. Add one, ${RESEND}.`,
  email_invalid: (w) =>
    w.facts.recipientSource !== undefined
      ? `Not sent: Exact Online would send ${w.invoice} to "${w.address}" (${w.facts.recipientSource === 'contactPerson' ? `the address of contact person ${w.facts.contact ?? ''} on the invoice` : `the email address it holds for ${w.relation}`}), which is not one valid email address; Exact mails exactly one address. Correct it in Dynamics or in Exact Online, ${RESEND}.`
      : `Not sent: the invoice email addresses of ${w.relation} are not valid ("${w.address}" is not an email address). Correct them, ${RESEND}.`,
  peppol_id_missing: (w) =>
    w.facts.address === undefined
      ? `Not sent: ${w.relation} is invoiced via Peppol but has no Peppol id. Add one (e.g. 0106:12345678), ${RESEND}.`
      : `Not sent: ${w.relation} is invoiced via Peppol but its Peppol id "${w.address}" is not of the form scheme:value (e.g. 0106:12345678). Correct it, ${RESEND}.`,
  peppol_not_registered: (w) => peppolNotRegistered(w, 'en'),
  no_channel: noChannel,
  layout_missing: (w) =>
    w.facts.layoutName !== undefined
      ? `Not sent: the ${w.facts.layout === 'email' ? 'email text layout' : 'invoice layout'} "${w.facts.layoutName}" used for ${w.relation} no longer exists in Exact Online (deleted there), so Exact would refuse the print. Choose another layout, ${RESEND}.`
      : w.facts.layout === 'email'
        ? `Not sent: ${w.relation} is invoiced by email, but no email text layout is set for the relation nor as default for ${w.administration}. Set one, ${RESEND}.`
        : `Not sent: no invoice layout is set for ${w.relation} nor as default for ${w.administration}. Set one, ${RESEND}.`,
  scheduled: (w) =>
    `Scheduled: ${w.invoice} will be sent by ${w.channel}${recipient(w)} on ${w.when}${peppolSuffix(w, 'en')}.`,
  ready: (w) =>
    `Ready: ${w.invoice} will be sent by ${w.channel}${recipient(w)} shortly${peppolSuffix(w, 'en')}.`,
  // Exact sends to what its own account holds (PRODUCT.md §11), not to the addresses Dynamics shows: the
  // message names where Exact sent it, never the Dynamics addresses (decision 0024, issue 14).
  sent: (w) =>
    w.facts.route === 'dynamics'
      ? MAIL.sent(w)
      : w.recipient !== ''
        ? `Sent by ${w.channel}${w.facts.when ? ` on ${w.when}` : ''}: Exact Online sent it${w.recipient}.`
        : `Sent by ${w.channel}${w.facts.when ? ` on ${w.when}` : ''}${SENT_TO_EN[w.facts.channel ?? 'paper'] ? `: Exact Online sent it to the ${SENT_TO_EN[w.facts.channel ?? 'paper']} that Exact Online holds for ${w.relation}` : ''}.`,
  sent_confirmed_after_lost_answer: (w) =>
    `Sent by ${w.channel}: Exact Online's answer was lost, but Exact shows ${w.invoice} processed, so it went out and was not sent again.`,
  on_print_list: (w) =>
    `On the print list: Exact Online processed ${w.invoice} for paper; it is on the print list of ${w.administration} in Exact Online and still has to be printed and posted.`,
  delivery_unconfirmed: (w) =>
    `Failed: Exact Online processed ${w.invoice}, but its answer was lost, so whether it went out by ${w.channel} is not known. Check the invoice in Exact Online; if it did not reach the customer, send its PDF by hand (it is not printed again).`,
  invoice_processed_elsewhere: (w) =>
    `Not sent by AutoInvoice: ${w.invoice} was processed in Exact Online outside AutoInvoice (for example printed by hand).`,
  exact_channel_error: (w) =>
    // Exact processed the invoice all the same (it prints once): a Resend cannot send it again (issue 18 review).
    `Failed: Exact Online processed ${w.invoice} but could not send it by ${w.channel}${w.detailSuffix}. Exact Online does not print an invoice twice: fix the cause and send it from Exact Online by hand.`,
  exact_rejected: (w) =>
    `Failed: Exact Online refused to print ${w.invoice}${w.detailSuffix}. Fix the cause, ${RESEND}.`,
  exact_connection_lost: (w) =>
    `Failed: the connection to Exact Online for ${w.administration} is lost (sign-in expired or revoked). Reconnect Exact Online, ${RESEND}.`,
  daily_budget_exhausted: (w) =>
    `Waiting: today's Exact Online call limit for ${w.administration} is used up; ${w.invoice} goes out on the next day's schedule${w.facts.when ? `, at ${w.when}` : ''}.`,
  delivery_gave_up: (w) =>
    `Failed: ${w.invoice} could not be processed after repeated temporary errors${w.detailSuffix}. Set "Resend" to try again.`,
  dataverse_rejected: (w) =>
    `Failed: Dynamics 365 refused a change AutoInvoice needs to dispatch ${w.invoice}${w.detailSuffix}. Fix the cause, ${RESEND}.`,
  mailbox_missing: MAIL.mailbox_missing,
  email_pending: MAIL.email_pending,
  email_review: MAIL.email_review,
  email_send_failed: MAIL.email_send_failed,
  email_draft_deleted: MAIL.email_draft_deleted,
  ledger_unavailable: (w) =>
    `Waiting: the AutoInvoice dispatch ledger cannot be reached${w.detailSuffix}; ${w.invoice} is tried again automatically.`,
};

export const EN_LICENCE_EXPIRING = (w: Words): string =>
  `The AutoInvoice licence expires on ${w.date} (in ${w.facts.days ?? '?'} day${w.facts.days === 1 ? '' : 's'}). Ask the vendor for a renewal to keep invoices going out.`;
