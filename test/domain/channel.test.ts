import {
  decide,
  isValidEmail,
  isValidPeppolId,
  parseEmailList,
  type Channel,
  type InvoiceMethod,
} from '../../src/domain';
import { input } from './fixtures';

const ALL: Channel[] = ['peppol', 'postbox', 'email', 'paper'];
const PEPPOL = '0106:12345678';
const MAIL = 'boekhouding@bakkerij.nl';

describe('method: relation > administration default > automatic', () => {
  test.each<[string, InvoiceMethod | null, InvoiceMethod | null, string]>([
    ['neither has a method (automatic, Peppol id wins)', null, null, 'peppol'],
    ['the relation says paper and the administration email', 1, 2, 'paper'],
    ['only the administration has a default (email)', null, 2, 'email'],
    ['only the administration has a default (postbox)', null, 4, 'postbox'],
    ['the relation says automatic and the administration paper', 0, 1, 'peppol'],
    ['the relation says Peppol and the administration automatic', 32, 0, 'peppol'],
  ])('when %s, then the channel is %s', (_when, relationMethod, adminDefault, channel) => {
    const d = decide(
      input({
        administration: { defaultInvoiceMethod: adminDefault },
        relation: { invoiceMethod: relationMethod, peppolId: PEPPOL, invoiceEmail: MAIL },
      }),
    );
    expect(d.kind === 'send' && d.plan.channel).toBe(channel);
  });
});

describe('automatic chain: Peppol → email → paper through enabled channels, stopping at the first disabled one', () => {
  test.each<[string, Channel[], string | null, string | null, string, Channel]>([
    ['all enabled and a Peppol id', ALL, PEPPOL, MAIL, 'send', 'peppol'],
    ['all enabled, no Peppol id, a valid email', ALL, null, MAIL, 'send', 'email'],
    ['all enabled, a malformed Peppol id, a valid email', ALL, 'KVK-123', MAIL, 'send', 'email'],
    ['all enabled, no Peppol id, no email', ALL, null, null, 'send', 'paper'],
    ['all enabled, no Peppol id, an invalid email list', ALL, null, `${MAIL}; x@`, 'send', 'paper'],
    ['Peppol off, even with a Peppol id', ['email', 'paper'], PEPPOL, MAIL, 'ignore', 'peppol'],
    ['Peppol off and no Peppol id', ['postbox', 'email', 'paper'], null, MAIL, 'ignore', 'peppol'],
    [
      'email off, no Peppol id, a valid email: not on paper either',
      ['peppol', 'paper'],
      null,
      MAIL,
      'ignore',
      'email',
    ],
    [
      'email off, no Peppol id, no email: not on paper either',
      ['peppol', 'paper'],
      null,
      null,
      'ignore',
      'email',
    ],
    ['paper off, no Peppol id, no email', ['peppol', 'email'], null, null, 'ignore', 'paper'],
    ['paper off, no Peppol id, a valid email', ['peppol', 'email'], null, MAIL, 'send', 'email'],
    ['only postbox enabled (never chosen automatically)', ['postbox'], PEPPOL, MAIL, 'ignore', 'peppol'],
  ])('when %s, then %s via/at %s', (_when, channels, peppolId, invoiceEmail, kind, channel) => {
    const d = decide(input({ administration: { channels }, relation: { peppolId, invoiceEmail } }));
    expect(d.kind).toBe(kind);
    if (d.kind === 'send') expect(d.plan.channel).toBe(channel);
    else expect([d.reason, d.facts.channel]).toEqual(['no_channel', channel]);
  });
});

describe('explicit methods', () => {
  test('when the method is email and all addresses are valid, then Exact’s one address (the list’s first, trimmed) is the recipient without an Exact read', () => {
    const d = decide(
      input({ relation: { invoiceMethod: 2, invoiceEmail: ` ${MAIL} ;; info@bakkerij.nl ;` } }),
    );
    expect(d.kind === 'send' && d.plan.emailAddresses).toEqual([MAIL]);
  });

  test('when the email list has an invalid entry, then the failure names it', () => {
    const d = decide(input({ relation: { invoiceMethod: 2, invoiceEmail: `${MAIL}; jan@@bakkerij.nl` } }));
    expect([d.kind, d.reason, d.facts.address]).toEqual(['fail', 'email_invalid', 'jan@@bakkerij.nl']);
  });

  test('when the method is paper, then neither email nor Peppol id are needed', () => {
    const d = decide(input({ relation: { invoiceMethod: 1 } }));
    expect(d.kind === 'send' && d.plan).toMatchObject({
      channel: 'paper',
      emailAddresses: [],
      emailLayout: null,
    });
  });

  test('when the method is a code AutoInvoice cannot use (8 send-and-track), then it is ignored as channel_disabled', () => {
    const d = decide(input({ relation: { invoiceMethod: 8 as InvoiceMethod } }));
    expect([d.kind, d.reason, d.facts.method, d.facts.channel]).toEqual([
      'ignore',
      'channel_disabled',
      '8',
      undefined,
    ]);
  });
});

describe('address syntax', () => {
  test.each([
    ['jan@bakkerij.nl', true],
    ['jan.de.vries+factuur@sub.bakkerij-jansen.co.uk', true],
    ["o'brien@example.ie", true],
    ['jan@bakkerij', false],
    ['jan bakker@bakkerij.nl', false],
    ['jan@@bakkerij.nl', false],
    ['.jan@bakkerij.nl', false],
    ['jan..de@bakkerij.nl', false],
    ['jan@-bakkerij.nl', false],
    ['@bakkerij.nl', false],
    ['jan@bakkerij.n', false],
  ])('when the address is %s, then valid is %s', (address, valid) => {
    expect(isValidEmail(address)).toBe(valid);
  });

  test.each([
    [null, 'missing'],
    ['', 'missing'],
    [' ; ;', 'missing'],
    ['a@b.nl', 'valid'],
    ['a@b.nl;c@d.nl', 'valid'],
    ['a@b.nl; nope', 'invalid'],
  ])('when the email list is %p, then it is %s', (raw, kind) => {
    expect(parseEmailList(raw).kind).toBe(kind);
  });

  test.each([
    ['0106:12345678', true],
    [' 0208:0123456789 ', true],
    ['9908:810017902', true],
    ['106:12345678', false],
    ['0106:', false],
    ['0106:12 34', false],
    ['KVK:12345678', false],
    ['12345678', false],
    [null, false],
  ])('when the Peppol id is %p, then valid is %s', (raw, valid) => {
    expect(isValidPeppolId(raw)).toBe(valid);
  });
});
