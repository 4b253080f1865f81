/**
 * The dispatch request as it travels on the queue (JSON body). Parsed at the worker's edge: a body that
 * fails here can never succeed, so it is dead-lettered instead of retried.
 */
import { z } from 'zod';
import type { DispatchRequest, DispatchTrigger } from '../../app/ports';

const TRIGGERS = [
  'webhook',
  'servicebus',
  'sweep',
  'schedule',
  'resend',
  'batch',
  'retry',
] as const satisfies readonly DispatchTrigger[];

export const DispatchRequestMessageSchema = z.object({
  tenantId: z.string().min(1),
  rowId: z.string().min(1).nullable(),
  rowIds: z.array(z.string().min(1)).optional(),
  exactInvoiceId: z.string().min(1).nullable(),
  division: z.number().int().nullable(),
  administrationId: z.string().min(1).nullable(),
  trigger: z.enum(TRIGGERS),
  requestedAt: z.string().min(1),
  sweep: z.enum(['quarter', 'full']).optional(),
}).refine((m) => !m.sweep || m.administrationId !== null, {
  path: ['administrationId'],
  message: 'a sweep request names its administration',
});
export type DispatchRequestMessage = z.infer<typeof DispatchRequestMessageSchema>;

// Compile-time: the wire type and the port type must stay the same shape.
const _sameShape: [DispatchRequestMessage, DispatchRequest] extends [DispatchRequest, DispatchRequestMessage]
  ? true
  : never = true;
void _sameShape;

export type ParsedDispatch = { ok: true; request: DispatchRequest } | { ok: false; error: string };

/** Accepts the object body the SDK delivers, or a JSON string/Buffer from other producers. */
export function parseDispatchRequest(body: unknown): ParsedDispatch {
  let value = body;
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    try {
      value = JSON.parse(value.toString());
    } catch {
      return { ok: false, error: 'dispatch message body is not JSON' };
    }
  }
  const result = DispatchRequestMessageSchema.safeParse(value);
  if (result.success) return { ok: true, request: result.data };
  // Paths and codes only: the values could hold customer data.
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`).join('; ');
  return { ok: false, error: `dispatch message does not match the schema (${issues})` };
}
