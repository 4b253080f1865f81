import {
  ALL_REASONS,
  decide,
  explain,
  languageFromCode,
  type Language,
  type MessageFacts,
  type ReasonCode,
} from '../../src/domain';
import { input } from './fixtures';

const FULL: MessageFacts = {
  relation: 'Bakkerij Jansen',
  administration: 'Jansen Holding',
  division: 123456,
  channel: 'email',
  method: 'email',
  date: '2026-03-29',
  when: '2026-03-29 00:05',
  zone: 'Europe/Amsterdam',
  address: 'jan@@bakkerij.nl',
  source: 'recurring',
  status: 10,
  detail: 'EmailCreationError: mailbox unavailable',
  invoice: '26001',
  layout: 'email',
  days: 3,
};
const LEFTOVER = /\{\w+\}|\$\{|undefined|null|NaN|\[object/;
const LANGS: Language[] = ['nl', 'en'];

describe('explain: a Dutch and an English message for every reason code', () => {
  test.each(ALL_REASONS.map((r) => [r]))(
    'when the reason is %s, then nl and en differ and leave no placeholder',
    (reason) => {
      const nl = explain(reason, FULL, 'nl');
      const en = explain(reason, FULL, 'en');
      expect(nl.length).toBeGreaterThan(20);
      expect(en.length).toBeGreaterThan(20);
      expect(nl).not.toBe(en);
      expect(nl).not.toMatch(LEFTOVER);
      expect(en).not.toMatch(LEFTOVER);
    },
  );

  test.each(ALL_REASONS.flatMap((r) => LANGS.map((l): [ReasonCode, Language] => [r, l])))(
    'when the reason is %s in %s and no facts are known, then the message still reads without placeholders',
    (reason, lang) => {
      expect(explain(reason, {}, lang)).not.toMatch(LEFTOVER);
    },
  );
});

describe('explain: messages name the facts', () => {
  test.each<[ReasonCode, string, string]>([
    [
      'dataverse_rejected',
      'Failed: Dynamics 365 refused a change',
      'Mislukt: Dynamics 365 weigerde een wijziging',
    ],
    [
      'ledger_unavailable',
      'Waiting: the AutoInvoice dispatch ledger cannot be reached',
      'Wacht: het verzendlogboek van AutoInvoice is niet bereikbaar',
    ],
  ])(
    'when the reason is %s (PRODUCT.md §15), then the message says what failed and carries the detail',
    (reason, en, nl) => {
      expect(ALL_REASONS).toContain(reason);
      expect(explain(reason, FULL, 'en')).toContain(en);
      expect(explain(reason, FULL, 'nl')).toContain(nl);
      expect(explain(reason, FULL, 'en')).toContain('(EmailCreationError: mailbox unavailable)');
      expect(explain(reason, FULL, 'nl')).toContain('(EmailCreationError: mailbox unavailable)');
    },
  );

  test('when auto-invoice is off for the relation, then the message reads as the product example', () => {
    const d = decide(input({ relation: { autoInvoice: false } }));
    expect(explain(d.reason, d.facts, 'en')).toBe(
      'Not sent: relation Bakkerij Jansen has auto-invoice switched off (manual check).',
    );
    expect(explain(d.reason, d.facts, 'nl')).toBe(
      'Niet verzonden: relatie Bakkerij Jansen heeft automatisch factureren uitgeschakeld (handmatige controle).',
    );
  });

  test.each<[number | null, boolean, string, string]>([
    [10, false, 'is a draft in Exact Online (status 10)', 'is een concept (draft, status 10)'],
    [
      50,
      false,
      'was processed in Exact Online outside AutoInvoice',
      'is buiten AutoInvoice om verwerkt in Exact Online',
    ],
    [
      50,
      true,
      'processed in Exact Online (status 50), and a processed invoice is not printed a second time. Send it to the customer from Exact Online',
      'al laten verwerken in Exact Online (status 50), en een verwerkte factuur wordt niet nog eens geprint. Stuur hem vanuit Exact Online',
    ],
    [null, false, 'was not found in Exact Online', 'is niet gevonden in Exact Online'],
  ])(
    'when the Exact status is %p (printed by AutoInvoice: %p), then the message says so plainly',
    (status, ours, en, nl) => {
      const d = decide(
        input({ invoice: { exactStatus: status as 10 | 50 | null, printedByAutoInvoice: ours } }),
      );
      expect(explain(d.reason, d.facts, 'en')).toContain(`invoice 26001 ${en}`);
      expect(explain(d.reason, d.facts, 'nl')).toContain(`factuur 26001 ${nl}`);
    },
  );

  test('when the chain stops at disabled email, then the message says paper is not used either', () => {
    const d = decide(input({ administration: { channels: ['peppol', 'paper'] } }));
    expect(explain(d.reason, d.facts, 'en')).toContain(
      'email is switched off for administration Jansen Holding (123456)',
    );
    expect(explain(d.reason, d.facts, 'en')).toContain('not sent on paper either');
    expect(explain(d.reason, d.facts, 'nl')).toContain('ook niet op papier');
  });

  test('when the invoice is scheduled, then the message gives the channel in words and the local time', () => {
    const d = decide(
      input({
        administration: { timing: 'onInvoiceDate' },
        invoice: { invoiceDate: '2026-03-29' },
        relation: { peppolId: '0106:1' },
      }),
    );
    expect(explain(d.reason, d.facts, 'en')).toBe(
      'Scheduled: invoice 26001 will be sent by Peppol e-invoice on 2026-03-29 00:05 (Europe/Amsterdam).',
    );
    expect(explain(d.reason, d.facts, 'nl')).toBe(
      'Gepland: factuur 26001 wordt op 2026-03-29 00:05 (Europe/Amsterdam) verzonden via Peppol (e-factuur).',
    );
  });

  test('when the channel is disabled, then the message names channel and administration', () => {
    const d = decide(input({ administration: { channels: ['paper'] }, relation: { invoiceMethod: 4 } }));
    expect(explain(d.reason, d.facts, 'en')).toBe(
      "Not sent: relation Bakkerij Jansen is invoiced by Exact's digital postbox, but Exact's digital postbox is switched off for administration Jansen Holding (123456).",
    );
  });

  test('when an email address is invalid, then the message quotes it', () => {
    const d = decide(input({ relation: { invoiceMethod: 2, invoiceEmail: 'ok@b.nl; jan@@b.nl' } }));
    expect(explain(d.reason, d.facts, 'nl')).toContain('"jan@@b.nl" is geen e-mailadres');
  });
});

describe('languageFromCode', () => {
  test.each<[number | null, Language | undefined, Language]>([
    [1043, undefined, 'nl'],
    [2067, undefined, 'nl'],
    [1033, undefined, 'en'],
    [1031, undefined, 'en'],
    [null, undefined, 'en'],
    [1033, 'nl', 'nl'],
    [1043, 'en', 'en'],
  ])(
    'when the organisation language is %p and the override %p, then the language is %s',
    (code, override, lang) => {
      expect(languageFromCode(code, override)).toBe(lang);
    },
  );
});

describe('credit notes are named as credit notes', () => {
  test('when Exact says the document is a credit note, then the message calls it one, in Dutch and English', () => {
    const d = decide(input({ invoice: { autoDispatch: false, creditNote: true } }));
    expect(explain(d.reason, d.facts, 'en')).toBe(
      'Not sent: automatic dispatch is switched off on credit note 26001 (opted out).',
    );
    expect(explain(d.reason, d.facts, 'nl')).toContain('creditnota 26001');
    expect(
      explain(
        'scheduled',
        { document: 'creditNote', invoice: '26001', channel: 'email', when: '1 June 00:05' },
        'en',
      ),
    ).toBe('Scheduled: credit note 26001 will be sent by email on 1 June 00:05.');
    expect(
      explain(
        'scheduled',
        { document: 'creditNote', invoice: '26001', channel: 'email', when: '1 juni 00:05' },
        'nl',
      ),
    ).toBe('Gepland: creditnota 26001 wordt op 1 juni 00:05 verzonden via e-mail.');
    expect(explain('invoice_opted_out', { document: 'creditNote' }, 'en')).toBe(
      'Not sent: automatic dispatch is switched off on this credit note (opted out).',
    );
  });
});

describe('a sent message names where Exact sent it, never the addresses Dynamics holds', () => {
  test.each([
    [
      'email',
      'en',
      'Sent by email: Exact Online sent it to the email address that Exact Online holds for relation Café De Hoek.',
    ],
    [
      'email',
      'nl',
      'Verzonden via e-mail: Exact Online stuurde hem naar het e-mailadres dat Exact Online bij relatie Café De Hoek heeft.',
    ],
    [
      'peppol',
      'en',
      'Sent by Peppol e-invoice: Exact Online sent it to the Peppol id that Exact Online holds for relation Café De Hoek.',
    ],
    ['paper', 'en', 'Sent by paper (print list).'],
  ] as const)('when sent by %s (%s), then: %s', (channel, lang, text) => {
    const facts = {
      channel,
      relation: 'Café De Hoek',
      address: 'factuur@dehoek.example; eigenaar@dehoek.example',
    } as const;
    expect(explain('sent', facts, lang)).toBe(text);
  });
});
