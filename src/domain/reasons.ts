import type { ReasonCodeFail, ReasonCodeIgnore } from './types';

/**
 * Every machine reason code written to `eol_dispatchreason`.
 * The decision codes come from PRODUCT.md §4; the runtime codes arise while sending through Exact and
 * from the connector's own stores (PRODUCT.md §15).
 * Every code here must have a Dutch and an English message (see messages.ts and its test).
 */
export const DECISION_REASONS = [
  'licence_missing',
  'licence_invalid',
  'licence_wrong_tenant',
  'licence_expired',
  'licence_feature_missing',
  'administration_unknown',
  'administration_disabled',
  /** The invoice is dated before the administration's activation date (PRODUCT.md §15, the backlog). */
  'before_activation',
  'invoice_not_open',
  /** Rule 4: Exact shows the invoice processed, and not by AutoInvoice's print (someone printed it by hand). */
  'invoice_processed_elsewhere',
  'invoice_opted_out',
  'source_disabled',
  'relation_unknown',
  'relation_disabled',
  'relation_prints_itself',
  'channel_disabled',
  'email_missing',
  'email_invalid',
  'peppol_id_missing',
  /** Peppol was required (explicit method, or the administration's "Peppol required") and the receiver is not on Peppol for this document type. */
  'peppol_not_registered',
  'no_channel',
  'layout_missing',
  /** The Dynamics route (PRODUCT.md §12) has no mailbox (`queue`) to send from. */
  'mailbox_missing',
] as const;

export const RUNTIME_REASONS = [
  /** The decision was send and it is scheduled for the invoice date. */
  'scheduled',
  /** The decision was send; waiting for its turn (queue, pacing). */
  'ready',
  /** Exact confirmed the print; the chosen channel reported no error. */
  'sent',
  /** The print's answer was lost; Exact shows the invoice processed and the channel's own evidence that it went out. */
  'sent_confirmed_after_lost_answer',
  /** Paper: Exact processed the invoice onto the administration's print list; the office prints and posts it. */
  'on_print_list',
  /** The print's answer was lost and Exact shows the invoice processed, but nothing shows the channel went out (PRODUCT.md §15). */
  'delivery_unconfirmed',
  /** Exact returned 2xx but the chosen channel's …CreationError was filled. */
  'exact_channel_error',
  /** Exact refused the print permanently (validation, 4xx, repeated 500 with a message). */
  'exact_rejected',
  /** The Exact connection is lost (refresh token rejected, revoked, expired): re-connect needed. */
  'exact_connection_lost',
  /** Exact's daily call budget is used up; the invoice goes out on the next day's schedule. */
  'daily_budget_exhausted',
  /** Transient faults kept repeating until the message was dead-lettered. */
  'delivery_gave_up',
  /** Dataverse refused a write (or read) the dispatch needs (PRODUCT.md §15); the message names it. */
  'dataverse_rejected',
  /** The dispatch ledger (Table Storage) cannot be reached (PRODUCT.md §15); the invoice is retried. */
  'ledger_unavailable',
  /** Dynamics route: Exact processed the invoice; its email is made or handed to Dynamics 365, not reported sent yet. */
  'email_pending',
  /** Dynamics route: the email waits as a draft for a person to review and send (status 8). */
  'email_review',
  /** Dynamics 365 could not send the invoice email (PRODUCT.md §15). */
  'email_send_failed',
  /** The draft waiting for review was deleted (PRODUCT.md §15). */
  'email_draft_deleted',
] as const;

export type DecisionReason = (typeof DECISION_REASONS)[number];
export type RuntimeReason = (typeof RUNTIME_REASONS)[number];
export type ReasonCode = DecisionReason | RuntimeReason;

export const ALL_REASONS: readonly ReasonCode[] = [...DECISION_REASONS, ...RUNTIME_REASONS];

// Compile-time check that the decision union in types.ts and this list agree.
type _Check = ReasonCodeIgnore | ReasonCodeFail | 'invoice_opted_out' extends DecisionReason ? true : never;
export const _reasonListsAgree: _Check = true;
