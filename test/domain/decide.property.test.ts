import fc from 'fast-check';
import {
  ALL_REASONS,
  decide,
  explain,
  type AdministrationFacts,
  type DecisionInput,
  type InvoiceFacts,
  type LicenceCheck,
  type MessageFacts,
  type RelationFacts,
} from '../../src/domain';

// Values outside the declared types are cast in on purpose: the decision must stay total for whatever an edge lets through.
const odd = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '{relation}', 'null', '\u0000', 'Ünïcødé ✓', ' ; ;'),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const text = maybe(
  fc.oneof(
    odd,
    fc.constantFrom('layout-1', 'a@b.nl', 'a@b.nl; c@d.nl', 'a@b.nl; bad', '0106:12345678', '0106:', 'KVK:1'),
  ),
);
const zone = fc.oneof(
  fc.constantFrom(
    'Europe/Amsterdam',
    'Asia/Tokyo',
    'America/Phoenix',
    'America/Santiago',
    'UTC',
    'Pacific/Chatham',
  ),
  fc.constantFrom('Not/AZone', '', 'europe/amsterdam', '+01:00', 'Etc/GMT+14'),
  fc.string(),
);
const instant = fc.date({
  min: new Date('1900-01-01T00:00:00Z'),
  max: new Date('2200-12-31T23:59:59Z'),
  noInvalidDate: false,
});
const dateOnly = fc.oneof(
  fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2200-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-02-30', '2026-3-1', '', '0000-01-01', '9999-12-31', '2026-03-29T00:00:00Z'),
  fc.string(),
);
const source = fc.constantFrom(1, 2, 3, 4, 0, 7, -1) as fc.Arbitrary<InvoiceFacts['source']>;
const method = fc.constantFrom(null, 0, 1, 2, 4, 32, 8, 99) as fc.Arbitrary<RelationFacts['invoiceMethod']>;
const channels = fc.subarray(['peppol', 'postbox', 'email', 'paper', 'fax', '']) as fc.Arbitrary<
  AdministrationFacts['channels']
>;

const licence: fc.Arbitrary<LicenceCheck> = fc.oneof(
  fc.record({
    ok: fc.constant(true as const),
    licenceId: odd,
    organizationId: odd,
    features: fc.subarray(['sales', 'recurring'] as const).map((f) => [...f]),
    notBefore: maybe(instant),
    expiresAt: instant,
  }),
  fc.record({
    ok: fc.constant(false as const),
    reason: fc.constantFrom(
      'licence_missing',
      'licence_invalid',
      'licence_wrong_tenant',
      'licence_expired' as const,
    ),
  }),
);

const administration: fc.Arbitrary<AdministrationFacts | null> = maybe(
  fc.record({
    id: odd,
    name: odd,
    division: fc.integer(),
    printInvoices: fc.boolean(),
    sources: fc.subarray([1, 2, 3, 4, 9]) as fc.Arbitrary<AdministrationFacts['sources']>,
    channels,
    timing: fc.constantFrom('immediate', 'onInvoiceDate', 'whenever') as fc.Arbitrary<
      AdministrationFacts['timing']
    >,
    timeZone: zone,
    defaultInvoiceMethod: method,
    defaultLayout: text,
    defaultEmailLayout: text,
    senderEmail: text,
    extraText: text,
    notifyEmail: text,
  }),
);

const relation: fc.Arbitrary<RelationFacts | null> = maybe(
  fc.record({
    id: odd,
    name: odd,
    exactAccountId: odd,
    autoInvoice: fc.boolean(),
    invoiceMethod: method,
    printAndSend: fc.boolean(),
    layout: text,
    emailLayout: text,
    invoiceEmail: text,
    peppolId: text,
  }),
);

const invoice: fc.Arbitrary<InvoiceFacts> = fc.record({
  exactInvoiceId: odd,
  division: fc.integer(),
  rowId: maybe(odd),
  invoiceNumber: maybe(fc.integer()),
  invoiceDate: dateOnly,
  source,
  autoDispatch: fc.boolean(),
  extraText: text,
  exactStatus: fc.constantFrom(10, 20, 50, null, 30) as fc.Arbitrary<InvoiceFacts['exactStatus']>,
  customerName: fc.option(odd, { nil: undefined }),
});

// structuredClone would hand back Dates of another realm than jest's, which toEqual then tells apart.
function clone<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T;
  }
  return value;
}

/** A comparable text of a value; Date(NaN) counts as equal to itself, which toEqual does not allow. */
function fingerprint(value: unknown): string {
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}:${fingerprint(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Facts as a message sees them, minus braces a generated name might carry, so only template leftovers are caught. */
const withoutBraces = (facts: MessageFacts): MessageFacts =>
  Object.fromEntries(
    Object.entries(facts).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[{}]|undefined/g, '') : v]),
  );

const decisionInput: fc.Arbitrary<DecisionInput> = fc.record({
  licence,
  administration,
  relation,
  invoice,
  now: instant,
});

describe('decide is total and deterministic', () => {
  test('when any facts are given (nulls, odd strings, invalid zones and dates), then decide never throws and repeats itself', () => {
    fc.assert(
      fc.property(decisionInput, (facts) => {
        const copy = clone(facts);
        const first = decide(facts);
        expect(decide(copy)).toEqual(first);
        expect(decide(facts)).toEqual(first);
        expect(fingerprint(facts)).toBe(fingerprint(copy));
        expect(ALL_REASONS).toContain(first.reason);
      }),
      { numRuns: 1500 },
    );
  });

  test('when a send is scheduled, then it is strictly after now; otherwise it goes now', () => {
    fc.assert(
      fc.property(decisionInput, (facts) => {
        const d = decide(facts);
        if (d.kind === 'send' && d.plan.sendAt !== null) {
          expect(d.reason).toBe('scheduled');
          expect(d.plan.sendAt.getTime()).toBeGreaterThan(facts.now.getTime());
        }
        if (d.kind === 'send' && d.plan.sendAt === null) expect(d.reason).toBe('ready');
      }),
      { numRuns: 500 },
    );
  });

  test('when any decision is explained, then both languages read without placeholders', () => {
    fc.assert(
      fc.property(decisionInput, (facts) => {
        const d = decide(facts);
        for (const lang of ['nl', 'en'] as const)
          expect(explain(d.reason, withoutBraces(d.facts), lang)).not.toMatch(/\{\w+\}|undefined|\[object/);
      }),
      { numRuns: 500 },
    );
  });
});
