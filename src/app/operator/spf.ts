/**
 * Deliverability pre-flight (issue 18 item 5, decision 0094): where Exact sends invoice email "from" the
 * administration's sender address, the sender domain's SPF record must authorise Exact's mail servers
 * (`include:_spf.exactonline.nl`), or receivers file the mail as spam (reference round2-facts.md §9).
 * Follows `include:` and `redirect=` as receivers do, within RFC 7208's 10 DNS lookups (§4.6.4).
 */
import type { Language } from '../../domain/types';

export const EXACT_SPF_INCLUDE = '_spf.exactonline.nl';
const MAX_LOOKUPS = 10;

export interface TxtResolver {
  /** TXT records of a name, each as its character strings (node:dns `resolveTxt`). */
  resolveTxt(name: string): Promise<string[][]>;
}

export type SpfStatus = 'authorised' | 'not_authorised' | 'no_spf' | 'lookup_failed';

export interface SpfCheck {
  domain: string;
  status: SpfStatus;
  message: string;
}

export async function checkSpf(dns: TxtResolver, senderEmail: string, lang: Language): Promise<SpfCheck> {
  const domain = (senderEmail.split('@')[1] ?? '').trim().toLowerCase();
  const status = await verdict(dns, domain);
  return { domain, status, message: MESSAGES[lang][status](domain) };
}

async function verdict(dns: TxtResolver, domain: string): Promise<SpfStatus> {
  const budget = { lookups: 0 };
  try {
    const found = await authorises(dns, domain, budget);
    return found === null ? 'no_spf' : found ? 'authorised' : 'not_authorised';
  } catch {
    return 'lookup_failed';
  }
}

/** null: the domain publishes no SPF record. */
async function authorises(
  dns: TxtResolver,
  domain: string,
  budget: { lookups: number },
): Promise<boolean | null> {
  if (++budget.lookups > MAX_LOOKUPS || !domain) return false;
  const record = (await txtOf(dns, domain)).find((r) => /^v=spf1(\s|$)/i.test(r));
  if (!record) return null;
  const terms = record
    .split(/\s+/)
    .slice(1)
    .map((t) => t.toLowerCase());
  for (const term of terms) {
    const include = /^[+]?include:(.+)$/.exec(term)?.[1];
    if (include === undefined) continue;
    if (bare(include) === EXACT_SPF_INCLUDE) return true;
    if ((await authorises(dns, bare(include), budget)) === true) return true;
  }
  const redirect = terms.find((t) => t.startsWith('redirect='))?.slice('redirect='.length);
  return redirect ? (await authorises(dns, bare(redirect), budget)) === true : false;
}

async function txtOf(dns: TxtResolver, domain: string): Promise<string[]> {
  try {
    return (await dns.resolveTxt(domain)).map((chunks) => chunks.join(''));
  } catch (err) {
    // No such name or no TXT record: no SPF record; anything else (timeout, refused) is a failed lookup.
    if (['ENOTFOUND', 'ENODATA'].includes((err as { code?: string }).code ?? '')) return [];
    throw err;
  }
}

const bare = (name: string) => name.replace(/\.$/, '');

const MESSAGES: Record<Language, Record<SpfStatus, (d: string) => string>> = {
  en: {
    authorised: (d) => `The SPF record of ${d} authorises Exact Online's mail servers.`,
    not_authorised: (d) =>
      `The SPF record of ${d} does not authorise Exact Online's mail servers: receivers may file the invoice email as spam. Add include:${EXACT_SPF_INCLUDE} to it.`,
    no_spf: (d) =>
      `${d} publishes no SPF record: receivers may file the invoice email as spam. Publish one with include:${EXACT_SPF_INCLUDE}.`,
    lookup_failed: (d) => `The SPF record of ${d} could not be read (DNS did not answer); check it later.`,
  },
  nl: {
    authorised: (d) => `Het SPF-record van ${d} staat de mailservers van Exact Online toe.`,
    not_authorised: (d) =>
      `Het SPF-record van ${d} staat de mailservers van Exact Online niet toe: ontvangers kunnen de factuurmail als spam zien. Voeg include:${EXACT_SPF_INCLUDE} toe.`,
    no_spf: (d) =>
      `${d} heeft geen SPF-record: ontvangers kunnen de factuurmail als spam zien. Publiceer er een met include:${EXACT_SPF_INCLUDE}.`,
    lookup_failed: (d) =>
      `Het SPF-record van ${d} kon niet worden gelezen (DNS antwoordde niet); controleer het later.`,
  },
};
