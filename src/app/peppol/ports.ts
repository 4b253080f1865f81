/**
 * Ports of the Peppol receiver lookup (issue 16, PRODUCT.md §13): the network asked for one participant and
 * one document type, and the receiver looked up under its identifiers in the Dutch order. Decision 0080.
 */
import type {
  ParticipantAnswer,
  PeppolDocument,
  ReceiverAnswer,
  ReceiverIdentifiers,
} from '../../domain/peppol';

/** The way a lookup went, for the CLI and the logs (no secrets: public DNS names and SMP URLs). */
export interface LookupPath {
  dnsName: string;
  /** The SMP base URL from the NAPTR record, when one was found. */
  naptrUrl: string | null;
  /** The SMP URLs asked, in order. */
  smpUrls: string[];
  /** True when the answer came from the cache (no network call). */
  cached: boolean;
}

export interface ParticipantLookup {
  participant: string;
  answer: ParticipantAnswer;
  path: LookupPath;
}

/** The Peppol network (SML by U-NAPTR, then the participant's SMP). Never throws: a fault is `unknown`. */
export interface PeppolDirectory {
  lookup(participant: string, document: PeppolDocument): Promise<ParticipantLookup>;
}

export interface ReceiverLookup {
  answer: ReceiverAnswer;
  /** Each identifier asked, in order. */
  steps: ParticipantLookup[];
}

/** The directory, and the receiver's identifiers walked in the Dutch order; the first registered wins. */
export interface PeppolReceivers extends PeppolDirectory {
  receiver(ids: ReceiverIdentifiers, document: PeppolDocument): Promise<ReceiverLookup>;
}
