/**
 * What every AutoInvoice component shares: the publisher and solution, stable ids, labels in the two
 * languages the product speaks (Dutch 1043, English 1033) and XML escaping.
 */
import { createHash } from 'node:crypto';

export const LANG = { en: 1033, nl: 1043 } as const;

/** A label in both languages. */
export interface Labels {
  readonly en: string;
  readonly nl: string;
}

export const PUBLISHER = {
  uniquename: 'autoinvoice',
  friendlyname: 'AutoInvoice',
  description: 'Publisher of the AutoInvoice connector (Exact Online sales invoices from Dynamics 365).',
  customizationprefix: 'eol',
  /** Option values of eol_ choices start here (PRODUCT.md §2 keeps Exact's own codes, so unused). */
  customizationoptionvalueprefix: 10_000,
} as const;

export const SOLUTION = {
  uniquename: 'AutoInvoice',
  friendlyname: 'AutoInvoice',
  version: '1.0.0.0',
  description: {
    en: 'AutoInvoice: the tables, forms, views, app, commands and security roles Dynamics 365 users work with.',
    nl: 'AutoInvoice: de tabellen, formulieren, weergaven, app, opdrachten en beveiligingsrollen voor Dynamics 365-gebruikers.',
  } satisfies Labels,
} as const;

/**
 * A stable GUID per component (sha-1 of its kind and name, shaped as a v4-like GUID): provisioning finds
 * its own rows by id, and an exported solution carries the same ids, so import and provisioning agree.
 */
export function componentId(kind: string, name: string): string {
  const h = createHash('sha1').update(`autoinvoice-component:${kind}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<labels><label description="…" languagecode="1033" /> …</labels>` (FormXml, SiteMap). */
export function labelsXml(l: Labels, element = 'label'): string {
  return `<${element}s><${element} description="${esc(l.en)}" languagecode="${LANG.en}" /><${element} description="${esc(l.nl)}" languagecode="${LANG.nl}" /></${element}s>`;
}

/** Dataverse's Label shape for the Web API (`LocalizedLabels`). */
export function labelBody(l: Labels): Record<string, unknown> {
  return {
    '@odata.type': 'Microsoft.Dynamics.CRM.Label',
    LocalizedLabels: [
      { '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: l.en, LanguageCode: LANG.en },
      { '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: l.nl, LanguageCode: LANG.nl },
    ],
  };
}
