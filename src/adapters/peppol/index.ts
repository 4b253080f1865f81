export { createPeppolDirectory, type PeppolNetworkOptions } from './directory';
export { createPeppolLookup, type PeppolLookupOptions } from './factory';
