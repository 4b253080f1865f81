/**
 * The SMP step (Peppol SMP 1.x REST binding, round2-facts §5): the participant's ServiceGroup, then the
 * SignedServiceMetadata of the document type. 404 on the group = not registered; the document type absent
 * (no reference, 404, or no BIS Billing 3.0 process with an endpoint) = registered for other documents only;
 * anything else (5xx, redirects, unreadable XML, timeouts) = unknown.
 */
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import {
  BILLING_PROCESS,
  DOCUMENT_SCHEME,
  DOCUMENT_TYPE_IDS,
  PARTICIPANT_SCHEME,
  type ParticipantAnswer,
  type PeppolDocument,
} from '../../domain/peppol';
import { httpsGet, type HttpOptions } from './http';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  textNodeName: '#text',
  isArray: (name) => ['ServiceMetadataReference', 'Process', 'Endpoint'].includes(name),
  processEntities: false,
});

const ServiceGroup = z.object({
  ServiceGroup: z.object({
    ServiceMetadataReferenceCollection: z
      .union([
        z.object({ ServiceMetadataReference: z.array(z.object({ '@href': z.string() })).optional() }),
        z.literal(''),
      ])
      .optional(),
  }),
});

const Identifier = z.union([z.string(), z.object({ '#text': z.string() })]);
const ServiceInformation = z.object({
  DocumentIdentifier: Identifier,
  ProcessList: z.object({
    Process: z.array(
      z.object({
        ProcessIdentifier: Identifier,
        ServiceEndpointList: z.object({ Endpoint: z.array(z.unknown()) }).optional(),
      }),
    ),
  }),
});
const SignedServiceMetadata = z.object({
  SignedServiceMetadata: z.object({
    ServiceMetadata: z.object({
      ServiceInformation: ServiceInformation.optional(),
      Redirect: z.unknown().optional(),
    }),
  }),
});

const text = (id: z.infer<typeof Identifier>): string => (typeof id === 'string' ? id : id['#text']).trim();

export interface SmpStep {
  answer: ParticipantAnswer;
  urls: string[];
}

export function serviceGroupUrl(base: string, participant: string): string {
  return `${base}${encodeURIComponent(`${PARTICIPANT_SCHEME}::${participant}`)}`;
}

export function serviceMetadataUrl(base: string, participant: string, document: PeppolDocument): string {
  return `${serviceGroupUrl(base, participant)}/services/${encodeURIComponent(`${DOCUMENT_SCHEME}::${DOCUMENT_TYPE_IDS[document]}`)}`;
}

export async function askSmp(
  base: string,
  participant: string,
  document: PeppolDocument,
  http: HttpOptions,
): Promise<SmpStep> {
  const groupUrl = serviceGroupUrl(base, participant);
  const group = await httpsGet(groupUrl, http);
  const urls = [groupUrl];
  if (group.kind === 'failed') return { answer: { kind: 'unknown', detail: group.detail }, urls };
  if (group.status === 404) return { answer: { kind: 'notRegistered' }, urls };
  if (group.status !== 200) return { answer: unknown(`SMP HTTP ${group.status}`), urls };
  const refs = references(group.body);
  if (refs === null) return { answer: unknown('SMP service group unreadable'), urls };
  const wanted = `${DOCUMENT_SCHEME}::${DOCUMENT_TYPE_IDS[document]}`;
  if (!refs.some((href) => decodedEndsWith(href, `/services/${wanted}`))) {
    return { answer: { kind: 'wrongDocumentType' }, urls };
  }
  const metadataUrl = serviceMetadataUrl(base, participant, document);
  urls.push(metadataUrl);
  const metadata = await httpsGet(metadataUrl, http);
  if (metadata.kind === 'failed') return { answer: unknown(metadata.detail), urls };
  if (metadata.status === 404) return { answer: { kind: 'wrongDocumentType' }, urls };
  if (metadata.status !== 200) return { answer: unknown(`SMP HTTP ${metadata.status}`), urls };
  return { answer: metadataAnswer(metadata.body, document), urls };
}

const unknown = (detail: string): ParticipantAnswer => ({ kind: 'unknown', detail });

function parse(xml: string): unknown {
  try {
    return parser.parse(xml);
  } catch {
    return null;
  }
}

/** The hrefs of a ServiceGroup, or null when the body is not one. */
function references(xml: string): string[] | null {
  const parsed = ServiceGroup.safeParse(parse(xml));
  if (!parsed.success) return null;
  const collection = parsed.data.ServiceGroup.ServiceMetadataReferenceCollection;
  if (collection === undefined || collection === '') return [];
  return (collection.ServiceMetadataReference ?? []).map((r) => r['@href']);
}

function decodedEndsWith(href: string, suffix: string): boolean {
  try {
    return decodeURIComponent(href).endsWith(suffix);
  } catch {
    return false;
  }
}

/** Registered when the metadata is for this document type and lists BIS Billing 3.0's process with an endpoint. */
function metadataAnswer(xml: string, document: PeppolDocument): ParticipantAnswer {
  const parsed = SignedServiceMetadata.safeParse(parse(xml));
  if (!parsed.success) return unknown('SMP service metadata unreadable');
  const info = parsed.data.SignedServiceMetadata.ServiceMetadata.ServiceInformation;
  // A Redirect to another SMP is not followed (decision 0080): the answer is not known here.
  if (info === undefined) return unknown('SMP redirect not followed');
  if (text(info.DocumentIdentifier) !== DOCUMENT_TYPE_IDS[document])
    return unknown('SMP answered another document type');
  const billing = info.ProcessList.Process.some(
    (p) => text(p.ProcessIdentifier) === BILLING_PROCESS && (p.ServiceEndpointList?.Endpoint.length ?? 0) > 0,
  );
  return billing ? { kind: 'registered' } : { kind: 'wrongDocumentType' };
}
