/**
 * An SMP over HTTPS on loopback (Peppol SMP 1.x REST binding): `GET /{participant}` answers the ServiceGroup,
 * `GET /{participant}/services/{document type}` the SignedServiceMetadata; unknown participants and document
 * types 404, anything but GET 405. Knobs per participant: README.md.
 */
import https from 'node:https';
import type net from 'node:net';
import { generate } from 'selfsigned';
import { BILLING_PROCESS, DOCUMENT_SCHEME, PARTICIPANT_SCHEME } from '../../src/domain/peppol';
import { redirectXml, serviceGroupXml, serviceMetadataXml, signEnveloped } from './xml';

/** What the SMP does for one participant. */
export type SmpBehaviour =
  | { kind: 'serves'; documentTypeIds: readonly string[]; redirectTo?: string }
  | { kind: 'notFound' }
  | { kind: 'error500' }
  | { kind: 'timeout' };

export interface SmpSandbox {
  /** `https://127.0.0.1:<port>/` */
  url: string;
  /** PEM of the self-signed CA the server's certificate is; trust it for the sandbox only. */
  caCertPem: string;
  /** Paths asked, decoded. */
  requests: string[];
  close(): Promise<void>;
}

export async function startSmpServer(
  behaviourOf: (participant: string) => SmpBehaviour | undefined,
): Promise<SmpSandbox> {
  const tls = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  // The SMP's signing certificate (RSA, as the Peppol SMP certificates are).
  const signer = await generate([{ name: 'commonName', value: 'AutoInvoice sandbox SMP' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  const apCertificate = signer.cert.replace(/-----[^-]+-----|\s/g, '');
  const requests: string[] = [];
  const sockets = new Set<{ destroy(): void }>();
  let url = '';
  const server = https.createServer({ key: tls.private, cert: tls.cert }, (req, res) => {
    const send = (status: number, body = ''): void => {
      res.writeHead(status, {
        'content-type': 'application/xml; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405);
    const [rawParticipant, services, rawDocument, ...rest] = (req.url ?? '/').slice(1).split('/');
    let participantId: string;
    let documentId: string | null;
    try {
      participantId = decodeURIComponent(rawParticipant ?? '');
      documentId = rawDocument === undefined ? null : decodeURIComponent(rawDocument);
    } catch {
      return send(400);
    }
    requests.push(documentId === null ? participantId : `${participantId}/services/${documentId}`);
    const prefix = `${PARTICIPANT_SCHEME}::`;
    if (
      !participantId.toLowerCase().startsWith(prefix) ||
      rest.length > 0 ||
      (services !== undefined && services !== 'services')
    )
      return send(404);
    const participant = participantId.slice(prefix.length);
    const behaviour = behaviourOf(participant.toLowerCase());
    if (behaviour === undefined || behaviour.kind === 'notFound') return send(404);
    if (behaviour.kind === 'error500') return send(500, '<error>internal</error>');
    if (behaviour.kind === 'timeout') return; // never answers
    const base = `${url}${encodeURIComponent(participantId)}/services/`;
    if (documentId === null) {
      const hrefs = behaviour.documentTypeIds.map(
        (d) => `${base}${encodeURIComponent(`${DOCUMENT_SCHEME}::${d}`)}`,
      );
      return send(200, serviceGroupXml(participant, hrefs));
    }
    const docPrefix = `${DOCUMENT_SCHEME}::`;
    const documentTypeId = documentId.startsWith(docPrefix) ? documentId.slice(docPrefix.length) : null;
    if (documentTypeId === null || !behaviour.documentTypeIds.includes(documentTypeId)) return send(404);
    const xml = behaviour.redirectTo
      ? redirectXml(behaviour.redirectTo)
      : serviceMetadataXml({
          participant,
          documentTypeId,
          processId: BILLING_PROCESS,
          endpointUrl: 'https://ap.sandbox.invalid/as4',
          apCertificate,
        });
    return send(200, signEnveloped(xml, signer.private, signer.cert));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
  return {
    url,
    caCertPem: tls.cert,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
