/** What a message may say about the Peppol lookup: the identifier found and those tried (issue 16). */
import type { DefinitiveAnswer } from './peppol';
import type { MessageFacts } from './types';

export function peppolFacts(answer: DefinitiveAnswer | undefined): MessageFacts {
  if (answer === undefined || answer.tried.length === 0) return {};
  const facts: MessageFacts = { peppolTried: answer.tried.join(', ') };
  if (answer.kind === 'registered') {
    facts.peppolFound = answer.participant;
    if (answer.offer !== null) facts.peppolOffer = answer.offer;
  }
  if (answer.kind === 'wrongDocumentType') facts.peppolWrongDocument = answer.participant;
  return facts;
}
