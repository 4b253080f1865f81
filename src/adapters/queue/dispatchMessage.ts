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

/** W3C trace context (decision 0063). Optional: older messages have none; a malformed one is dropped, not dead-lettered. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const traceparent = z.string().regex(TRACEPARENT).optional().catch(undefined);

const base = { tenantId: z.string().min(1), requestedAt: z.string().min(1), traceparent };

const RowsMessageSchema = z.object({
  ...base,
  kind: z.literal('rows'),
  rowIds: z.array(z.string().min(1)).min(1),
  administrationId: z.string().min(1).nullable(),
  division: z.number().int().nullable(),
  trigger: z.enum(TRIGGERS),
});

const SweepMessageSchema = z.object({
  ...base,
  kind: z.literal('sweep'),
  administrationId: z.string().min(1),
  division: z.number().int(),
  sweep: z.enum(['quarter', 'full']),
});

/**
 * The shape written before requests carried `kind` (rowId + rowIds, or `sweep` on a request without rows).
 * Messages of that shape may still wait in a queue when a new version is deployed: they are read, not lost.
 */
const LegacyMessageSchema = z
  .object({
    ...base,
    rowId: z.string().min(1).nullable(),
    rowIds: z.array(z.string().min(1)).optional(),
    division: z.number().int().nullable(),
    administrationId: z.string().min(1).nullable(),
    trigger: z.enum(TRIGGERS),
    sweep: z.enum(['quarter', 'full']).optional(),
  })
  .transform((m, ctx): DispatchRequest => {
    if (m.sweep) {
      if (m.administrationId === null || m.division === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['administrationId'],
          message: 'a sweep request names its administration',
        });
        return z.NEVER;
      }
      return {
        kind: 'sweep',
        tenantId: m.tenantId,
        administrationId: m.administrationId,
        division: m.division,
        sweep: m.sweep,
        requestedAt: m.requestedAt,
      };
    }
    const rowIds = [...new Set([m.rowId, ...(m.rowIds ?? [])].filter((x): x is string => !!x))];
    if (rowIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['rowId'], message: 'a dispatch request names at least one row' });
      return z.NEVER;
    }
    const { tenantId, administrationId, division, trigger, requestedAt } = m;
    return { kind: 'rows', tenantId, rowIds, administrationId, division, trigger, requestedAt };
  });

const CurrentMessageSchema = z.discriminatedUnion('kind', [RowsMessageSchema, SweepMessageSchema]);
export type DispatchRequestMessage = z.infer<typeof CurrentMessageSchema>;

// Compile-time: the wire type and the port type must stay the same shape.
const _sameShape: [DispatchRequestMessage, DispatchRequest] extends [DispatchRequest, DispatchRequestMessage]
  ? true
  : never = true;
void _sameShape;

export const DispatchRequestMessageSchema = z.union([CurrentMessageSchema, LegacyMessageSchema]);

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
  const hasKind = typeof value === 'object' && value !== null && 'kind' in value;
  const result = (hasKind ? CurrentMessageSchema : LegacyMessageSchema).safeParse(value);
  if (result.success) return { ok: true, request: result.data };
  // Paths and codes only: the values could hold customer data.
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`).join('; ');
  return { ok: false, error: `dispatch message does not match the schema (${issues})` };
}
