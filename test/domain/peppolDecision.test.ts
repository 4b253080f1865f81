import { consultsPeppol } from '../../src/domain/channel';
import { decide } from '../../src/domain/decide';
import { explain } from '../../src/domain/messages';
import type { DefinitiveAnswer } from '../../src/domain/peppol';
import { administration, input, relation, type Over } from './fixtures';

const REGISTERED_KVK: DefinitiveAnswer = {
  kind: 'registered',
  participant: '0106:12345678',
  tried: ['0106:12345678'],
  offer: '0106:12345678',
};
const NOT_REGISTERED: DefinitiveAnswer = {
  kind: 'notRegistered',
  tried: ['0106:12345678', '9944:NL123456789B01'],
};
const WRONG_DOCUMENT: DefinitiveAnswer = {
  kind: 'wrongDocumentType',
  participant: '0106:12345678',
  tried: ['0106:12345678'],
};

const EMAIL = { invoiceEmail: 'boekhouding@bakkerij.nl' };
const decideWith = (peppol: DefinitiveAnswer | undefined, over: Over = {}) => ({
  ...decide({ ...input(over), peppol }),
});

describe('the automatic chain with the Peppol lookup', () => {
  test('when a relation without Peppol id is found by KvK, then it is sent by Peppol and the id is offered', () => {
    const d = decideWith(REGISTERED_KVK, { relation: EMAIL });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'peppol' } });
    expect(d.facts).toMatchObject({ peppolFound: '0106:12345678', peppolOffer: '0106:12345678' });
    expect(explain('ready', d.facts, 'en')).toContain('found on Peppol as 0106:12345678');
  });

  test('when the receiver is found under VAT after KvK and OIN, then the message names the identifier found and those tried first', () => {
    const vat: DefinitiveAnswer = {
      kind: 'registered',
      participant: '9944:NL123456789B01',
      tried: ['0106:12345678', '0190:00000001234567890000', '9944:NL123456789B01'],
      offer: '9944:NL123456789B01',
    };
    const d = decideWith(vat, { relation: EMAIL });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'peppol' } });
    expect(explain('ready', d.facts, 'en')).toContain(
      '(found on Peppol as 9944:NL123456789B01; tried first: 0106:12345678, 0190:00000001234567890000)',
    );
    expect(explain('ready', d.facts, 'nl')).toContain(
      '(op Peppol gevonden als 9944:NL123456789B01; eerst geprobeerd: 0106:12345678, 0190:00000001234567890000)',
    );
  });

  test('when the receiver is not registered, then it goes on to email and the message names what was tried', () => {
    const d = decideWith(NOT_REGISTERED, { relation: { ...EMAIL, peppolId: '0106:12345678' } });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'email' } });
    expect(explain('ready', d.facts, 'nl')).toContain('geprobeerd: 0106:12345678, 9944:NL123456789B01');
  });

  test('when the receiver is registered but not for this document type, then it goes on to email', () => {
    const d = decideWith(WRONG_DOCUMENT, { relation: EMAIL });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'email' } });
  });

  test('when not registered and email is switched off, then the chain stops there as before', () => {
    const d = decideWith(NOT_REGISTERED, {
      relation: EMAIL,
      administration: { channels: ['peppol', 'paper'] },
    });
    expect(d).toMatchObject({ kind: 'ignore', reason: 'no_channel', facts: { channel: 'email' } });
  });

  test('when the relation has a valid Peppol id but the network says not registered, then Peppol is not chosen', () => {
    const d = decideWith(NOT_REGISTERED, { relation: { peppolId: '0106:12345678' } });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'paper' } });
  });

  test('when the administration requires Peppol and the receiver is not registered, then it fails before printing', () => {
    const d = decideWith(NOT_REGISTERED, { relation: EMAIL, administration: { peppolRequired: true } });
    expect(d).toMatchObject({
      kind: 'fail',
      reason: 'peppol_not_registered',
      facts: { method: 'automatic' },
    });
    expect(explain('peppol_not_registered', d.facts, 'en')).toContain('requires Peppol');
  });

  test('when the administration requires Peppol and the relation has nothing to look up, then the message says so', () => {
    const d = decideWith(
      { kind: 'notRegistered', tried: [] },
      { relation: EMAIL, administration: { peppolRequired: true } },
    );
    expect(d).toMatchObject({ kind: 'fail', reason: 'peppol_not_registered' });
    expect(explain('peppol_not_registered', d.facts, 'en')).toContain('no Peppol id, KvK, OIN or VAT number');
    expect(explain('peppol_not_registered', d.facts, 'nl')).toContain(
      'geen Peppol-id, KvK-, OIN- of btw-nummer',
    );
  });

  test.each([
    ['email', { invoiceMethod: 2 as const, ...EMAIL }, 'email'],
    ['paper', { invoiceMethod: 1 as const }, 'paper'],
  ])(
    'when the administration requires Peppol and the relation’s method is %s explicitly, then that method is honoured (decision 0137)',
    (_name, rel, channel) => {
      const d = decideWith(undefined, { relation: rel, administration: { peppolRequired: true } });
      expect(d).toMatchObject({ kind: 'send', plan: { channel } });
    },
  );

  test('when the administration requires Peppol but has Peppol switched off, then the chain stops there as before (decision 0137)', () => {
    const d = decideWith(undefined, {
      relation: EMAIL,
      administration: { peppolRequired: true, channels: ['email', 'paper'] },
    });
    expect(d).toMatchObject({ kind: 'ignore', reason: 'no_channel', facts: { channel: 'peppol' } });
  });

  test('when the administration requires Peppol and the receiver is registered, then it is sent by Peppol', () => {
    const d = decideWith(REGISTERED_KVK, { administration: { peppolRequired: true } });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'peppol' } });
  });
});

describe('an explicit Peppol method with the lookup', () => {
  const PEPPOL = { invoiceMethod: 32 as const, peppolId: '0106:12345678' };

  test('when the receiver is not registered, then it fails with peppol_not_registered naming the identifiers tried', () => {
    const d = decideWith(NOT_REGISTERED, { relation: PEPPOL });
    expect(d).toMatchObject({ kind: 'fail', reason: 'peppol_not_registered' });
    const en = explain('peppol_not_registered', d.facts, 'en');
    expect(en).toContain('not registered under 0106:12345678, 9944:NL123456789B01');
    expect(en).toContain('Nothing was printed');
  });

  test('when a credit note’s receiver takes invoices only, then the message names the credit note and the identifier', () => {
    const d = decideWith(WRONG_DOCUMENT, { relation: PEPPOL, invoice: { creditNote: true } });
    expect(d).toMatchObject({ kind: 'fail', reason: 'peppol_not_registered' });
    const nl = explain('peppol_not_registered', d.facts, 'nl');
    expect(nl).toContain('BIS Billing 3.0-creditnota');
    expect(nl).toContain('wel aangemeld als 0106:12345678');
  });

  test('when the receiver is registered under KvK, then it is sent by Peppol', () => {
    const d = decideWith(REGISTERED_KVK, { relation: { invoiceMethod: 32 } });
    expect(d).toMatchObject({ kind: 'send', plan: { channel: 'peppol' } });
  });

  test('when the relation has no identifier at all, then the Peppol id is reported missing as before', () => {
    const d = decideWith({ kind: 'notRegistered', tried: [] }, { relation: { invoiceMethod: 32 } });
    expect(d).toMatchObject({ kind: 'fail', reason: 'peppol_id_missing' });
  });

  test('when the network was not asked, then a valid Peppol id is sent by Peppol as before', () => {
    expect(decideWith(undefined, { relation: PEPPOL })).toMatchObject({
      kind: 'send',
      plan: { channel: 'peppol' },
    });
  });
});

describe('whether the channel choice asks the network', () => {
  test.each([
    ['automatic with Peppol on', {}, {}, true],
    ['automatic with Peppol off', {}, { channels: ['email' as const, 'paper' as const] }, false],
    ['explicit Peppol', { invoiceMethod: 32 as const }, {}, true],
    ['explicit email', { invoiceMethod: 2 as const }, {}, false],
  ])('when %s, then it is %s', (_n, rel, adm, expected) => {
    expect(consultsPeppol(relation(rel), administration(adm))).toBe(expected);
  });
});
