/**
 * The SML step (round2-facts §5): the participant's U-NAPTR record, service `Meta:SMP`, flag `U`; the lowest
 * order, then preference, wins; the SMP URL is the replacement of its `!^.*$!…!` regexp.
 */
import { Resolver } from 'node:dns/promises';
import type { NaptrRecord } from 'node:dns';

export type SmlAnswer =
  { kind: 'found'; url: string } | { kind: 'notRegistered' } | { kind: 'unknown'; detail: string };

/** `ENOTFOUND` (NXDOMAIN) and `ENODATA` (the name exists, no NAPTR): the SML does not know the participant. */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

export interface SmlOptions {
  /** `host` or `host:port` of the DNS servers to ask; the system's when absent. */
  servers?: readonly string[];
  /** Per try (c-ares `timeout`), ms. */
  timeoutMs: number;
  tries?: number;
}

export function createResolver(options: SmlOptions): Resolver {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers]);
  return resolver;
}

export async function askSml(resolver: Pick<Resolver, 'resolveNaptr'>, dnsName: string): Promise<SmlAnswer> {
  let records: NaptrRecord[];
  try {
    records = await resolver.resolveNaptr(dnsName);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && ABSENT.has(code)) return { kind: 'notRegistered' };
    return { kind: 'unknown', detail: `DNS ${typeof code === 'string' ? code : 'error'}` };
  }
  const smp = records
    .filter((r) => r.service.toLowerCase() === 'meta:smp' && r.flags.toLowerCase() === 'u')
    .sort((a, b) => a.order - b.order || a.preference - b.preference)[0];
  if (!smp) return { kind: 'unknown', detail: 'DNS answer without a Meta:SMP record' };
  const url = urlFromRegexp(smp.regexp);
  if (url === null) return { kind: 'unknown', detail: 'Meta:SMP record without an https URL' };
  return { kind: 'found', url };
}

/** `!^.*$!https://smp.example.com/!` → `https://smp.example.com/`. The first character is the delimiter. */
export function urlFromRegexp(regexp: string): string | null {
  const delimiter = regexp.charAt(0);
  if (delimiter === '') return null;
  const parts = regexp.split(delimiter);
  // ['', '^.*$', 'https://…', flags]
  if (parts.length !== 4 || parts[1] !== '^.*$') return null;
  const url = parts[2]!;
  // HTTPS on 443 is mandatory since 2026-02-01 (round2-facts §5): a plain http SMP is not used.
  if (!/^https:\/\/[^\s/]+/i.test(url)) return null;
  return url.endsWith('/') ? url : `${url}/`;
}
