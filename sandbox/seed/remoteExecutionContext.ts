import { randomUUID } from 'node:crypto';

/**
 * Builds the RemoteExecutionContext JSON that Dataverse posts to a webhook, in the shape Microsoft
 * documents (learn.microsoft.com/power-apps/developer/data-platform/use-webhooks): `{key,value}` arrays,
 * `__type` tags on Target and typed values, WCF `/Date(ms)/` dates, escaped slashes as the serializer writes them.
 */
export type RecValue =
  | string
  | number
  | boolean
  | null
  | Date
  | { lookup: string; id: string }
  | { option: number }
  | { options: number[] };

const CONTRACTS = 'http://schemas.microsoft.com/xrm/2011/Contracts';

function value(v: RecValue): unknown {
  if (v instanceof Date) return `/Date(${v.getTime()})/`;
  if (v && typeof v === 'object' && 'lookup' in v) {
    return {
      __type: `EntityReference:${CONTRACTS}`,
      Id: v.id,
      KeyAttributes: [],
      LogicalName: v.lookup,
      Name: null,
      RowVersion: null,
    };
  }
  if (v && typeof v === 'object' && 'option' in v)
    return { __type: `OptionSetValue:${CONTRACTS}`, Value: v.option };
  if (v && typeof v === 'object' && 'options' in v) {
    return { __type: `OptionSetValueCollection:${CONTRACTS}`, Value: v.options.map((o) => ({ Value: o })) };
  }
  return v;
}

export interface RecOptions {
  organizationId: string;
  entityName?: string;
  entityId: string;
  messageName?: 'Create' | 'Update' | 'Delete';
  attributes: Record<string, RecValue>;
  postImage?: Record<string, RecValue>;
  operationId?: string;
  initiatingUserId?: string;
}

export function buildRemoteExecutionContext(o: RecOptions): Record<string, unknown> {
  const entityName = o.entityName ?? 'eol_salesinvoice';
  const now = Date.now();
  const entity = (attrs: Record<string, RecValue>, typed: boolean) => ({
    ...(typed ? { __type: `Entity:${CONTRACTS}` } : {}),
    Attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: value(v) })),
    EntityState: null,
    FormattedValues: [],
    Id: o.entityId,
    KeyAttributes: [],
    LogicalName: entityName,
    RelatedEntities: [],
    RowVersion: null,
  });
  const user = o.initiatingUserId ?? '75c2dc8e-0e5f-4a1a-9f46-1d2b3c4d5e6f';
  return {
    BusinessUnitId: 'b5a1d2c3-0000-4000-8000-000000000001',
    CorrelationId: randomUUID(),
    Depth: 1,
    InitiatingUserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
    InitiatingUserId: user,
    InputParameters: [{ key: 'Target', value: entity(o.attributes, true) }],
    IsExecutingOffline: false,
    IsInTransaction: false,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: o.messageName ?? 'Create',
    Mode: 1,
    OperationCreatedOn: `/Date(${now}+0000)/`,
    OperationId: o.operationId ?? randomUUID(),
    OrganizationId: o.organizationId,
    OrganizationName: 'autoinvoicedemo',
    OutputParameters: o.messageName === 'Create' || !o.messageName ? [{ key: 'id', value: o.entityId }] : [],
    OwningExtension: {
      Id: randomUUID(),
      KeyAttributes: [],
      LogicalName: 'sdkmessageprocessingstep',
      Name: 'AutoInvoice: eol_salesinvoice',
      RowVersion: null,
    },
    ParentContext: null,
    PostEntityImages: o.postImage
      ? [{ key: 'AsynchronousStepPrimaryName', value: entity(o.postImage, false) }]
      : [],
    PreEntityImages: [],
    PrimaryEntityId: o.entityId,
    PrimaryEntityName: entityName,
    RequestId: randomUUID(),
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: 40,
    UserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
    UserId: user,
  };
}

/**
 * How the collections Dataverse drops from a body over 256 KB arrive: `null`, absent or `[]`. Microsoft
 * documents that ParentContext, InputParameters, PreEntityImages and PostEntityImages are removed and the
 * `x-ms-dynamics-msg-size-exceeded` header is sent (PAD use-webhooks.md), not the form they take, so the
 * sender can produce all three.
 */
export type TruncatedForm = 'null' | 'absent' | 'empty';

export const DROPPED_WHEN_TRUNCATED = [
  'ParentContext',
  'InputParameters',
  'PreEntityImages',
  'PostEntityImages',
] as const;

/** The header Dataverse adds to a truncated webhook body (present only then). */
export const SIZE_EXCEEDED_HEADER = 'x-ms-dynamics-msg-size-exceeded';

export function truncateContext(body: Record<string, unknown>, form: TruncatedForm): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const key of DROPPED_WHEN_TRUNCATED) {
    if (form === 'absent') delete out[key];
    // ParentContext is an object, not a collection: "[]" leaves it null, as Dataverse sends it untruncated.
    else out[key] = form === 'null' || key === 'ParentContext' ? null : [];
  }
  return out;
}

/** Serialises as Dataverse does: DataContractJsonSerializer escapes forward slashes. */
export function serialiseLikeDataverse(body: unknown): string {
  return JSON.stringify(body).replace(/\//g, '\\/');
}

/** A Create event for an `eol_salesinvoice` row as the Dataverse sandbox holds it. */
export function invoiceCreatedEvent(
  organizationId: string,
  row: Record<string, unknown>,
): Record<string, unknown> {
  const id = String(row.eol_salesinvoiceid);
  const attrs: Record<string, RecValue> = {
    eol_salesinvoiceid: id,
    eol_name: (row.eol_name as string) ?? null,
    eol_exactinvoiceid: (row.eol_exactinvoiceid as string) ?? null,
    eol_autodispatch: row.eol_autodispatch !== false,
    eol_source: { option: Number(row.eol_source ?? 1) },
  };
  if (row.eol_invoicedate)
    attrs.eol_invoicedate = new Date(`${String(row.eol_invoicedate).slice(0, 10)}T00:00:00Z`);
  if (row._eol_administrationid_value)
    attrs.eol_administrationid = {
      lookup: 'eol_administration',
      id: String(row._eol_administrationid_value),
    };
  if (row._eol_relationid_value)
    attrs.eol_relationid = { lookup: 'eol_relation', id: String(row._eol_relationid_value) };
  return buildRemoteExecutionContext({
    organizationId,
    entityId: id,
    messageName: 'Create',
    attributes: attrs,
  });
}
