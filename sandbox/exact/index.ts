/** Exact Online sandbox: a local HTTP server speaking Exact's wire protocol, with test knobs. */
export { startExactSandbox } from './server';
export type {
  ExactSandbox,
  ExactSandboxOptions,
  ExactSeed,
  ExactSeedAccount,
  ExactSeedDivision,
  ExactSeedInvoice,
  ExactSeedLayout,
  ExactSeedUser,
  FaultKind,
  FaultSpec,
  PrintChannel,
  PrintRecord,
  RequestRecord,
  SandboxInvoice,
} from './types';
