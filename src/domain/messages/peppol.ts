/**
 * The Peppol lookup in messages (issue 16): which identifier was found, which were tried, and what a person
 * does when the receiver is not on Peppol. Dutch and English side by side, as one rule.
 */
import type { Language } from '../types';
import type { Words } from './words';

const RESEND: Record<Language, string> = {
  nl: 'en zet daarna "Opnieuw verzenden" aan op de factuur',
  en: 'then set "Resend" on the invoice',
};

function documentWord(w: Words, lang: Language): string {
  const credit = w.facts.document === 'creditNote';
  if (lang === 'nl') return credit ? 'BIS Billing 3.0-creditnota' : 'BIS Billing 3.0-factuur';
  return credit ? 'BIS Billing 3.0 credit note' : 'BIS Billing 3.0 invoice';
}

/** ` (not registered under 0106:…, 9944:…)`, the identifier registered for other documents only, or none to try. */
function lookupPart(w: Words, lang: Language): string {
  const { peppolTried: tried, peppolWrongDocument: wrong } = w.facts;
  if (tried === undefined) {
    return lang === 'nl'
      ? ' (er is geen Peppol-id, KvK-, OIN- of btw-nummer om op te zoeken)'
      : ' (it has no Peppol id, KvK, OIN or VAT number to look up)';
  }
  if (lang === 'nl') {
    return wrong
      ? ` (wel aangemeld als ${wrong}, maar niet voor dit document; geprobeerd: ${tried})`
      : ` (niet aangemeld onder ${tried})`;
  }
  return wrong
    ? ` (registered as ${wrong}, but not for this document; tried: ${tried})`
    : ` (not registered under ${tried})`;
}

export function peppolNotRegistered(w: Words, lang: Language): string {
  const doc = documentWord(w, lang);
  const found = lookupPart(w, lang);
  const required = w.facts.method === 'automatic';
  if (lang === 'nl') {
    const who = required
      ? `${w.administration} vereist Peppol, en ${w.relation} kan op het Peppol-netwerk geen ${doc} ontvangen${found}. De factuur gaat niet per e-mail of op papier`
      : `${w.relation} wordt via Peppol gefactureerd, maar kan op het Peppol-netwerk geen ${doc} ontvangen${found}`;
    return `Niet verzonden: ${who}. Er is niets afgedrukt in Exact Online. Vraag de klant naar het Peppol-id waarop hij ontvangt en vul het in${required ? '' : ', of kies een andere factuurwijze,'} ${RESEND.nl}.`;
  }
  const who = required
    ? `${w.administration} requires Peppol, and ${w.relation} cannot receive a ${doc} on the Peppol network${found}. It is not sent by email or on paper instead`
    : `${w.relation} is invoiced via Peppol, but cannot receive a ${doc} on the Peppol network${found}`;
  return `Not sent: ${who}. Nothing was printed in Exact Online. Ask the customer for the Peppol id they receive on and add it${required ? '' : ', or choose another invoice method,'} ${RESEND.en}.`;
}

/** ` (found on Peppol as …)` for a Peppol send, ` (not on Peppol …: tried …)` after falling back; '' otherwise. */
export function peppolSuffix(w: Words, lang: Language): string {
  const { peppolFound, peppolTried, channel } = w.facts;
  if (channel === 'peppol' && peppolFound) {
    // The identifiers asked before the one found (the Dutch order, PRODUCT.md §13), when there were any.
    const before = (peppolTried ?? '').split(', ').filter((id) => id !== '' && id !== peppolFound);
    if (lang === 'nl') {
      const first = before.length > 0 ? `; eerst geprobeerd: ${before.join(', ')}` : '';
      return ` (op Peppol gevonden als ${peppolFound}${first})`;
    }
    const first = before.length > 0 ? `; tried first: ${before.join(', ')}` : '';
    return ` (found on Peppol as ${peppolFound}${first})`;
  }
  if (channel !== 'peppol' && peppolTried) {
    return lang === 'nl'
      ? ` (niet op Peppol voor dit document; geprobeerd: ${peppolTried})`
      : ` (not on Peppol for this document; tried: ${peppolTried})`;
  }
  return '';
}
