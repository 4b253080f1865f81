/**
 * What a user reads in `eol_dispatchmessage`: one Dutch and one English message per reason code
 * (PRODUCT.md §4 "Explanations"), naming the facts. Templates are functions over rendered words,
 * so the compiler enforces a message for every code and no raw placeholder can leak.
 */
import type { LicenceExpiryNotice } from '../licence';
import type { ReasonCode } from '../reasons';
import type { Language, MessageFacts } from '../types';
import { EN, EN_LICENCE_EXPIRING } from './en';
import { NL, NL_LICENCE_EXPIRING } from './nl';
import { wordsFor } from './words';

export { channelWord } from './words';

const MESSAGES: Record<Language, Record<ReasonCode, (w: ReturnType<typeof wordsFor>) => string>> = {
  nl: NL,
  en: EN,
};

export function explain(reason: ReasonCode, facts: MessageFacts, lang: Language): string {
  const language: Language = lang === 'nl' ? 'nl' : 'en';
  const template = MESSAGES[language][reason];
  // An unknown code (e.g. a newer connector's row read by an older one) still yields a readable line.
  if (template === undefined) return `Status: ${String(reason)}.`;
  return template(wordsFor(facts ?? {}, language));
}

export function explainLicenceExpiry(notice: LicenceExpiryNotice, lang: Language): string {
  const words = wordsFor(notice.facts, lang === 'nl' ? 'nl' : 'en');
  return lang === 'nl' ? NL_LICENCE_EXPIRING(words) : EN_LICENCE_EXPIRING(words);
}

/** Dataverse `organization.languagecode` (LCID): Dutch (1043 Netherlands, 2067 Belgium) → nl, anything else → en. */
const DUTCH_LCIDS: ReadonlySet<number> = new Set([1043, 2067]);

export function languageFromCode(languagecode: number | null, override?: Language): Language {
  if (override === 'nl' || override === 'en') return override;
  return languagecode !== null && DUTCH_LCIDS.has(languagecode) ? 'nl' : 'en';
}
