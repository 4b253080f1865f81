import {
  identifierOrder,
  PEPPOL_ZONES,
  receiverAnswer,
  smlDnsName,
  stopsWalk,
  type Asked,
} from '../../src/domain/peppol';

// Published examples: phax/peppol-commons, peppol-smp-client/src/test/java/com/helger/smpclient/url/BDXLURLProviderTest.java.
describe('SML DNS name (U-NAPTR, from 2025-11-01)', () => {
  test.each([
    [
      '9999:elonia',
      PEPPOL_ZONES.production,
      'hsh3fmc5cyerdv5j6ln6mmqcn2pp2ucyvczrwueahosobvikb6kq.iso6523-actorid-upis.edelivery.tech.ec.europa.eu',
    ],
    [
      '0010:5798000000001',
      PEPPOL_ZONES.production,
      'xukhfqabqziki3ykvr2fhr4snfa3pf5vpq6k4tonv3lmvsy5arvq.iso6523-actorid-upis.edelivery.tech.ec.europa.eu',
    ],
    [
      '0088:123abc',
      PEPPOL_ZONES.production,
      'y7dzfxaf3d4cjz4kcgrxtec6twvcga4ky7zwa5boif6mswd4tdrq.iso6523-actorid-upis.edelivery.tech.ec.europa.eu',
    ],
    [
      '9915:test',
      PEPPOL_ZONES.test,
      'eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu',
    ],
    [
      '9946:pt501507930',
      'de4a.edelivery.tech.ec.europa.eu.',
      'm2v5cjbjvuyeukpuegc4f3dpebbcjzi3pbxfegruqk3r3j42x5vq.iso6523-actorid-upis.de4a.edelivery.tech.ec.europa.eu',
    ],
  ])('when %s is looked up in %s, then the name is the published one', (participant, zone, expected) => {
    expect(smlDnsName(participant, zone)).toBe(expected);
  });

  test('when the value differs only in case, then the name is the same (the value is lower-cased before hashing)', () => {
    expect(smlDnsName('0088:123ABC', PEPPOL_ZONES.production)).toBe(
      smlDnsName('0088:123abc', PEPPOL_ZONES.production),
    );
  });

  test('when the name is built, then it has no base32 padding and 52 hash characters', () => {
    const [hash] = smlDnsName('0106:12345678', PEPPOL_ZONES.production).split('.');
    expect(hash).toMatch(/^[a-z2-7]{52}$/);
  });
});

describe('identifiers in the Dutch order', () => {
  test('when a relation has a Peppol id, KvK, OIN and an NL VAT number, then they are tried in that order', () => {
    expect(
      identifierOrder({
        peppolId: '0088:1234567890123',
        kvk: '12345678',
        oin: '00000001234567890000',
        vatNumber: 'NL123456789B01',
        country: 'NL',
      }),
    ).toEqual(['0088:1234567890123', '0106:12345678', '0190:00000001234567890000', '9944:NL123456789B01']);
  });

  test('when a Belgian relation has a VAT number, then the enterprise number 0208 comes before VAT 9925', () => {
    expect(identifierOrder({ vatNumber: 'BE 0123.456.789', country: 'BE' })).toEqual([
      '0208:0123456789',
      '9925:BE0123456789',
    ]);
  });

  test('when the Peppol id is the KvK id, then it is asked once', () => {
    expect(identifierOrder({ peppolId: '0106:12345678', kvk: '1234 5678' })).toEqual(['0106:12345678']);
  });

  test('when values cannot be such numbers, then they are left out', () => {
    expect(identifierOrder({ peppolId: 'nope', kvk: '123', oin: 'x', vatNumber: 'DE123456789' })).toEqual([]);
  });
});

describe('the receiver answer', () => {
  const a = (participant: string, kind: 'registered' | 'notRegistered' | 'wrongDocumentType'): Asked => ({
    participant,
    answer: { kind },
  });

  test('when the relation has no Peppol id and KvK is registered, then KvK is found and offered to the relation', () => {
    expect(receiverAnswer([a('0106:12345678', 'registered')], null)).toEqual({
      kind: 'registered',
      participant: '0106:12345678',
      tried: ['0106:12345678'],
      offer: '0106:12345678',
    });
  });

  test('when the relation’s own Peppol id is registered, then nothing is offered', () => {
    const answer = receiverAnswer([a('0106:12345678', 'registered')], '0106:12345678');
    expect(answer).toMatchObject({ kind: 'registered', offer: null });
  });

  test('when one identifier is registered for another document type and none for this one, then the answer is wrong document type', () => {
    const answer = receiverAnswer(
      [a('0106:12345678', 'wrongDocumentType'), a('9944:NL123456789B01', 'notRegistered')],
      null,
    );
    expect(answer).toEqual({
      kind: 'wrongDocumentType',
      participant: '0106:12345678',
      tried: ['0106:12345678', '9944:NL123456789B01'],
    });
  });

  test('when an identifier cannot be asked, then the answer is unknown, never not registered, and the walk stops', () => {
    const asked: Asked[] = [
      a('0106:12345678', 'notRegistered'),
      { participant: '9944:NL123456789B01', answer: { kind: 'unknown', detail: 'SERVFAIL' } },
    ];
    expect(stopsWalk(asked[1]!.answer)).toBe(true);
    expect(stopsWalk(asked[0]!.answer)).toBe(false);
    expect(receiverAnswer(asked, null)).toEqual({
      kind: 'unknown',
      participant: '9944:NL123456789B01',
      tried: ['0106:12345678', '9944:NL123456789B01'],
      detail: 'SERVFAIL',
    });
  });

  test('when nothing could be asked, then the receiver is not registered with nothing tried', () => {
    expect(receiverAnswer([], null)).toEqual({ kind: 'notRegistered', tried: [] });
  });
});
