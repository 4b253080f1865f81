import { Resolver } from 'node:dns/promises';
import type { Packet } from 'dns-packet';
import { XMLParser } from 'fast-xml-parser';
import { createPeppolDirectory } from '../../../src/adapters/peppol';
import { peppolReceivers } from '../../../src/app/peppol/receivers';
import { DOCUMENT_TYPE_IDS, smlDnsName } from '../../../src/domain/peppol';
import { startPeppolSandbox, type PeppolCase, type PeppolSandbox } from '../../../sandbox/peppol';

const P = '0106:12345678';
let sandbox: PeppolSandbox;

beforeAll(async () => {
  sandbox = await startPeppolSandbox({ participants: {}, timeoutMs: 5000 });
}, 60_000);
afterAll(() => sandbox.close());

const directory = () => createPeppolDirectory(sandbox.directoryOptions());
const lookupAs = async (
  c: PeppolCase,
  document: 'invoice' | 'creditNote' = 'invoice',
  timeoutMs?: number,
) => {
  sandbox.set(P, c);
  return createPeppolDirectory({ ...sandbox.directoryOptions(), ...(timeoutMs ? { timeoutMs } : {}) }).lookup(
    P,
    document,
  );
};

describe('the Peppol directory against the sandbox SML and SMP', () => {
  test('when the participant is registered, then the path goes DNS name → NAPTR URL → service group → metadata', async () => {
    const found = await lookupAs('registered');
    expect(found.answer).toEqual({ kind: 'registered' });
    expect(found.path.dnsName).toBe(smlDnsName(P, sandbox.zone));
    expect(found.path.naptrUrl).toBe(sandbox.smpUrl);
    expect(found.path.smpUrls).toEqual([
      `${sandbox.smpUrl}iso6523-actorid-upis%3A%3A0106%3A12345678`,
      `${sandbox.smpUrl}iso6523-actorid-upis%3A%3A0106%3A12345678/services/${encodeURIComponent(`busdox-docid-qns::${DOCUMENT_TYPE_IDS.invoice}`)}`,
    ]);
  });

  test('when the SML has no record (NXDOMAIN), then not registered and the SMP is not asked', async () => {
    const before = sandbox.smpRequests.length;
    const found = await lookupAs('notRegistered');
    expect(found.answer).toEqual({ kind: 'notRegistered' });
    expect(found.path.naptrUrl).toBeNull();
    expect(sandbox.smpRequests.length).toBe(before);
  });

  test('when the SMP answers 404 for the participant, then not registered', async () => {
    expect((await lookupAs('smpNotFound')).answer).toEqual({ kind: 'notRegistered' });
  });

  test('when the participant takes only SI-UBL 2.0, then registered but not for this document type', async () => {
    expect((await lookupAs('noBis3')).answer).toEqual({ kind: 'wrongDocumentType' });
  });

  test('when the participant publishes no document types, then registered but not for this document type', async () => {
    expect((await lookupAs('noServices')).answer).toEqual({ kind: 'wrongDocumentType' });
  });

  test('when the SMP redirects to another SMP, then unknown: the redirect is not followed (decision 0080)', async () => {
    expect((await lookupAs('smpRedirect')).answer).toEqual({
      kind: 'unknown',
      detail: 'SMP redirect not followed',
    });
  });

  test('when a credit note goes to a participant that takes invoices only, then it is checked against CreditNote', async () => {
    expect((await lookupAs('invoiceOnly', 'invoice')).answer).toEqual({ kind: 'registered' });
    const both = await lookupAs('registered', 'creditNote');
    expect(both.answer).toEqual({ kind: 'registered' });
    expect(decodeURIComponent(both.path.smpUrls[1]!)).toMatch(
      /\/services\/busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:cen\.eu:en16931:2017#compliant#urn:fdc:peppol\.eu:2017:poacc:billing:3\.0::2\.1$/,
    );
    const credit = await lookupAs('invoiceOnly', 'creditNote');
    expect(credit.answer).toEqual({ kind: 'wrongDocumentType' });
    expect(credit.path.smpUrls).toHaveLength(1);
  });

  test.each([
    ['servfail', 'DNS ESERVFAIL'],
    ['dnsTimeout', 'DNS ETIMEOUT'],
    ['smp500', 'SMP HTTP 500'],
    ['smpTimeout', 'SMP timeout'],
  ] as const)(
    'when the network fails with %s, then unknown (%s), never not registered',
    async (c, detail) => {
      expect((await lookupAs(c, 'invoice', 400)).answer).toEqual({ kind: 'unknown', detail });
    },
    15_000,
  );

  test('when the SMP certificate is not trusted, then unknown: TLS checks stay on', async () => {
    sandbox.set(P, 'registered');
    const untrusted = createPeppolDirectory({ ...sandbox.directoryOptions(), smpCa: undefined });
    const found = await untrusted.lookup(P, 'invoice');
    expect(found.answer.kind).toBe('unknown');
  });

  test('when the SML is asked over TCP, then it answers the same NAPTR record', async () => {
    sandbox.set(P, 'registered');
    const net = await import('node:net');
    const packet = await import('dns-packet');
    const [host, port] = sandbox.dnsServers[0]!.split(':');
    const query = packet.streamEncode({
      type: 'query',
      id: 7,
      questions: [{ type: 'NAPTR', name: smlDnsName(P, sandbox.zone) }],
    });
    const answer = await new Promise<Packet>((resolve, reject) => {
      const socket = net.connect(Number(port), host!, () => socket.write(query));
      socket.once('data', (b: Buffer) => {
        socket.destroy();
        resolve(packet.streamDecode(b));
      });
      socket.once('error', reject);
    });
    expect(answer.answers?.[0]).toMatchObject({
      type: 'NAPTR',
      data: { services: 'Meta:SMP', flags: 'U', regexp: `!^.*$!${sandbox.smpUrl}!` },
    });
  });

  test('when a name outside the zone is asked, then the SML refuses it', async () => {
    const resolver = new Resolver({ timeout: 500, tries: 1 });
    resolver.setServers(sandbox.dnsServers);
    await expect(resolver.resolveNaptr('example.org')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  test('when the metadata is served, then it is a SignedServiceMetadata with an enveloped signature', async () => {
    sandbox.set(P, 'registered');
    const found = await directory().lookup(P, 'invoice');
    const https = await import('node:https');
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(found.path.smpUrls[1]!, { ca: sandbox.smpCa }, (res) => {
          let s = '';
          res.on('data', (c) => (s += c));
          res.on('end', () => resolve(s));
        })
        .on('error', reject);
    });
    const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false }).parse(body);
    expect(xml.SignedServiceMetadata.Signature.SignedInfo.Reference['@_URI']).toBe('');
    // The enveloped signature verifies with the certificate in its KeyInfo, and fails once the body changes.
    const { SignedXml } = await import('xml-crypto');
    const verify = (signed: string): boolean => {
      const v = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo });
      v.loadSignature(/<(?:\w+:)?Signature[\s>][\s\S]*<\/(?:\w+:)?Signature>/.exec(signed)![0]);
      try {
        return v.checkSignature(signed);
      } catch {
        return false;
      }
    };
    expect(verify(body)).toBe(true);
    expect(verify(body.replace('https://ap.sandbox.invalid/as4', 'https://ap.attacker.invalid/as4'))).toBe(
      false,
    );
    expect(xml.SignedServiceMetadata.ServiceMetadata.ServiceInformation.DocumentIdentifier['#text']).toBe(
      DOCUMENT_TYPE_IDS.invoice,
    );
  });
});

describe('the receiver lookup in the Dutch order', () => {
  test('when only the KvK number is registered, then the Peppol id is not, KvK is found and offered', async () => {
    sandbox.set('0088:1111111111111', 'notRegistered');
    sandbox.set(P, 'registered');
    const r = await peppolReceivers(directory()).receiver(
      { peppolId: '0088:1111111111111', kvk: '12345678', vatNumber: 'NL123456789B01' },
      'invoice',
    );
    expect(r.answer).toEqual({
      kind: 'registered',
      participant: P,
      tried: ['0088:1111111111111', P],
      offer: P,
    });
  });

  test('when only the VAT number is registered, then KvK and OIN are tried first', async () => {
    sandbox.set(P, 'notRegistered');
    sandbox.set('0190:00000001234567890000', 'smpNotFound');
    sandbox.set('9944:NL123456789B01', 'registered');
    const r = await peppolReceivers(directory()).receiver(
      { kvk: '12345678', oin: '00000001234567890000', vatNumber: 'NL123456789B01' },
      'invoice',
    );
    expect(r.answer).toMatchObject({
      kind: 'registered',
      participant: '9944:NL123456789B01',
      tried: [P, '0190:00000001234567890000', '9944:NL123456789B01'],
    });
  });

  test('when a Belgian receiver is on Peppol under VAT only, then 0208 is tried before 9925', async () => {
    sandbox.set('0208:0123456789', 'notRegistered');
    sandbox.set('9925:BE0123456789', 'registered');
    const r = await peppolReceivers(directory()).receiver(
      { vatNumber: 'BE0123456789', country: 'BE' },
      'invoice',
    );
    expect(r.answer).toMatchObject({ kind: 'registered', tried: ['0208:0123456789', '9925:BE0123456789'] });
  });

  // Every identifier a Dutch (or Belgian) relation can carry, in the order they are asked.
  const NL = {
    peppolId: '0088:8712345000004',
    kvk: '12345678',
    oin: '00000001234567890000',
    vatNumber: 'NL123456789B01',
  };
  const NL_ORDER = [NL.peppolId, P, '0190:00000001234567890000', '9944:NL123456789B01'];
  const BE = { peppolId: '0088:8712345000004', vatNumber: 'BE0123456789', country: 'BE' };
  const BE_ORDER = [BE.peppolId, '0208:0123456789', '9925:BE0123456789'];
  test.each([
    ['the relation’s Peppol id', NL, NL_ORDER, 0],
    ['KvK 0106', NL, NL_ORDER, 1],
    ['OIN 0190', NL, NL_ORDER, 2],
    ['NL VAT 9944', NL, NL_ORDER, 3],
    ['the Belgian enterprise number 0208', BE, BE_ORDER, 1],
    ['Belgian VAT 9925', BE, BE_ORDER, 2],
  ])(
    'when %s is the first registered identifier, then it wins, those before it were tried and none after it is asked',
    async (_name, ids, order, at) => {
      // Every identifier is registered from `at` on: only the walk's stop keeps the later ones unasked.
      order.forEach((id, i) => sandbox.set(id, i < at ? 'notRegistered' : 'registered'));
      const before = sandbox.dnsQueries.length;
      const r = await peppolReceivers(directory()).receiver(ids, 'invoice');
      const winner = order[at]!;
      expect(r.answer).toEqual({
        kind: 'registered',
        participant: winner,
        tried: order.slice(0, at + 1),
        offer: at === 0 ? null : winner,
      });
      expect(sandbox.dnsQueries.slice(before)).toEqual(
        order.slice(0, at + 1).map((id) => smlDnsName(id, sandbox.zone)),
      );
    },
  );

  test('when the first identifier cannot be asked, then unknown and the later ones are not tried', async () => {
    sandbox.set(P, 'servfail');
    sandbox.set('9944:NL123456789B01', 'registered');
    const r = await peppolReceivers(directory()).receiver(
      { kvk: '12345678', vatNumber: 'NL123456789B01' },
      'invoice',
    );
    expect(r.answer).toMatchObject({ kind: 'unknown', participant: P, tried: [P] });
  });
});
