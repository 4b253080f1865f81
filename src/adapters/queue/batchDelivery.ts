/**
 * A delivery of the dispatch worker as the Functions host hands it over. With `cardinality: 'many'` on a
 * session-enabled queue the host passes the ready messages of ONE session as an array, and the trigger
 * metadata carries per-message arrays (`MessageIdArray`, `DeliveryCountArray`: the Service Bus extension's
 * binding data; the Node library lower-cases the first letter). Parsed here, once (zod at the edge).
 */
import { z } from 'zod';

/** One received message: its body still unparsed (dispatchMessage.ts parses it). */
export interface Received {
  body: unknown;
  messageId: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
}

/** An array, or the JSON text of one (the host's binding data serialises arrays). */
const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }, z.array(item));

const Metadata = z.object({
  messageIdArray: listOf(z.coerce.string()).optional().catch(undefined),
  deliveryCountArray: listOf(z.coerce.number().int().min(1)).optional().catch(undefined),
  messageId: z.coerce.string().optional().catch(undefined),
  deliveryCount: z.coerce.number().int().min(1).optional().catch(undefined),
});

/**
 * The messages of one delivery. A single body (cardinality 'one', or a host that passes one message) is
 * a delivery of one; a missing count is taken as the first delivery, a missing id as empty.
 */
export function receivedMessages(messages: unknown, triggerMetadata: unknown): Received[] {
  const meta = Metadata.safeParse(triggerMetadata ?? {});
  const m = meta.success ? meta.data : {};
  if (!Array.isArray(messages)) {
    return [{ body: messages, messageId: m.messageId ?? '', deliveryCount: m.deliveryCount ?? 1 }];
  }
  return messages.map((body: unknown, i) => ({
    body,
    messageId: m.messageIdArray?.[i] ?? '',
    deliveryCount: m.deliveryCountArray?.[i] ?? 1,
  }));
}
