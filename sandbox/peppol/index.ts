/**
 * The Peppol network on loopback for tests, the demo and the CLI: an SML (DNS, UDP and TCP) and one SMP
 * (HTTPS, self-signed). Each participant gets a case, changeable while running. Sources: README.md.
 */
import { DOCUMENT_TYPE_IDS, smlDnsName } from '../../src/domain/peppol';
import { startDnsServer, type DnsBehaviour } from './dns';
import { startSmpServer, type SmpBehaviour } from './smp';

export type PeppolCase =
  /** On Peppol for BIS Billing 3.0 invoices and credit notes. */
  | 'registered'
  /** On Peppol for BIS Billing 3.0 invoices only (no credit notes). */
  | 'invoiceOnly'
  /** On Peppol, but only for a document type that is not BIS Billing 3.0 (NLCIUS / SI-UBL 2.0). */
  | 'noBis3'
  /** Not in the SML: NXDOMAIN (the default for any participant not configured). */
  | 'notRegistered'
  /** In the SML, but its SMP answers 404 for the participant. */
  | 'smpNotFound'
  /** On Peppol, but no document types published (an empty ServiceMetadataReferenceCollection). */
  | 'noServices'
  /** The SMP answers the metadata with a Redirect to another SMP. */
  | 'smpRedirect'
  | 'servfail'
  | 'dnsTimeout'
  | 'smp500'
  | 'smpTimeout';

/** SI-UBL 2.0 (NLCIUS): an invoice document type that is not BIS Billing 3.0. */
export const NLCIUS_INVOICE =
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0::2.1';

/**
 * The participants of the sandbox's default network (the CLI's, when no zone is given): the demo's, one per
 * document-type case, and one per fault knob. Any other participant is not registered (NXDOMAIN).
 */
export const DEMO_PEPPOL_PARTICIPANTS: Readonly<Record<string, PeppolCase>> = {
  /** Found only by KvK: a relation without Peppol id whose KvK number is 12345678. */
  '0106:12345678': 'registered',
  /** A relation's own Peppol id, on Peppol. */
  '0088:8712345000004': 'registered',
  /** Takes invoices but no credit notes. */
  '0106:87654321': 'invoiceOnly',
  /** On Peppol, for SI-UBL 2.0 only. */
  '0106:11223344': 'noBis3',
  /** Belgian enterprise number. */
  '0208:0123456789': 'registered',
  /** The demo's KvK Alleen BV (found by KvK) and Peppol Overheid (OIN), as the demo's network has them. */
  '0106:24681357': 'registered',
  '0190:00000001234567890123': 'registered',
  /** Every other knob, one participant each (issue 16 item 6): `npm run autoinvoice -- peppol lookup 0106:90000001`. */
  '0106:90000001': 'servfail',
  '0106:90000002': 'dnsTimeout',
  '0106:90000003': 'smp500',
  '0106:90000004': 'smpTimeout',
  '0106:90000005': 'smpNotFound',
  '0106:90000006': 'noServices',
  '0106:90000007': 'smpRedirect',
};

export interface PeppolSandbox {
  zone: string;
  /** `127.0.0.1:<port>` of the SML's DNS server. */
  dnsServers: string[];
  /** The SMP's base URL. */
  smpUrl: string;
  /** The SMP's self-signed certificate: trust it for the sandbox only (`smpCa`). */
  smpCa: string;
  /** Options for `createPeppolDirectory` (src/adapters/peppol) pointing at this sandbox. */
  directoryOptions(): { zone: string; dnsServers: string[]; smpCa: string; timeoutMs: number };
  set(participant: string, c: PeppolCase): void;
  dnsQueries: string[];
  smpRequests: string[];
  close(): Promise<void>;
}

export const SANDBOX_ZONE = 'sml.peppol.sandbox.test';

export async function startPeppolSandbox(
  options: { participants?: Readonly<Record<string, PeppolCase>>; zone?: string; timeoutMs?: number } = {},
): Promise<PeppolSandbox> {
  const zone = options.zone ?? SANDBOX_ZONE;
  const cases = new Map<string, PeppolCase>();
  const byName = new Map<string, string>();
  const set = (participant: string, c: PeppolCase): void => {
    const id = participant.trim().toLowerCase();
    cases.set(id, c);
    byName.set(smlDnsName(id, zone), id);
  };
  for (const [p, c] of Object.entries(options.participants ?? DEMO_PEPPOL_PARTICIPANTS)) set(p, c);
  const smp = await startSmpServer((participant) => smpBehaviour(cases.get(participant)));
  const dns = await startDnsServer(zone, (name) => {
    const participant = byName.get(name);
    return participant === undefined ? undefined : dnsBehaviour(cases.get(participant), smp.url);
  });
  return {
    zone,
    dnsServers: [dns.server],
    smpUrl: smp.url,
    smpCa: smp.caCertPem,
    directoryOptions: () => ({
      zone,
      dnsServers: [dns.server],
      smpCa: smp.caCertPem,
      timeoutMs: options.timeoutMs ?? 3000,
    }),
    set,
    dnsQueries: dns.queries,
    smpRequests: smp.requests,
    close: async () => {
      await dns.close();
      await smp.close();
    },
  };
}

function dnsBehaviour(c: PeppolCase | undefined, smpUrl: string): DnsBehaviour | undefined {
  if (c === undefined || c === 'notRegistered') return undefined;
  if (c === 'servfail') return { kind: 'servfail' };
  if (c === 'dnsTimeout') return { kind: 'timeout' };
  return { kind: 'naptr', smpUrl };
}

function smpBehaviour(c: PeppolCase | undefined): SmpBehaviour | undefined {
  switch (c) {
    case 'registered':
      return { kind: 'serves', documentTypeIds: [DOCUMENT_TYPE_IDS.invoice, DOCUMENT_TYPE_IDS.creditNote] };
    case 'invoiceOnly':
      return { kind: 'serves', documentTypeIds: [DOCUMENT_TYPE_IDS.invoice] };
    case 'noBis3':
      return { kind: 'serves', documentTypeIds: [NLCIUS_INVOICE] };
    case 'noServices':
      return { kind: 'serves', documentTypeIds: [] };
    case 'smpRedirect':
      return {
        kind: 'serves',
        documentTypeIds: [DOCUMENT_TYPE_IDS.invoice, DOCUMENT_TYPE_IDS.creditNote],
        redirectTo: 'https://other-smp.sandbox.invalid/',
      };
    case 'smp500':
      return { kind: 'error500' };
    case 'smpTimeout':
      return { kind: 'timeout' };
    default:
      return { kind: 'notFound' };
  }
}

/** App settings (as local.settings.json names them) that point the connector's lookup at this sandbox. */
export function peppolSettings(p: PeppolSandbox): Record<string, string> {
  const o = p.directoryOptions();
  return { PeppolZone: o.zone, PeppolDnsServers: o.dnsServers.join(','), PeppolSmpCaPem: o.smpCa };
}
