/** Exact Online sandbox: a local HTTP server speaking Exact's wire protocol, with test knobs. */
export { startExactSandbox } from './server';
export { resolveEmailRecipient, peppolParticipant, PEPPOL_SCHEME_OF_TYPE } from './recipients';
export type { RecipientInput, RecipientResult } from './recipients';
export type {
  ExactSandbox,
  ExactSandboxOptions,
  ExactSeed,
  ExactSeedAccount,
  ExactSeedContact,
  ExactSeedDivision,
  ExactSeedInvoice,
  ExactSeedLayout,
  ExactSeedUser,
  FaultKind,
  FaultSpec,
  PrintChannel,
  PrintRecord,
  RecipientRecord,
  RecipientRule,
  RequestRecord,
  SandboxAccount,
  SandboxInvoice,
} from './types';
