import { z } from 'zod';

/**
 * What Dataverse answers the mail adapter (mail.ts), parsed at the edge. Email status reasons from PAD
 * `reference/entities/email.md` (StatusCode): 1 Draft, 2 Completed, 3 Sent, 4 Received, 5 Canceled,
 * 6 Pending Send, 7 Sending, 8 Failed.
 */
export const EMAIL_STATUS = {
  draft: 1,
  completed: 2,
  sent: 3,
  received: 4,
  canceled: 5,
  pendingSend: 6,
  sending: 7,
  failed: 8,
} as const;

/** `InstantiateTemplate` returns `Collection(crmbaseentity)`: one email with subject and description. */
export const InstantiatedTemplateSchema = z.object({
  value: z.array(z.object({ subject: z.string().nullish(), description: z.string().nullish() })).min(1),
});

export const EmailStateRowSchema = z.object({
  activityid: z.string(),
  statecode: z.number().int(),
  statuscode: z.number().int(),
  senton: z.union([z.string(), z.date()]).nullish(),
});
export type EmailStateRow = z.infer<typeof EmailStateRowSchema>;

export const EmailStatesSchema = z.object({ value: z.array(EmailStateRowSchema) });

export const InvoiceContactRowSchema = z.object({
  contactid: z.string(),
  fullname: z.string().nullish(),
  emailaddress1: z.string().nullish(),
  _parentcustomerid_value: z.string().nullish(),
});

export const InvoiceContactsSchema = z.object({ value: z.array(InvoiceContactRowSchema) });

/**
 * What dynamics-web-api's `upsert` with `ifnonematch: '*'` hands back: the new row's id from OData-EntityId
 * (created; undefined when the header is absent), or null when Dataverse answered 412 (the row exists).
 */
export const ConditionalCreateSchema = z.union([z.string(), z.null(), z.undefined()]);
