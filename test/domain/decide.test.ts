import { decide } from '../../src/domain';
import type { AdministrationFacts, LicenceCheck } from '../../src/domain';
import { input, VALID_LICENCE, type Over } from './fixtures';

const bad = (reason: Extract<LicenceCheck, { ok: false }>['reason']): LicenceCheck => ({ ok: false, reason });
const lic = (features: ('sales' | 'recurring')[]): LicenceCheck => ({ ...VALID_LICENCE, features });
const EMAIL_OFF: Partial<AdministrationFacts> = { channels: ['peppol', 'postbox', 'paper'] };

type Row = [row: number, when: string, over: Over, kind: string, reason: string];

// PRODUCT.md §4, one line per condition: the row decides.
const decides: Row[] = [
  [1, 'no licence', { licence: bad('licence_missing') }, 'ignore', 'licence_missing'],
  [1, 'a bad signature', { licence: bad('licence_invalid') }, 'ignore', 'licence_invalid'],
  [
    1,
    'a licence of another tenant',
    { licence: bad('licence_wrong_tenant') },
    'ignore',
    'licence_wrong_tenant',
  ],
  [
    1,
    'an expired licence, even when everything else would also stop it',
    { licence: bad('licence_expired'), administration: null, relation: null },
    'ignore',
    'licence_expired',
  ],
  [
    2,
    'a sales-only licence and a recurring invoice',
    { licence: lic(['sales']), invoice: { source: 2 } },
    'ignore',
    'licence_feature_missing',
  ],
  [
    2,
    'a recurring-only licence and a sales-order invoice',
    { licence: lic(['recurring']), invoice: { source: 1 } },
    'ignore',
    'licence_feature_missing',
  ],
  [
    2,
    'a recurring-only licence and a manual invoice',
    { licence: lic(['recurring']), invoice: { source: 3 } },
    'ignore',
    'licence_feature_missing',
  ],
  [
    2,
    'a recurring-only licence and an API invoice',
    { licence: lic(['recurring']), invoice: { source: 4 } },
    'ignore',
    'licence_feature_missing',
  ],
  [3, 'the administration is not configured', { administration: null }, 'ignore', 'administration_unknown'],
  [
    3,
    'Print invoices is off',
    { administration: { printInvoices: false } },
    'ignore',
    'administration_disabled',
  ],
  [
    3,
    'the invoice is dated before the administration’s activation date (the backlog), even as a draft',
    { administration: { activeFrom: '2026-03-01' }, invoice: { invoiceDate: '2026-02-28', exactStatus: 10 } },
    'ignore',
    'before_activation',
  ],
  [4, 'the invoice is a draft (10)', { invoice: { exactStatus: 10 } }, 'ignore', 'invoice_not_open'],
  [
    4,
    'the invoice is processed (50) outside AutoInvoice',
    { invoice: { exactStatus: 50 } },
    'ignore',
    'invoice_processed_elsewhere',
  ],
  [
    4,
    'the invoice is processed (50) by AutoInvoice’s own print (a resend after a channel error)',
    { invoice: { exactStatus: 50, printedByAutoInvoice: true } },
    'ignore',
    'invoice_not_open',
  ],
  [4, 'the invoice is not found in Exact', { invoice: { exactStatus: null } }, 'ignore', 'invoice_not_open'],
  [5, 'eol_autodispatch is no', { invoice: { autoDispatch: false } }, 'optedOut', 'invoice_opted_out'],
  [
    6,
    'the source is not among eol_sources',
    { administration: { sources: [1, 3, 4] }, invoice: { source: 2 } },
    'ignore',
    'source_disabled',
  ],
  [7, 'the relation is not found', { relation: null }, 'ignore', 'relation_unknown'],
  [
    7,
    'the relation has auto-invoice off',
    { relation: { autoInvoice: false } },
    'ignore',
    'relation_disabled',
  ],
  [
    8,
    'the relation prints and sends itself',
    { relation: { printAndSend: true } },
    'ignore',
    'relation_prints_itself',
  ],
  [
    9,
    'the relation method email is not among eol_channels',
    { administration: EMAIL_OFF, relation: { invoiceMethod: 2, invoiceEmail: 'a@b.nl' } },
    'ignore',
    'channel_disabled',
  ],
  [
    9,
    'the inherited default Peppol is not among eol_channels',
    { administration: { defaultInvoiceMethod: 32, channels: ['paper'] }, relation: { peppolId: '0106:1' } },
    'ignore',
    'channel_disabled',
  ],
  [
    10,
    'method email and no address',
    { relation: { invoiceMethod: 2, invoiceEmail: ' ; ' } },
    'fail',
    'email_missing',
  ],
  [
    10,
    'method email and one bad address',
    { relation: { invoiceMethod: 2, invoiceEmail: 'a@b.nl; nope' } },
    'fail',
    'email_invalid',
  ],
  [10, 'method Peppol and no Peppol id', { relation: { invoiceMethod: 32 } }, 'fail', 'peppol_id_missing'],
  [
    10,
    'method Peppol and a malformed Peppol id',
    { relation: { invoiceMethod: 32, peppolId: '12345678' } },
    'fail',
    'peppol_id_missing',
  ],
  [
    11,
    'automatic, email off and no Peppol id (no paper either)',
    { administration: EMAIL_OFF, relation: { invoiceEmail: 'a@b.nl' } },
    'ignore',
    'no_channel',
  ],
  [
    12,
    'no document layout on relation nor administration',
    { administration: { defaultLayout: null } },
    'fail',
    'layout_missing',
  ],
  [
    12,
    'email without an email layout',
    { administration: { defaultEmailLayout: ' ' }, relation: { invoiceEmail: 'a@b.nl' } },
    'fail',
    'layout_missing',
  ],
  [13, 'nothing stops it', {}, 'send', 'ready'],
  [
    13,
    'timing is on the invoice date and the date is ahead',
    { administration: { timing: 'onInvoiceDate' }, invoice: { invoiceDate: '2026-04-01' } },
    'send',
    'scheduled',
  ],
];

// A neighbouring condition holds, yet this row does not decide: an earlier row wins, or the condition falls short.
const doesNot: Row[] = [
  [1, 'the licence is valid', {}, 'send', 'ready'],
  [
    2,
    'a sales-only licence covers a manual invoice',
    { licence: lic(['sales']), invoice: { source: 3 } },
    'send',
    'ready',
  ],
  [
    2,
    'a recurring-only licence covers a recurring invoice',
    { licence: lic(['recurring']), invoice: { source: 2 } },
    'send',
    'ready',
  ],
  [
    2,
    'the feature is missing but there is no licence at all',
    { licence: bad('licence_missing'), invoice: { source: 2 } },
    'ignore',
    'licence_missing',
  ],
  [
    3,
    'the administration is off but the licence lacks the feature',
    { licence: lic(['sales']), administration: { printInvoices: false }, invoice: { source: 2 } },
    'ignore',
    'licence_feature_missing',
  ],
  [
    3,
    'the administration is on but has no sources',
    { administration: { sources: [] } },
    'ignore',
    'source_disabled',
  ],
  [
    3,
    'the invoice is dated on the activation date itself',
    { administration: { activeFrom: '2026-03-20' }, invoice: { invoiceDate: '2026-03-20' } },
    'send',
    'ready',
  ],
  [
    3,
    'the backlog invoice belongs to a disabled administration',
    { administration: { printInvoices: false, activeFrom: '2026-03-21' } },
    'ignore',
    'administration_disabled',
  ],
  [
    4,
    'the draft belongs to a disabled administration',
    { administration: { printInvoices: false }, invoice: { exactStatus: 10 } },
    'ignore',
    'administration_disabled',
  ],
  [
    4,
    'the invoice is open (20) and opted out',
    { invoice: { exactStatus: 20, autoDispatch: false } },
    'optedOut',
    'invoice_opted_out',
  ],
  [
    5,
    'the opted-out invoice is already processed',
    { invoice: { autoDispatch: false, exactStatus: 50 } },
    'ignore',
    'invoice_processed_elsewhere',
  ],
  [
    5,
    'autodispatch is yes but the relation is off',
    { relation: { autoInvoice: false } },
    'ignore',
    'relation_disabled',
  ],
  [
    6,
    'the disabled source is opted out',
    { administration: { sources: [1] }, invoice: { source: 3, autoDispatch: false } },
    'optedOut',
    'invoice_opted_out',
  ],
  [
    6,
    'the source is enabled but the relation is unknown',
    { administration: { sources: [3] }, invoice: { source: 3 }, relation: null },
    'ignore',
    'relation_unknown',
  ],
  [
    7,
    'the relation is off and the source too',
    { administration: { sources: [1] }, invoice: { source: 4 }, relation: { autoInvoice: false } },
    'ignore',
    'source_disabled',
  ],
  [
    7,
    'the relation is on and prints itself',
    { relation: { autoInvoice: true, printAndSend: true } },
    'ignore',
    'relation_prints_itself',
  ],
  [
    8,
    'print-and-send is yes but auto-invoice is off',
    { relation: { printAndSend: true, autoInvoice: false } },
    'ignore',
    'relation_disabled',
  ],
  [
    8,
    'print-and-send is no and the method is disabled',
    { administration: { channels: ['paper'] }, relation: { printAndSend: false, invoiceMethod: 4 } },
    'ignore',
    'channel_disabled',
  ],
  [
    9,
    'the disabled method belongs to a relation that prints itself',
    { administration: EMAIL_OFF, relation: { printAndSend: true, invoiceMethod: 2 } },
    'ignore',
    'relation_prints_itself',
  ],
  [9, 'the explicit postbox is enabled', { relation: { invoiceMethod: 4 } }, 'send', 'ready'],
  [
    10,
    'email has no address but email is disabled',
    { administration: EMAIL_OFF, relation: { invoiceMethod: 2 } },
    'ignore',
    'channel_disabled',
  ],
  [
    10,
    'automatic has no address: the chain goes on to paper',
    { relation: { invoiceMethod: 0, invoiceEmail: null } },
    'send',
    'ready',
  ],
  [
    10,
    'automatic has a bad address: the chain goes on to paper',
    { relation: { invoiceEmail: 'nope' } },
    'send',
    'ready',
  ],
  [
    11,
    'automatic with email off but a Peppol id',
    { administration: EMAIL_OFF, relation: { peppolId: '0106:12345678' } },
    'send',
    'ready',
  ],
  [
    11,
    'explicit paper with email off',
    { administration: EMAIL_OFF, relation: { invoiceMethod: 1 } },
    'send',
    'ready',
  ],
  [
    12,
    'no layout anywhere but no channel either',
    { administration: { ...EMAIL_OFF, defaultLayout: null } },
    'ignore',
    'no_channel',
  ],
  [12, 'paper needs no email layout', { administration: { defaultEmailLayout: null } }, 'send', 'ready'],
  [
    12,
    'the relation has a layout although the administration has none',
    { administration: { defaultLayout: null }, relation: { layout: 'rel-layout' } },
    'send',
    'ready',
  ],
  [
    13,
    'timing is on the invoice date but the date is today',
    { administration: { timing: 'onInvoiceDate' } },
    'send',
    'ready',
  ],
];

describe('decide: PRODUCT.md §4, first matching row decides', () => {
  test.each(decides)('row %i: when %s, then %s %s', (_row, _when, over, kind, reason) => {
    const d = decide(input(over));
    expect([d.kind, d.reason]).toEqual([kind, reason]);
  });
});

describe('decide: neighbouring conditions that do not trigger the row', () => {
  test.each(doesNot)('row %i does not decide: when %s, then %s %s', (_row, _when, over, kind, reason) => {
    const d = decide(input(over));
    expect([d.kind, d.reason]).toEqual([kind, reason]);
  });
});
