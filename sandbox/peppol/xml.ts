/**
 * SMP answers in the shapes of the Peppol SMP specification 1.x (namespace
 * `http://busdox.org/serviceMetadata/publishing/1.0/`): ServiceGroup and SignedServiceMetadata, the latter
 * signed with an enveloped XML-DSig signature over the whole document (RSA-SHA256, inclusive C14N), as an
 * SMP signs it. Sources: README.md.
 */
import { SignedXml } from 'xml-crypto';

const NS =
  'xmlns:smp="http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:id="http://busdox.org/transport/identifiers/1.0/" xmlns:wsa="http://www.w3.org/2005/08/addressing"';

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function serviceGroupXml(participant: string, hrefs: readonly string[]): string {
  const refs = hrefs.map((h) => `<smp:ServiceMetadataReference href="${escape(h)}"/>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><smp:ServiceGroup ${NS}>` +
    `<id:ParticipantIdentifier scheme="iso6523-actorid-upis">${escape(participant)}</id:ParticipantIdentifier>` +
    `<smp:ServiceMetadataReferenceCollection>${refs}</smp:ServiceMetadataReferenceCollection></smp:ServiceGroup>`
  );
}

export interface MetadataFacts {
  participant: string;
  documentTypeId: string;
  processId: string;
  /** The receiving access point (AS4 endpoint). */
  endpointUrl: string;
  /** Base64 DER of the AP certificate published in the endpoint. */
  apCertificate: string;
}

export function serviceMetadataXml(f: MetadataFacts): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><smp:SignedServiceMetadata ${NS}><smp:ServiceMetadata><smp:ServiceInformation>` +
    `<id:ParticipantIdentifier scheme="iso6523-actorid-upis">${escape(f.participant)}</id:ParticipantIdentifier>` +
    `<id:DocumentIdentifier scheme="busdox-docid-qns">${escape(f.documentTypeId)}</id:DocumentIdentifier>` +
    `<smp:ProcessList><smp:Process><id:ProcessIdentifier scheme="cenbii-procid-ubl">${escape(f.processId)}</id:ProcessIdentifier>` +
    `<smp:ServiceEndpointList><smp:Endpoint transportProfile="peppol-transport-as4-v2_0">` +
    `<wsa:EndpointReference><wsa:Address>${escape(f.endpointUrl)}</wsa:Address></wsa:EndpointReference>` +
    `<smp:RequireBusinessLevelSignature>false</smp:RequireBusinessLevelSignature>` +
    `<smp:Certificate>${f.apCertificate}</smp:Certificate>` +
    `<smp:ServiceDescription>AutoInvoice sandbox access point</smp:ServiceDescription>` +
    `<smp:TechnicalContactUrl>https://ap.sandbox.invalid/contact</smp:TechnicalContactUrl>` +
    `</smp:Endpoint></smp:ServiceEndpointList></smp:Process></smp:ProcessList>` +
    `</smp:ServiceInformation></smp:ServiceMetadata></smp:SignedServiceMetadata>`
  );
}

/** ServiceMetadata pointing to another SMP (SMP 1.x `Redirect`, with the target's certificate UID). */
export function redirectXml(href: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><smp:SignedServiceMetadata ${NS}><smp:ServiceMetadata>` +
    `<smp:Redirect href="${escape(href)}"><smp:CertificateUID>SMP_SANDBOX_OTHER</smp:CertificateUID></smp:Redirect>` +
    `</smp:ServiceMetadata></smp:SignedServiceMetadata>`
  );
}

/** The enveloped signature an SMP puts after ServiceMetadata (Reference URI="" over the whole document). */
export function signEnveloped(xml: string, privateKeyPem: string, certPem: string): string {
  const sig = new SignedXml({
    privateKey: privateKeyPem,
    publicCert: certPem,
    canonicalizationAlgorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: '/*',
    isEmptyUri: true,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    ],
  });
  sig.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}
