/**
 * Step 3a — the Peppol receiver lookup before the decision (issue 16, PRODUCT.md §13): asked only when the
 * channel choice consults Peppol and rules 4–8 let the invoice through, for the invoice's document type.
 * Repeated receivers cost one network call (the directory's cache). Spends no Exact call.
 */
import { consultsPeppol } from '../../domain/channel';
import { decideWithExact } from '../../domain/decide';
import type { DefinitiveAnswer, ReceiverIdentifiers } from '../../domain/peppol';
import type { AdministrationFacts, DecisionInput, RelationFacts } from '../../domain/types';
import { PeppolUnavailableError } from '../peppol/errors';
import type { Run } from './types';

export async function peppolAnswer(
  run: Run,
  input: DecisionInput,
  administration: AdministrationFacts,
): Promise<DefinitiveAnswer | undefined> {
  const receivers = run.deps.peppol;
  const relation = input.relation;
  if (!receivers || !relation || !consultsPeppol(relation, administration)) return undefined;
  // Rules 4–8 stop an invoice before its channel is chosen (their facts carry no method): no lookup then.
  if (decideWithExact(input, administration).facts.method === undefined) return undefined;
  const document = input.invoice.creditNote === true ? 'creditNote' : 'invoice';
  const { answer } = await receivers.receiver(identifiersOf(relation), document);
  if (answer.kind === 'unknown') throw new PeppolUnavailableError(answer.participant, answer.detail);
  return answer;
}

function identifiersOf(relation: RelationFacts): ReceiverIdentifiers {
  return {
    peppolId: relation.peppolId,
    kvk: relation.kvk,
    oin: relation.oin,
    vatNumber: relation.vatNumber,
    country: relation.country,
  };
}
