import type { ReasonCode } from '../reasons';
import { peppolNotRegistered, peppolSuffix } from './peppol';
import type { Words } from './words';
import { DYNAMICS_MAIL, dynamicsRecipientPhrase } from './dynamicsMail';

const RESEND = 'en zet daarna "Opnieuw verzenden" aan op de factuur';

function notOpen(w: Words): string {
  switch (w.facts.status) {
    case 10:
      return `Niet verzonden: ${w.invoice} is een concept (draft, status 10) in Exact Online. Concepten worden nooit automatisch verzonden; maak de factuur in Exact af zodat hij open staat, ${RESEND}.`;
    case 50:
      return `Niet opnieuw verzonden: AutoInvoice heeft ${w.invoice} al laten verwerken in Exact Online (status 50), en een verwerkte factuur wordt niet nog eens geprint. Stuur hem vanuit Exact Online (de pdf van de factuur) of met de hand naar de klant.`;
    case undefined:
      return `Niet verzonden: ${w.invoice} is niet gevonden in Exact Online in ${w.administration}; mogelijk is hij daar verwijderd.`;
    default:
      return `Niet verzonden: ${w.invoice} staat niet open in Exact Online (status ${w.facts.status}); alleen openstaande facturen (status 20) worden verzonden.`;
  }
}

function noChannel(w: Words): string {
  const stop = 'de automatische keuze stopt bij een uitgeschakeld kanaal';
  switch (w.facts.channel) {
    case 'peppol':
      return `Niet verzonden: ${w.relation} heeft factuurwijze automatisch, die eerst Peppol probeert, en Peppol is uitgeschakeld voor ${w.administration}; ${stop}, dus er wordt niet teruggevallen op e-mail of papier. Schakel Peppol in of geef de relatie een factuurwijze.`;
    case 'email':
      return `Niet verzonden: ${w.relation} heeft geen Peppol-id en e-mail is uitgeschakeld voor ${w.administration}; ${stop}, dus de factuur gaat ook niet op papier. Schakel e-mail in of geef de relatie een factuurwijze.`;
    default:
      return `Niet verzonden: ${w.relation} heeft geen Peppol-id en geen geldig e-mailadres, en papier is uitgeschakeld voor ${w.administration}.`;
  }
}

const SENT_TO_NL: Partial<Record<string, string>> = {
  email: 'het e-mailadres',
  peppol: 'het Peppol-id',
  postbox: 'de digitale postbox',
};

const MAIL = DYNAMICS_MAIL.nl;
/** The recipient phrase: the Dynamics route's own, else where Exact sends. */
const recipient = (w: Words): string =>
  w.facts.route === 'dynamics' ? dynamicsRecipientPhrase(w, 'nl') : w.recipient;

export const NL: Record<ReasonCode, (w: Words) => string> = {
  licence_missing: () =>
    'Niet verzonden: er is geen AutoInvoice-licentie geïnstalleerd voor deze organisatie. Installeer de licentie van de leverancier.',
  licence_invalid: (w) =>
    `Niet verzonden: de AutoInvoice-licentie is niet geldig${w.detailSuffix}. Installeer een licentie van de leverancier.`,
  licence_wrong_tenant: () =>
    'Niet verzonden: de geïnstalleerde AutoInvoice-licentie is uitgegeven aan een andere organisatie.',
  licence_expired: (w) =>
    `Niet verzonden: de AutoInvoice-licentie is verlopen${w.detailSuffix}. Vraag de leverancier om verlenging.`,
  licence_feature_missing: (w) => `Niet verzonden: de AutoInvoice-licentie dekt geen ${w.source}.`,
  administration_unknown: (w) => `Niet verzonden: ${w.administration} is niet ingericht in AutoInvoice.`,
  administration_disabled: (w) => `Niet verzonden: bij ${w.administration} staat "Facturen printen" uit.`,
  before_activation: (w) =>
    `Niet verzonden: ${w.invoice} is gedateerd ${w.date}, vóór de activeringsdatum van ${w.administration} in AutoInvoice (de achterstand blijft liggen); een beheerder neemt de factuur mee door de activeringsdatum terug te zetten.`,
  invoice_not_open: notOpen,
  invoice_opted_out: (w) =>
    `Niet verzonden: automatisch verzenden is uitgeschakeld op ${w.invoice} (afgemeld).`,
  source_disabled: (w) => `Niet verzonden: ${w.administration} verzendt geen ${w.source} automatisch.`,
  relation_unknown: (w) =>
    `Niet verzonden: ${w.relation} is niet bekend bij AutoInvoice in ${w.administration}.`,
  relation_disabled: (w) =>
    `Niet verzonden: ${w.relation} heeft automatisch factureren uitgeschakeld (handmatige controle).`,
  relation_prints_itself: (w) =>
    `Niet verzonden: bij ${w.relation} staat "Factuur printen en verzenden" aan: het kantoor print en verstuurt de facturen zelf.`,
  channel_disabled: (w) =>
    w.facts.channel === undefined
      ? `Niet verzonden: ${w.relation} heeft ${w.method}, die AutoInvoice niet kan gebruiken. Kies papier, e-mail, digitale postbox, Peppol of automatisch.`
      : `Niet verzonden: ${w.relation} wordt gefactureerd via ${w.channel}, maar ${w.channel} is uitgeschakeld voor ${w.administration}.`,
  email_missing: (w) =>
    w.facts.recipientSource !== undefined
      ? `Niet verzonden: ${w.relation} wordt per e-mail gefactureerd, maar Exact Online heeft er geen e-mailadres van${w.facts.contact ? `, ook niet van contactpersoon ${w.facts.contact} op de factuur` : ''}, dus Exact zou de factuur verwerken zonder hem te versturen. Vul het adres in bij de relatie in Dynamics (AutoInvoice schrijft het naar Exact) of in Exact Online ${RESEND}.`
      : `Niet verzonden: ${w.relation} wordt per e-mail gefactureerd maar heeft geen factuur-e-mailadres. Vul er een in ${RESEND}.`,
  email_invalid: (w) =>
    w.facts.recipientSource !== undefined
      ? `Niet verzonden: Exact Online zou ${w.invoice} sturen naar "${w.address}" (${w.facts.recipientSource === 'contactPerson' ? `het adres van contactpersoon ${w.facts.contact ?? ''} op de factuur` : `het e-mailadres dat Exact bij ${w.relation} heeft`}), en dat is niet één geldig e-mailadres; Exact mailt precies één adres. Corrigeer het in Dynamics of in Exact Online ${RESEND}.`
      : `Niet verzonden: de factuur-e-mailadressen van ${w.relation} zijn niet geldig ("${w.address}" is geen e-mailadres). Corrigeer ze ${RESEND}.`,
  peppol_id_missing: (w) =>
    w.facts.address === undefined
      ? `Niet verzonden: ${w.relation} wordt via Peppol gefactureerd maar heeft geen Peppol-id. Vul er een in (bijv. 0106:12345678) ${RESEND}.`
      : `Niet verzonden: ${w.relation} wordt via Peppol gefactureerd maar het Peppol-id "${w.address}" heeft niet de vorm schema:waarde (bijv. 0106:12345678). Corrigeer het ${RESEND}.`,
  peppol_not_registered: (w) => peppolNotRegistered(w, 'nl'),
  no_channel: noChannel,
  layout_missing: (w) =>
    w.facts.layoutName !== undefined
      ? `Niet verzonden: de ${w.facts.layout === 'email' ? 'e-mail-layout' : 'factuurlayout'} "${w.facts.layoutName}" van ${w.relation} bestaat niet meer in Exact Online (daar verwijderd), dus Exact zou het afdrukken weigeren. Kies een andere layout ${RESEND}.`
      : w.facts.layout === 'email'
        ? `Niet verzonden: ${w.relation} wordt per e-mail gefactureerd, maar er is geen e-mail-layout ingesteld bij de relatie en geen standaard bij ${w.administration}. Stel er een in ${RESEND}.`
        : `Niet verzonden: er is geen factuurlayout ingesteld bij ${w.relation} en geen standaard bij ${w.administration}. Stel er een in ${RESEND}.`,
  scheduled: (w) =>
    `Gepland: ${w.invoice} wordt op ${w.when} verzonden via ${w.channel}${recipient(w)}${peppolSuffix(w, 'nl')}.`,
  ready: (w) =>
    `Klaar: ${w.invoice} wordt zo dadelijk verzonden via ${w.channel}${recipient(w)}${peppolSuffix(w, 'nl')}.`,
  // Exact verstuurt naar wat zijn eigen relatie bevat (PRODUCT.md §11), niet naar de adressen in Dynamics.
  sent: (w) =>
    w.facts.route === 'dynamics'
      ? MAIL.sent(w)
      : w.recipient !== ''
        ? `Verzonden via ${w.channel}${w.facts.when ? ` op ${w.when}` : ''}: Exact Online stuurde hem${w.recipient}.`
        : `Verzonden via ${w.channel}${w.facts.when ? ` op ${w.when}` : ''}${SENT_TO_NL[w.facts.channel ?? 'paper'] ? `: Exact Online stuurde hem naar ${SENT_TO_NL[w.facts.channel ?? 'paper']} dat Exact Online bij ${w.relation} heeft` : ''}.`,
  sent_confirmed_after_lost_answer: (w) =>
    `Verzonden via ${w.channel}: het antwoord van Exact Online ging verloren, maar Exact toont ${w.invoice} als verwerkt, dus hij is verstuurd en niet nogmaals verzonden.`,
  on_print_list: (w) =>
    `Op de printlijst: Exact Online heeft ${w.invoice} verwerkt voor papier; hij staat op de printlijst van ${w.administration} in Exact Online en moet nog geprint en gepost worden.`,
  delivery_unconfirmed: (w) =>
    `Mislukt: Exact Online heeft ${w.invoice} verwerkt, maar het antwoord ging verloren, dus of hij via ${w.channel} is verstuurd is niet bekend. Controleer de factuur in Exact Online; als de klant hem niet kreeg, stuur de pdf dan met de hand (hij wordt niet opnieuw geprint).`,
  invoice_processed_elsewhere: (w) =>
    `Niet verzonden door AutoInvoice: ${w.invoice} is buiten AutoInvoice om verwerkt in Exact Online (bijvoorbeeld met de hand geprint).`,
  exact_channel_error: (w) =>
    `Mislukt: Exact Online heeft ${w.invoice} verwerkt maar kon hem niet verzenden via ${w.channel}${w.detailSuffix}. Exact Online print een factuur geen tweede keer: los de oorzaak op en verstuur hem met de hand vanuit Exact Online.`,
  exact_rejected: (w) =>
    `Mislukt: Exact Online weigerde ${w.invoice} te printen${w.detailSuffix}. Los de oorzaak op ${RESEND}.`,
  exact_connection_lost: (w) =>
    `Mislukt: de verbinding met Exact Online voor ${w.administration} is verbroken (aanmelding verlopen of ingetrokken). Verbind Exact Online opnieuw ${RESEND}.`,
  daily_budget_exhausted: (w) =>
    `Wacht: het dagelijkse aantal aanroepen naar Exact Online voor ${w.administration} is op; ${w.invoice} gaat mee met de planning van de volgende dag${w.facts.when ? `, op ${w.when}` : ''}.`,
  delivery_gave_up: (w) =>
    `Mislukt: ${w.invoice} kon na herhaalde tijdelijke fouten niet worden verwerkt${w.detailSuffix}. Zet "Opnieuw verzenden" aan om het nog eens te proberen.`,
  dataverse_rejected: (w) =>
    `Mislukt: Dynamics 365 weigerde een wijziging die AutoInvoice nodig heeft om ${w.invoice} te verzenden${w.detailSuffix}. Los de oorzaak op ${RESEND}.`,
  mailbox_missing: MAIL.mailbox_missing,
  email_pending: MAIL.email_pending,
  email_review: MAIL.email_review,
  email_send_failed: MAIL.email_send_failed,
  email_draft_deleted: MAIL.email_draft_deleted,
  ledger_unavailable: (w) =>
    `Wacht: het verzendlogboek van AutoInvoice is niet bereikbaar${w.detailSuffix}; ${w.invoice} wordt automatisch opnieuw geprobeerd.`,
};

export const NL_LICENCE_EXPIRING = (w: Words): string =>
  `De AutoInvoice-licentie verloopt op ${w.date} (over ${w.facts.days ?? '?'} ${w.facts.days === 1 ? 'dag' : 'dagen'}). Vraag de leverancier om verlenging, zodat facturen blijven uitgaan.`;
