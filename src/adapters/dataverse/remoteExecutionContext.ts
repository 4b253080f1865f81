import { z } from 'zod';
import { parseUntrustedJson } from '../untrustedJson';

/**
 * Microsoft.Xrm.Sdk.RemoteExecutionContext as Dataverse serialises it for webhooks and for its
 * Service Bus integration (JSON format): DataContractJsonSerializer style `{key,value}` arrays,
 * `__type` tags on typed values, WCF dates `/Date(ms±hhmm)/`.
 * Source: learn.microsoft.com/power-apps/developer/data-platform/use-webhooks (see shared/reference).
 */

const KeyValue = <T extends z.ZodTypeAny>(value: T) => z.object({ key: z.string(), value });

/** A typed value: EntityReference, OptionSetValue, Money, OptionSetValueCollection, or a primitive. */
const AttributeValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.null(),
    z.string(),
    z.number(),
    z.boolean(),
    z.array(z.lazy(() => AttributeValueSchema)),
    z
      .object({
        __type: z.string().optional(),
        Id: z.string().optional(),
        LogicalName: z.string().nullable().optional(),
        Name: z.string().nullable().optional(),
        Value: z.unknown().optional(),
      })
      .passthrough(),
  ]),
);

export const EntitySchema = z
  .object({
    __type: z.string().optional(),
    Attributes: z.array(KeyValue(AttributeValueSchema)).default([]),
    Id: z.string().optional(),
    LogicalName: z.string(),
  })
  .passthrough();

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Dataverse drops the collections of a context over 256 KB and does not document the form: absent, `[]`
 * and `null` are all read as "not sent" (the worker re-reads the row).
 */
const dropped = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullable()
    .optional()
    .transform((v) => v ?? undefined);

export const RemoteExecutionContextSchema = z
  .object({
    MessageName: z.string().min(1),
    PrimaryEntityName: z.string().min(1),
    PrimaryEntityId: z.string().regex(GUID, 'PrimaryEntityId must be a GUID'),
    OrganizationId: z.string().regex(GUID, 'OrganizationId must be a GUID'),
    OrganizationName: z.string().optional(),
    CorrelationId: z.string().optional(),
    RequestId: z.string().nullable().optional(),
    OperationId: z.string().optional(),
    OperationCreatedOn: z.string().optional(),
    Depth: z.number().int().optional(),
    InitiatingUserId: z.string().optional(),
    UserId: z.string().optional(),
    Stage: z.number().int().optional(),
    Mode: z.number().int().optional(),
    InputParameters: dropped(KeyValue(z.unknown())),
    PostEntityImages: dropped(KeyValue(EntitySchema)),
    PreEntityImages: dropped(KeyValue(EntitySchema)),
  })
  .passthrough();
export type RemoteExecutionContext = z.infer<typeof RemoteExecutionContextSchema>;

export type AttributeValue = string | number | boolean | Date | null | { id: string; logicalName: string } | number[];

/** The event, reduced to what the connector uses. */
export interface DataverseEvent {
  organizationId: string;
  messageName: string;
  entityName: string;
  entityId: string;
  correlationId: string | null;
  /** Stable id of this operation: the same event delivered twice has the same one. */
  operationKey: string;
  depth: number;
  /** Attributes changed by the operation (Target); null when the payload was truncated. */
  target: Record<string, AttributeValue> | null;
  /** Post image (all registered attributes after the change), when registered. */
  postImage: Record<string, AttributeValue> | null;
}

const WCF_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** `/Date(1506409448000-0700)/` → Date. The offset is informative only: the ms are UTC. */
export function parseWcfDate(value: string): Date | null {
  const m = WCF_DATE.exec(value);
  return m ? new Date(Number(m[1])) : null;
}

function normaliseValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return parseWcfDate(value) ?? value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value
      .map((v) => (v && typeof v === 'object' && 'Value' in v ? Number((v as { Value: unknown }).Value) : NaN))
      .filter((n) => Number.isFinite(n));
  }
  const v = value as { __type?: string; Id?: string; LogicalName?: string | null; Value?: unknown };
  const type = v.__type?.split(':')[0];
  if (type === 'EntityReference' || (v.Id && v.LogicalName)) {
    return { id: String(v.Id ?? '').toLowerCase(), logicalName: String(v.LogicalName ?? '') };
  }
  if (type === 'OptionSetValueCollection' && Array.isArray(v.Value)) return normaliseValue(v.Value);
  if ('Value' in v) return normaliseValue(v.Value);
  return null;
}

function attributes(entity: z.infer<typeof EntitySchema>): Record<string, AttributeValue> {
  // An attribute named `__proto__` stays an attribute.
  const out = Object.create(null) as Record<string, AttributeValue>;
  for (const { key, value } of entity.Attributes) out[key] = normaliseValue(value);
  return out;
}

export function toDataverseEvent(ctx: RemoteExecutionContext): DataverseEvent {
  const targetParam = ctx.InputParameters?.find((p) => p.key === 'Target');
  const target = targetParam ? EntitySchema.safeParse(targetParam.value) : null;
  const post = ctx.PostEntityImages?.[0]?.value;
  return {
    organizationId: ctx.OrganizationId.toLowerCase(),
    messageName: ctx.MessageName,
    entityName: ctx.PrimaryEntityName,
    entityId: ctx.PrimaryEntityId.toLowerCase(),
    correlationId: ctx.CorrelationId ?? null,
    operationKey: ctx.OperationId ?? ctx.RequestId ?? ctx.CorrelationId ?? `${ctx.MessageName}:${ctx.OperationCreatedOn ?? ''}`,
    depth: ctx.Depth ?? 1,
    target: target?.success ? attributes(target.data) : null,
    postImage: post ? attributes(post) : null,
  };
}

/**
 * Deepest nesting accepted. A RemoteExecutionContext needs about ten levels, plus one per ParentContext
 * (Dataverse stops a chain at depth 8); deeper input is an attack on the validators' stack, not an event.
 */
export const MAX_NESTING = 64;

/** True when the JSON text nests deeper than `limit`, counted without recursion (strings skipped). */
export function nestsDeeperThan(raw: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Parses the raw body. Returns a specific, secret-free problem description on failure. */
export function parseRemoteExecutionContext(
  raw: string,
): { ok: true; event: DataverseEvent } | { ok: false; problem: string } {
  if (nestsDeeperThan(raw, MAX_NESTING)) return { ok: false, problem: `body nests deeper than ${MAX_NESTING} levels` };
  let json: unknown;
  try {
    json = parseUntrustedJson(raw);
  } catch {
    return { ok: false, problem: 'body is not valid JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, problem: 'body must be a RemoteExecutionContext JSON object' };
  }
  const parsed = RemoteExecutionContextSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = first.path.join('.') || '(body)';
    const what = first.message.endsWith('received undefined') ? 'is missing' : first.message;
    return { ok: false, problem: `${where}: ${what}` };
  }
  return { ok: true, event: toDataverseEvent(parsed.data) };
}
