/**
 * Wire schemas of `documents/Documents` and `documents/DocumentAttachments` (PQ `Document.php`,
 * `DocumentAttachment.php`; PS `Entity/Documents/*.php`). Unknown fields are ignored.
 */
import { z } from 'zod';
import { ExactDateSchema, guid } from './schemas';

export const DOCUMENT_SELECT = 'ID,Created,SalesInvoiceNumber,Subject,Type';

export const DocumentRowSchema = z
  .object({
    ID: guid,
    Created: ExactDateSchema.nullish(),
    /** "'Our reference' of the transaction that belongs to this document": the invoice number. */
    SalesInvoiceNumber: z.number().int().nullish(),
    Subject: z.string().nullish(),
    Type: z.number().int().nullish(),
  })
  .transform((r) => ({ ...r, ID: r.ID.toLowerCase() }));
export type DocumentRow = z.output<typeof DocumentRowSchema>;

export const ATTACHMENT_SELECT = 'ID,Attachment,FileName,FileSize';

/** Standard Base64 as OData v2 writes Edm.Binary in JSON. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const AttachmentRowSchema = z
  .object({
    ID: guid,
    /** "Contains the attachment (Format: Base64 encoded)". */
    Attachment: z
      .string()
      .nullish()
      .refine((v) => !v || (v.length % 4 === 0 && BASE64.test(v)), 'not Base64'),
    FileName: z.string().nullish(),
    /** A Double on the wire. */
    FileSize: z.number().nullish(),
  })
  .transform((r) => ({
    ID: r.ID.toLowerCase(),
    FileName: r.FileName ?? null,
    FileSize: r.FileSize ?? null,
    bytes: Buffer.from(r.Attachment ?? '', 'base64'),
  }));
export type AttachmentRow = z.output<typeof AttachmentRowSchema>;
