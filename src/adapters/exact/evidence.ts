/**
 * What Exact's API shows of a print whose answer was lost (round2-facts §4.2, §4.4, §4.5): the printed
 * document, found by `FinancialTransactionEntryID` = the invoice id (scope "Organization documents"), and —
 * for the digital postbox only — the sent postbox message (`mailbox/MailMessagesSent`, Type 1100 sales
 * invoice, scope "Communication mailboxes"). Email and Peppol leave no evidence in the REST API.
 * Assumed (docs/decisions/0024): a postbox message of type 1100 to the invoice's account sent since the
 * claim is this print's message (Exact documents no field that links it to the invoice).
 */
import { z } from 'zod';
import type { DeliveryEvidence } from '../../domain/evidence';
import type { Channel } from '../../domain/types';
import { ExactServerError, ExactValidationError } from './errors';
import { exactRequest, type RequestContext } from './request';
import { envelopeSchema } from './schemas';

const idRows = envelopeSchema(z.object({ ID: z.string() }).loose());
const q = (v: string): string => encodeURIComponent(v);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EvidenceQuery {
  invoiceId: string;
  channel: Channel | null;
  /** The invoice's `InvoiceTo` account. */
  invoiceTo: string;
  /** When the lost print was claimed: messages before it are not its. */
  since: Date;
}

export async function deliveryEvidence(
  ctx: RequestContext,
  division: number,
  query: EvidenceQuery,
): Promise<DeliveryEvidence> {
  if (!GUID.test(query.invoiceId) || !GUID.test(query.invoiceTo))
    throw new ExactValidationError('not an Exact id in a delivery check', 400);
  const documents = `documents/Documents?$select=ID&$filter=${q(`FinancialTransactionEntryID eq guid'${query.invoiceId}'`)}`;
  const document = (await rows(ctx, division, documents)) > 0;
  if (!document || query.channel !== 'postbox') return { document, channelConfirmed: false };
  const since = query.since.toISOString().slice(0, 19);
  const filter = `RecipientAccount eq guid'${query.invoiceTo}' and Type eq 1100 and SenderDateSent ge datetime'${since}'`;
  const sent = await rows(ctx, division, `mailbox/MailMessagesSent?$select=ID&$filter=${q(filter)}`);
  return { document, channelConfirmed: sent > 0 };
}

async function rows(ctx: RequestContext, division: number, path: string): Promise<number> {
  const answer = await exactRequest(ctx, { method: 'GET', division, path });
  const parsed = idRows.safeParse(answer.data);
  if (!parsed.success)
    throw new ExactServerError(`Exact answer on ${path.split('?')[0]} has an unexpected shape`, 502);
  return parsed.data.d.results.length;
}
