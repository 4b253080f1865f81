/** The receiver lookup: the relation's identifiers in the Dutch order, each asked until one decides. */
import {
  identifierOrder,
  receiverAnswer,
  stopsWalk,
  type Asked,
  type PeppolDocument,
  type ReceiverIdentifiers,
} from '../../domain/peppol';
import type { ParticipantLookup, PeppolDirectory, PeppolReceivers, ReceiverLookup } from './ports';

export function peppolReceivers(directory: PeppolDirectory): PeppolReceivers {
  return {
    lookup: (participant, document) => directory.lookup(participant, document),
    async receiver(ids: ReceiverIdentifiers, document: PeppolDocument): Promise<ReceiverLookup> {
      const steps: ParticipantLookup[] = [];
      for (const participant of identifierOrder(ids)) {
        const step = await directory.lookup(participant, document);
        steps.push(step);
        if (stopsWalk(step.answer)) break;
      }
      const asked: Asked[] = steps.map((s) => ({ participant: s.participant, answer: s.answer }));
      return { answer: receiverAnswer(asked, ids.peppolId ?? null), steps };
    },
  };
}
