/**
 * Messages of the Dynamics route (PRODUCT.md §12): the email is sent by Dynamics 365 from the
 * administration's mailbox, so these name Dynamics 365 as the sender and the recipients it was given.
 */
import type { Language } from '../types';
import type { Words } from './words';

type Texts = Record<
  'mailbox_missing' | 'email_pending' | 'email_review' | 'email_send_failed' | 'email_draft_deleted' | 'sent',
  (w: Words) => string
>;

function to(w: Words, lang: Language): string {
  const f = w.facts;
  if (f.address === undefined) return '';
  const cc = f.cc ? (lang === 'nl' ? `, cc ${f.cc}` : `, cc ${f.cc}`) : '';
  return `${lang === 'nl' ? ' naar' : ' to'} ${f.address}${cc}`;
}

function copy(w: Words, lang: Language): string {
  if (w.facts.copy === undefined) return '';
  return lang === 'nl'
    ? ' (opnieuw, als kopie van het document dat Exact Online al had gemaakt; niet opnieuw geprint)'
    : ' (again, a copy of the document Exact Online had already made; not printed again)';
}

const EN: Texts = {
  mailbox_missing: (w) =>
    `Not sent: ${w.administration} sends invoice email from Dynamics 365, but no mailbox is set to send it from. Choose the mailbox on the administration, then set "Resend" on the invoice.`,
  email_pending: (w) =>
    `Sending: Exact Online processed ${w.invoice} and Dynamics 365 is sending it by email${to(w, 'en')}${copy(w, 'en')}; waiting for Dynamics 365 to report that it went out.`,
  email_review: (w) =>
    `Waiting for review: the email with ${w.invoice}${to(w, 'en')} is a draft in Dynamics 365 (on the invoice's timeline). Check it and send it; deleting the draft means the invoice is not sent.`,
  email_send_failed: (w) =>
    `Failed: Dynamics 365 could not send the email with ${w.invoice}${to(w, 'en')}${w.detailSuffix}. Exact Online has processed the invoice; fix the mailbox or the address, then set "Resend": the document is emailed again, not printed again.`,
  email_draft_deleted: (w) =>
    `Failed: the draft email with ${w.invoice} that was waiting for review was deleted in Dynamics 365, so it was not sent. Exact Online has processed the invoice; set "Resend" to make a new draft (it is not printed again).`,
  sent: (w) =>
    `Sent by email from Dynamics 365${w.facts.when ? ` on ${w.when}` : ''}: Dynamics 365 reported it sent${to(w, 'en')}${copy(w, 'en')}.`,
};

const NL: Texts = {
  mailbox_missing: (w) =>
    `Niet verzonden: ${w.administration} verstuurt factuur-e-mail vanuit Dynamics 365, maar er is geen postvak ingesteld om vanuit te versturen. Kies het postvak bij de administratie en zet daarna "Opnieuw verzenden" aan op de factuur.`,
  email_pending: (w) =>
    `Bezig: Exact Online heeft ${w.invoice} verwerkt en Dynamics 365 verstuurt hem per e-mail${to(w, 'nl')}${copy(w, 'nl')}; wachten tot Dynamics 365 meldt dat hij verstuurd is.`,
  email_review: (w) =>
    `Wacht op controle: de e-mail met ${w.invoice}${to(w, 'nl')} staat als concept in Dynamics 365 (op de tijdlijn van de factuur). Controleer en verstuur hem; wie het concept verwijdert, verstuurt de factuur niet.`,
  email_send_failed: (w) =>
    `Mislukt: Dynamics 365 kon de e-mail met ${w.invoice}${to(w, 'nl')} niet versturen${w.detailSuffix}. Exact Online heeft de factuur verwerkt; herstel het postvak of het adres en zet daarna "Opnieuw verzenden" aan: het document wordt opnieuw gemaild, niet opnieuw geprint.`,
  email_draft_deleted: (w) =>
    `Mislukt: het concept van de e-mail met ${w.invoice} dat op controle wachtte is in Dynamics 365 verwijderd, dus hij is niet verstuurd. Exact Online heeft de factuur verwerkt; zet "Opnieuw verzenden" aan voor een nieuw concept (hij wordt niet opnieuw geprint).`,
  sent: (w) =>
    `Verzonden per e-mail vanuit Dynamics 365${w.facts.when ? ` op ${w.when}` : ''}: Dynamics 365 meldt hem verstuurd${to(w, 'nl')}${copy(w, 'nl')}.`,
};

export const DYNAMICS_MAIL: Record<Language, Texts> = { en: EN, nl: NL };

/** The recipient phrase of ready/scheduled messages on the Dynamics route: " from Dynamics 365 to …". */
export function dynamicsRecipientPhrase(w: Words, lang: Language): string {
  return `${lang === 'nl' ? ' vanuit Dynamics 365' : ' from Dynamics 365'}${to(w, lang)}`;
}
