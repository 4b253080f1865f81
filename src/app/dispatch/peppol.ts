/**
 * Step 3a — the Peppol receiver lookup before the decision (issue 16, PRODUCT.md §13): asked only when the
 * channel choice consults Peppol and rules 4–8 let the invoice through, for the invoice's document type.
 * Repeated receivers cost one network call (the directory's cache). Spends no Exact call.
 */
import { consultsPeppol } from '../../domain/channel';
import { stopsBeforeChannel } from '../../domain/decide';
import type { DefinitiveAnswer, ReceiverIdentifiers } from '../../domain/peppol';
import type {
  AdministrationFacts,
  Decision,
  DecisionInput,
  ExactReceiver,
  RelationFacts,
} from '../../domain/types';
import { PeppolUnavailableError } from '../peppol/errors';
import type { PeppolReceivers } from '../peppol/ports';
import { asExactHasIt, asMirrored } from '../../domain/receiver';
import type { Run } from './types';

export async function peppolAnswer(
  receivers: PeppolReceivers | undefined,
  input: DecisionInput,
  administration: AdministrationFacts,
): Promise<DefinitiveAnswer | undefined> {
  const relation = reachOf(input);
  if (!receivers || !relation || !consultsPeppol(relation, administration)) return undefined;
  // Rules 4–8 stop an invoice before its channel is chosen: no lookup then.
  if (stopsBeforeChannel(input, administration) !== null) return undefined;
  const document = input.invoice.creditNote === true ? 'creditNote' : 'invoice';
  const { answer } = await receivers.receiver(identifiersOf(relation), document);
  if (answer.kind === 'unknown') throw new PeppolUnavailableError(answer.participant, answer.detail);
  return answer;
}

/** The relation as Exact will send to it, when Exact was read (decision 0095), else as mirrored. */
function reachOf(input: DecisionInput): RelationFacts | null {
  if (!input.relation) return null;
  return input.receiver ? asExactHasIt(input.relation, input.receiver) : asMirrored(input.relation);
}

/**
 * Exact sends by Peppol only to the id on its own account: when it holds one, that is the only identifier
 * worth asking about; without one, the account's KvK, OIN and VAT are tried (a find is written to Exact).
 */
export function identifiersOf(relation: RelationFacts): ReceiverIdentifiers {
  if (relation.peppolId) return { peppolId: relation.peppolId };
  return {
    peppolId: relation.peppolId,
    kvk: relation.kvk,
    oin: relation.oin,
    vatNumber: relation.vatNumber,
    country: relation.country,
  };
}

/**
 * A Peppol id found under the account's KvK, OIN or VAT, while Exact's account holds none: Exact sends by
 * Peppol only to the id on its account, so the find is written there (one PUT) before the print.
 */
export async function adoptFoundPeppolId(
  run: Run,
  division: number,
  receiver: ExactReceiver | undefined,
  decision: Decision,
): Promise<Decision> {
  const found = decision.facts.peppolFound;
  const source = run.deps.masterData;
  if (decision.kind !== 'send' || decision.plan.channel !== 'peppol' || !receiver || !source) return decision;
  if (receiver.peppolId !== null || found === undefined) return decision;
  // Once per account and run, however many of its invoices the batch holds. A refusal throws like any Exact
  // fault before printing: retried, and given up visibly (delivery_gave_up).
  const key = `${division}:${receiver.accountId}:${found}`;
  if (!run.peppolAdopted.has(key)) {
    await source.updateAccount(division, receiver.accountId, { peppolId: found });
    run.peppolAdopted.add(key);
  }
  return { ...decision, facts: { ...decision.facts, address: found, recipientSource: 'account' } };
}
