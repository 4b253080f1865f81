/**
 * The Peppol receiver lookup as dispatch takes it (`DispatchDeps.peppol`): the network behind the Table
 * Storage cache, walked in the Dutch order. For the composition root and the local demo (decision 0080).
 */
import { peppolReceivers } from '../../app/peppol/receivers';
import type { PeppolReceivers } from '../../app/peppol/ports';
import type { Clock } from '../../app/ports';
import { cachedPeppolDirectory, createPeppolCacheClient } from '../store/peppolCache';
import type { TableConnection } from '../store/tables';
import { createPeppolDirectory, type PeppolNetworkOptions } from './directory';

export interface PeppolLookupOptions extends PeppolNetworkOptions {
  /** The storage account of the ledger (same connection); the cache table is `peppolLookups`. */
  storage: TableConnection;
  cacheTable?: string;
  clock?: Clock;
}

export function createPeppolLookup(options: PeppolLookupOptions): PeppolReceivers {
  const { storage, cacheTable, clock, ...network } = options;
  const cache = createPeppolCacheClient(storage, cacheTable);
  return peppolReceivers(cachedPeppolDirectory(createPeppolDirectory(network), cache, { clock }));
}
