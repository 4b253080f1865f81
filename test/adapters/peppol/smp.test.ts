/**
 * The SMP step against an HTTPS server of the test's own (stripe-node's habit: a real server where the sandbox
 * cannot model the case): the branches that keep "registered for other documents" apart from "unknown".
 */
import https from 'node:https';
import type net from 'node:net';
import { generate } from 'selfsigned';
import { askSmp, serviceGroupUrl, serviceMetadataUrl } from '../../../src/adapters/peppol/smp';
import { BILLING_PROCESS, DOCUMENT_TYPE_IDS } from '../../../src/domain/peppol';
import { serviceGroupXml, serviceMetadataXml } from '../../../sandbox/peppol/xml';

const P = '0106:12345678';
type Reply = { status: number; body?: string; headers?: Record<string, string> };
let replies = new Map<string, Reply>();
let server: https.Server;
let base = '';
let ca = '';

beforeAll(async () => {
  const tls = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  ca = tls.cert;
  server = https.createServer({ key: tls.private, cert: tls.cert }, (req, res) => {
    const reply = replies.get(req.url ?? '') ?? { status: 404 };
    res.writeHead(reply.status, { 'content-type': 'application/xml', ...reply.headers });
    res.end(reply.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
}, 60_000);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const path = (url: string) => url.slice(base.length - 1);
const groupListing = (document: 'invoice' | 'creditNote' = 'invoice'): Reply => ({
  status: 200,
  body: serviceGroupXml(P, [serviceMetadataUrl(base, P, document)]),
});
const metadata = (over: { documentTypeId?: string; processId?: string; endpoint?: boolean } = {}): Reply => {
  let xml = serviceMetadataXml({
    participant: P,
    documentTypeId: over.documentTypeId ?? DOCUMENT_TYPE_IDS.invoice,
    processId: over.processId ?? BILLING_PROCESS,
    endpointUrl: 'https://ap.example/as4',
    apCertificate: 'MIIB',
  });
  if (over.endpoint === false)
    xml = xml.replace(/<smp:ServiceEndpointList>.*<\/smp:ServiceEndpointList>/, '');
  return { status: 200, body: xml };
};

async function ask(group: Reply, meta?: Reply, maxBytes?: number) {
  replies = new Map([[path(serviceGroupUrl(base, P)), group]]);
  if (meta) replies.set(path(serviceMetadataUrl(base, P, 'invoice')), meta);
  return askSmp(base, P, 'invoice', { timeoutMs: 2000, ca, ...(maxBytes ? { maxBytes } : {}) });
}

describe('the SMP step', () => {
  test('when the group lists the document type and its metadata has BIS Billing 3.0 with an endpoint, then registered', async () => {
    expect((await ask(groupListing(), metadata())).answer).toEqual({ kind: 'registered' });
  });

  test.each([
    ['its metadata answers 404', metadata.bind(null, {}), 404],
    [
      'its metadata lists another process only',
      () => metadata({ processId: 'urn:www.cenbii.eu:profile:bii04:ver1.0' }),
      200,
    ],
    ['its metadata has no endpoint', () => metadata({ endpoint: false }), 200],
  ])(
    'when the group lists the document type but %s, then registered but not for this document type',
    async (_n, make, status) => {
      const meta = status === 404 ? { status: 404 } : make();
      expect((await ask(groupListing(), meta)).answer).toEqual({ kind: 'wrongDocumentType' });
    },
  );

  test('when the group lists only the CreditNote, then an invoice is registered but not for this document type, and no metadata is asked', async () => {
    const step = await ask(groupListing('creditNote'));
    expect(step.answer).toEqual({ kind: 'wrongDocumentType' });
    expect(step.urls).toEqual([serviceGroupUrl(base, P)]);
  });

  // Thunks: the replies name URLs under `base`, known once the server listens.
  const moved = (): Reply => ({ status: 301, headers: { location: 'https://elsewhere.example/' } });
  test.each<[string, string, () => Reply, (() => Reply) | undefined]>([
    ['the group answers 301', 'SMP HTTP 301', moved, undefined],
    ['the group answers 503', 'SMP HTTP 503', () => ({ status: 503 }), undefined],
    [
      'the group is not XML of a ServiceGroup',
      'SMP service group unreadable',
      () => ({ status: 200, body: '<html>maintenance</html>' }),
      undefined,
    ],
    ['the metadata answers 500', 'SMP HTTP 500', groupListing, () => ({ status: 500 })],
    [
      'the metadata is unreadable',
      'SMP service metadata unreadable',
      groupListing,
      () => ({ status: 200, body: '<nope' }),
    ],
    [
      'the metadata is for another document type',
      'SMP answered another document type',
      groupListing,
      () => metadata({ documentTypeId: DOCUMENT_TYPE_IDS.creditNote }),
    ],
  ])('when %s, then unknown (%s), never not registered', async (_n, detail, group, meta) => {
    expect((await ask(group(), meta?.())).answer).toEqual({ kind: 'unknown', detail });
  });

  test('when an answer is larger than an SMP answer can be, then unknown (SMP answer too large)', async () => {
    const huge = { status: 200, body: `<x>${'a'.repeat(5000)}</x>` };
    expect((await ask(huge, undefined, 1000)).answer).toEqual({
      kind: 'unknown',
      detail: 'SMP answer too large',
    });
  });
});
