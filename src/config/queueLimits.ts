import { z } from 'zod';
import queueJson from '../../infra/queue.json';

/**
 * The Service Bus queue properties the code relies on, read from the same file the Bicep deploys them from
 * (infra/queue.json, loadJsonContent in infra/modules/servicebus.bicep): a worker that counts deliveries
 * and the broker that dead-letters after them cannot disagree.
 */
const isoMinutes = z.string().regex(/^PT\d+M$/, 'an ISO 8601 duration in whole minutes, e.g. PT2M');
const Queue = z.object({
  requiresSession: z.boolean(),
  requiresDuplicateDetection: z.boolean(),
  duplicateDetectionHistoryTimeWindow: isoMinutes.optional(),
  maxDeliveryCount: z.number().int().min(1).max(2000),
  lockDuration: isoMinutes,
  deadLetteringOnMessageExpiration: z.boolean(),
});
const QueuesSchema = z.object({ dispatch: Queue, dataverseEvents: Queue });

export const QUEUES = QueuesSchema.parse(queueJson);

/** Deliveries of one dispatch message before Service Bus moves it to the dead-letter queue. */
export const DISPATCH_MAX_DELIVERY_COUNT = QUEUES.dispatch.maxDeliveryCount;
/** Deliveries of one Dataverse event before it is dead-lettered. */
export const EVENTS_MAX_DELIVERY_COUNT = QUEUES.dataverseEvents.maxDeliveryCount;

/** `PT2M` → 120000. */
export function durationMs(iso: string): number {
  return Number(isoMinutes.parse(iso).slice(2, -1)) * 60_000;
}

export const DISPATCH_LOCK_MS = durationMs(QUEUES.dispatch.lockDuration);
