/**
 * Facts rendered as the noun phrases messages are built from, so a template never shows a raw
 * placeholder or "undefined": a missing fact falls back to a neutral phrase ("the relation").
 */
import type { Channel, Language, MessageFacts } from '../types';
import { recipientPhrase } from './recipient';

export interface Words {
  facts: MessageFacts;
  relation: string;
  administration: string;
  invoice: string;
  channel: string;
  method: string;
  source: string;
  /** `YYYY-MM-DD`, or a neutral phrase. */
  date: string;
  /** Local time with zone, or a neutral phrase. */
  when: string;
  address: string;
  /** ` (detail)` or '' — optional operator detail. */
  detailSuffix: string;
  /** ` to <address> (where Exact holds it)`, or '' when the address was not read from Exact. */
  recipient: string;
}

const CHANNEL: Record<Language, Record<Channel, string>> = {
  nl: {
    peppol: 'Peppol (e-factuur)',
    postbox: 'de digitale postbox van Exact',
    email: 'e-mail',
    paper: 'papier (printlijst)',
  },
  en: {
    peppol: 'Peppol e-invoice',
    postbox: "Exact's digital postbox",
    email: 'email',
    paper: 'paper (print list)',
  },
};

const SOURCE: Record<Language, Record<string, string>> = {
  nl: {
    salesOrder: 'facturen uit verkooporders',
    recurring: 'terugkerende facturen (abonnementen)',
    manual: 'handmatig ingevoerde facturen',
    otherApplication: 'facturen uit een andere applicatie (API)',
  },
  en: {
    salesOrder: 'invoices from sales orders',
    recurring: 'recurring invoices (subscriptions)',
    manual: 'manually entered invoices',
    otherApplication: 'invoices from another application (API)',
  },
};

const FALLBACK: Record<
  Language,
  Record<
    'relation' | 'administration' | 'invoice' | 'channel' | 'date' | 'when' | 'address' | 'source',
    string
  >
> = {
  nl: {
    relation: 'de relatie',
    administration: 'de administratie',
    invoice: 'deze factuur',
    channel: 'het gekozen kanaal',
    date: 'de factuurdatum',
    when: 'het geplande moment',
    address: '(leeg)',
    source: 'facturen van deze bron',
  },
  en: {
    relation: 'the relation',
    administration: 'the administration',
    invoice: 'this invoice',
    channel: 'the chosen channel',
    date: 'the invoice date',
    when: 'the scheduled time',
    address: '(empty)',
    source: 'invoices of this source',
  },
};

const NOUN: Record<
  Language,
  { relation: string; administration: string; invoice: string; creditNote: string }
> = {
  nl: { relation: 'relatie', administration: 'administratie', invoice: 'factuur', creditNote: 'creditnota' },
  en: {
    relation: 'relation',
    administration: 'administration',
    invoice: 'invoice',
    creditNote: 'credit note',
  },
};
const THIS_CREDIT_NOTE: Record<Language, string> = { nl: 'deze creditnota', en: 'this credit note' };

export function channelWord(channel: Channel | undefined, lang: Language): string {
  return channel !== undefined && channel in CHANNEL[lang] ? CHANNEL[lang][channel] : FALLBACK[lang].channel;
}

function administrationPhrase(f: MessageFacts, lang: Language): string {
  const noun = NOUN[lang].administration;
  if (f.administration && f.division !== undefined) return `${noun} ${f.administration} (${f.division})`;
  if (f.administration) return `${noun} ${f.administration}`;
  if (f.division !== undefined) return `${noun} ${f.division}`;
  return FALLBACK[lang].administration;
}

function methodPhrase(f: MessageFacts, lang: Language): string {
  if (f.method === undefined) return lang === 'nl' ? 'onbekend' : 'unknown';
  if (f.method === 'automatic') return lang === 'nl' ? 'automatisch' : 'automatic';
  if (f.method in CHANNEL[lang]) return CHANNEL[lang][f.method as Channel];
  return lang === 'nl' ? `factuurwijze ${f.method}` : `invoice method ${f.method}`;
}

/** "invoice 1234", or "credit note 1234" for an Exact credit note (type 8021/8024). */
function invoicePhrase(f: MessageFacts, lang: Language): string {
  const credit = f.document === 'creditNote';
  if (!f.invoice) return credit ? THIS_CREDIT_NOTE[lang] : FALLBACK[lang].invoice;
  return `${credit ? NOUN[lang].creditNote : NOUN[lang].invoice} ${f.invoice}`;
}

export function wordsFor(facts: MessageFacts, lang: Language): Words {
  const fb = FALLBACK[lang];
  const noun = NOUN[lang];
  const relation = facts.relation ? `${noun.relation} ${facts.relation}` : fb.relation;
  return {
    facts,
    relation,
    administration: administrationPhrase(facts, lang),
    invoice: invoicePhrase(facts, lang),
    channel: channelWord(facts.channel, lang),
    method: methodPhrase(facts, lang),
    source: (facts.source !== undefined ? SOURCE[lang][facts.source] : undefined) ?? fb.source,
    date: facts.date ?? fb.date,
    when: facts.when ? (facts.zone ? `${facts.when} (${facts.zone})` : facts.when) : fb.when,
    address: facts.address ?? fb.address,
    detailSuffix: facts.detail ? ` (${facts.detail})` : '',
    recipient: recipientPhrase(facts, relation, lang),
  };
}
