/**
 * The recipient phrase of a message: where Exact Online will send (or sent) the invoice, as Exact holds it
 * (decision 0070). Empty when the address was not read from Exact: a message never names an address that
 * Exact does not send to.
 */
import type { Language, MessageFacts } from '../types';

export function recipientPhrase(f: MessageFacts, relation: string, lang: Language): string {
  const inherited = f.inheritedFrom
    ? lang === 'nl'
      ? `, met de factuurwijze van ${f.inheritedFrom}`
      : `, by the invoice method of ${f.inheritedFrom}`
    : '';
  if (f.channel === 'email' && f.recipientSource !== undefined && f.address !== undefined) {
    return ` ${lang === 'nl' ? 'naar' : 'to'} ${f.address} (${emailOrigin(f, relation, lang)})${inherited}`;
  }
  if (f.channel === 'peppol' && f.recipientSource !== undefined && f.address !== undefined) {
    return ` ${lang === 'nl' ? 'naar Peppol-id' : 'to Peppol id'} ${f.address}${inherited}`;
  }
  return inherited;
}

function emailOrigin(f: MessageFacts, relation: string, lang: Language): string {
  if (f.recipientSource === 'contactPerson') {
    const who = f.contact ?? (lang === 'nl' ? 'de contactpersoon' : 'the contact person');
    return lang === 'nl'
      ? `het e-mailadres van contactpersoon ${who} op de factuur in Exact Online`
      : `the email address of contact person ${who} on the invoice in Exact Online`;
  }
  return lang === 'nl'
    ? `het e-mailadres dat Exact Online bij ${relation} heeft`
    : `the email address Exact Online holds for ${relation}`;
}
