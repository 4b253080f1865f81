/**
 * Invoice method and channel (PRODUCT.md §4 rows 9–11). ADR 0005 records the readings behind the chain.
 */
import { isValidPeppolId, parseEmailList } from './addresses';
import type { DefinitiveAnswer } from './peppol';
import {
  INVOICE_METHOD,
  type AdministrationFacts,
  type Channel,
  type InvoiceMethod,
  type RelationFacts,
} from './types';

export type MethodName = 'automatic' | Channel;

const METHOD_NAMES: ReadonlyMap<number, MethodName> = new Map([
  [INVOICE_METHOD.automatic, 'automatic'],
  [INVOICE_METHOD.paper, 'paper'],
  [INVOICE_METHOD.email, 'email'],
  [INVOICE_METHOD.postbox, 'postbox'],
  [INVOICE_METHOD.peppol, 'peppol'],
]);

/** The name of an Exact InvoicingMethod code, or null for a code the connector cannot honour (e.g. 8 send-and-track). */
export function methodName(method: number): MethodName | null {
  return METHOD_NAMES.get(method) ?? null;
}

/** The relation's method, else the administration's default, else automatic. An explicit 0 on the relation means automatic. */
export function resolveMethod(relation: RelationFacts, administration: AdministrationFacts): InvoiceMethod {
  const fromRelation = relation.invoiceMethod;
  if (typeof fromRelation === 'number') return fromRelation;
  const fromAdministration = administration.defaultInvoiceMethod;
  if (typeof fromAdministration === 'number') return fromAdministration;
  return INVOICE_METHOD.automatic;
}

/** Postbox is never chosen automatically (ADR 0005): it needs Exact's Mailbox feature and the customer's postbox, neither visible here. */
export const AUTOMATIC_CHAIN: readonly Channel[] = ['peppol', 'email', 'paper'];

export type ChannelChoice =
  | { ok: true; method: MethodName; channel: Channel; emailAddresses: string[] }
  | { ok: false; method: string; reason: 'channel_disabled'; channel: Channel | null }
  | {
      ok: false;
      method: MethodName;
      reason: 'email_missing' | 'email_invalid';
      channel: 'email';
      address: string | null;
    }
  | { ok: false; method: MethodName; reason: 'peppol_id_missing'; channel: 'peppol'; address: string | null }
  | { ok: false; method: MethodName; reason: 'peppol_not_registered'; channel: 'peppol' }
  | { ok: false; method: 'automatic'; reason: 'no_channel'; channel: Channel };

function enabledSet(administration: AdministrationFacts): Set<unknown> {
  return new Set(Array.isArray(administration.channels) ? administration.channels : []);
}

/**
 * Whether Peppol can take the invoice: the network's answer when it was asked (registered for this document
 * type), else a syntactically valid Peppol id on the relation (the connector without a lookup, ADR 0005).
 */
function peppolReaches(relation: RelationFacts, peppol: DefinitiveAnswer | undefined): boolean {
  return peppol === undefined ? isValidPeppolId(relation.peppolId) : peppol.kind === 'registered';
}

function explicit(
  channel: Channel,
  relation: RelationFacts,
  enabled: Set<unknown>,
  peppol: DefinitiveAnswer | undefined,
): ChannelChoice {
  if (!enabled.has(channel)) return { ok: false, method: channel, reason: 'channel_disabled', channel };
  // Looked up under at least one identifier: the network's answer decides (PRODUCT.md §13).
  if (channel === 'peppol' && peppol !== undefined && peppol.tried.length > 0) {
    return peppol.kind === 'registered'
      ? { ok: true, method: channel, channel, emailAddresses: [] }
      : { ok: false, method: channel, reason: 'peppol_not_registered', channel };
  }
  if (channel === 'email') {
    const list = parseEmailList(relation.invoiceEmail);
    if (list.kind === 'missing')
      return { ok: false, method: channel, reason: 'email_missing', channel, address: null };
    if (list.kind === 'invalid')
      return { ok: false, method: channel, reason: 'email_invalid', channel, address: list.invalid };
    return { ok: true, method: channel, channel, emailAddresses: list.addresses };
  }
  if (channel === 'peppol' && !isValidPeppolId(relation.peppolId)) {
    const given =
      typeof relation.peppolId === 'string' && relation.peppolId.trim() !== ''
        ? relation.peppolId.trim()
        : null;
    return { ok: false, method: channel, reason: 'peppol_id_missing', channel, address: given };
  }
  return { ok: true, method: channel, channel, emailAddresses: [] };
}

/**
 * Peppol (registered for the document type, or a valid id when the network was not asked) → email (a non-empty list of valid addresses) → paper, walking only through enabled
 * channels and stopping at the first disabled one, whether or not the relation could have used it.
 */
function automatic(
  relation: RelationFacts,
  administration: AdministrationFacts,
  enabled: Set<unknown>,
  peppol: DefinitiveAnswer | undefined,
): ChannelChoice {
  for (const channel of AUTOMATIC_CHAIN) {
    if (!enabled.has(channel)) return { ok: false, method: 'automatic', reason: 'no_channel', channel };
    if (channel === 'peppol' && peppolReaches(relation, peppol)) {
      return { ok: true, method: 'automatic', channel, emailAddresses: [] };
    }
    // "Peppol required" (decision 0082): no falling back to email or paper.
    if (channel === 'peppol' && administration.peppolRequired === true) {
      return { ok: false, method: 'automatic', reason: 'peppol_not_registered', channel };
    }
    if (channel === 'email') {
      const list = parseEmailList(relation.invoiceEmail);
      if (list.kind === 'valid')
        return { ok: true, method: 'automatic', channel, emailAddresses: list.addresses };
    }
    if (channel === 'paper') return { ok: true, method: 'automatic', channel, emailAddresses: [] };
  }
  // Unreachable: paper ends the chain; kept so the function is total if the chain is ever edited.
  return { ok: false, method: 'automatic', reason: 'no_channel', channel: 'paper' };
}

export function chooseChannel(
  relation: RelationFacts,
  administration: AdministrationFacts,
  peppol?: DefinitiveAnswer,
): ChannelChoice {
  const code = resolveMethod(relation, administration);
  const name = methodName(code);
  const enabled = enabledSet(administration);
  if (name === null) return { ok: false, method: String(code), reason: 'channel_disabled', channel: null };
  return name === 'automatic'
    ? automatic(relation, administration, enabled, peppol)
    : explicit(name, relation, enabled, peppol);
}

/**
 * Whether the channel choice asks the Peppol network (PRODUCT.md §13): automatic with Peppol switched on
 * (it comes first in the chain), or an explicit Peppol method on a Peppol that is switched on.
 */
export function consultsPeppol(relation: RelationFacts, administration: AdministrationFacts): boolean {
  const name = methodName(resolveMethod(relation, administration));
  return (name === 'automatic' || name === 'peppol') && enabledSet(administration).has('peppol');
}
