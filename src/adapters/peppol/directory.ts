/**
 * The Peppol network as a `PeppolDirectory` (decision 0080): SML by U-NAPTR through `node:dns/promises` with
 * settable servers, then the participant's SMP over HTTPS. Every non-definitive fault answers `unknown`.
 */
import type { Resolver } from 'node:dns/promises';
import { PEPPOL_ZONES, smlDnsName, type PeppolDocument } from '../../domain/peppol';
import type { ParticipantLookup, PeppolDirectory } from '../../app/peppol/ports';
import { askSml, createResolver } from './naptr';
import { askSmp } from './smp';

export interface PeppolNetworkOptions {
  /** SML zone; production by default (`PEPPOL_ZONES.test` for the test SMK). */
  zone?: string;
  /** DNS servers (`host` or `host:port`); the system's when absent. */
  dnsServers?: readonly string[];
  /** Extra CA PEM trusted for SMP requests (the local sandbox only). */
  smpCa?: string;
  /** Per DNS try and per SMP request, ms (default 3000). */
  timeoutMs?: number;
  /** For tests: a resolver of one's own. */
  resolver?: Pick<Resolver, 'resolveNaptr'>;
}

export function createPeppolDirectory(options: PeppolNetworkOptions = {}): PeppolDirectory {
  const zone = options.zone ?? PEPPOL_ZONES.production;
  const timeoutMs = options.timeoutMs ?? 3000;
  const resolver = options.resolver ?? createResolver({ servers: options.dnsServers, timeoutMs, tries: 2 });
  const http = { timeoutMs, ca: options.smpCa };
  return {
    async lookup(participant: string, document: PeppolDocument): Promise<ParticipantLookup> {
      const dnsName = smlDnsName(participant, zone);
      const path = { dnsName, naptrUrl: null as string | null, smpUrls: [] as string[], cached: false };
      const sml = await askSml(resolver, dnsName);
      if (sml.kind === 'notRegistered') return { participant, answer: { kind: 'notRegistered' }, path };
      if (sml.kind === 'unknown') return { participant, answer: sml, path };
      path.naptrUrl = sml.url;
      const smp = await askSmp(sml.url, participant, document, http);
      path.smpUrls = smp.urls;
      return { participant, answer: smp.answer, path };
    },
  };
}
