import { entityBySet, ERR, GUID, ODataError, type Row } from './model';
import type { Store } from './store';

/**
 * `InstantiateTemplate` (PAD `webapi/reference/instantiatetemplate`, unbound action): "Creates an email
 * message from a template" for one row, `{TemplateId, ObjectType, ObjectId}` → `Collection(crmbaseentity)`.
 * It answers the email's subject and description and creates no row (the caller creates the email).
 *
 * Data fields (a documented subset, a CHOICE): `{!<table>:<column>;<default>}` in the template's subject
 * and body. A field of ObjectType's own table takes the row's value (HTML-escaped in the body); any other
 * field, an empty value or an unknown column takes the default (or nothing). Dataverse keeps templates as
 * XSL (`presentationxml`); the sandbox keeps the text with its fields in `subject` and `body`.
 */
export function instantiateTemplate(
  store: Store,
  body: Row,
  setOf: (logical: string) => string | undefined,
  base: string,
): { status: number; headers: Record<string, string>; body: unknown } {
  const templateId = guidParameter(body, 'TemplateId');
  const objectId = guidParameter(body, 'ObjectId');
  const objectType = body.ObjectType;
  if (typeof objectType !== 'string' || objectType === '')
    throw ERR.badRequest("The parameter 'ObjectType' is required for InstantiateTemplate.");
  const templates = entityBySet('templates')!;
  const template = store.get(templates, templateId);
  if (!template) throw ERR.notFound('template', templateId);
  const set = setOf(objectType);
  const def = set ? entityBySet(set) : undefined;
  if (!def)
    throw new ODataError(
      400,
      '0x80041102',
      `The entity with a name = '${objectType}' with namemapping = 'Logical' was not found in the MetadataCache.`,
    );
  if (String(template.templatetypecode ?? '') !== objectType)
    throw new ODataError(
      400,
      '0x80040203',
      `The template is for '${String(template.templatetypecode)}' and cannot be instantiated for '${objectType}'.`,
    );
  const row = store.get(def, objectId);
  if (!row) throw ERR.notFound(objectType, objectId);
  const fill = (text: unknown, escape: (s: string) => string): string =>
    String(text ?? '').replace(FIELD, (_m, table: string, column: string, fallback: string | undefined) => {
      const value = table.toLowerCase() === objectType ? row[column.toLowerCase()] : undefined;
      return value === undefined || value === null || value === '' ? (fallback ?? '') : escape(String(value));
    });
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
    body: {
      '@odata.context': `${base}$metadata#emails`,
      value: [
        {
          '@odata.type': '#Microsoft.Dynamics.CRM.email',
          subject: fill(template.subject, (s) => s),
          description: fill(template.body, escapeHtml),
        },
      ],
    },
  };
}

/** `{!eol_salesinvoice:eol_name;}` or with a default `{!eol_salesinvoice:eol_name;invoice}`. */
const FIELD = /\{!([A-Za-z_][\w]*):([A-Za-z_][\w]*)(?:;([^}]*))?\}/g;

function guidParameter(body: Row, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || !GUID.test(v))
    throw ERR.badRequest(`The parameter '${name}' of InstantiateTemplate must be a GUID.`);
  return v.toLowerCase();
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
