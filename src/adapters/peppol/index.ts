export { createPeppolDirectory, type PeppolNetworkOptions } from './directory';
