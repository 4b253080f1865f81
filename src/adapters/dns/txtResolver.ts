/**
 * TXT lookups for the SPF pre-flight (decision 0094): node:dns's own resolver, on the servers given
 * (`SpfDnsServers`, e.g. a loopback DNS in tests) or the system's. Each lookup times out after 3 s, 2 tries.
 */
import { Resolver } from 'node:dns/promises';
import type { TxtResolver } from '../../app/operator/spf';

export function createTxtResolver(servers?: string[]): TxtResolver {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers(servers);
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}
