/**
 * The model-driven app "AutoInvoice" (appmodule) and its site map (Invoices, Relations, Administrations,
 * Layouts). SiteMap XML: Microsoft's sitemap schema (SiteMap/Area/Group/SubArea with Titles per LCID);
 * a table the vocabulary does not hold yet (eol_layout before issue 14) gets no sub-area.
 */
import { componentId, esc, type Labels, LANG } from './labels';

export const APP = {
  uniquename: 'eol_AutoInvoice',
  name: { en: 'AutoInvoice', nl: 'AutoInvoice' },
  description: {
    en: 'Exact Online invoices sent from Dynamics 365: what was sent, what needs action, and the settings.',
    nl: 'Exact Online-facturen verzonden vanuit Dynamics 365: wat is verzonden, wat actie nodig heeft, en de instellingen.',
  },
  /** Unified Interface. */
  clienttype: 4,
} as const;

export const SITEMAP = { uniquename: 'eol_AutoInvoice', name: 'AutoInvoice' } as const;

interface SubArea {
  table: string;
  title: Labels;
}

export const SITEMAP_GROUPS: ReadonlyArray<{ id: string; title: Labels; subareas: SubArea[] }> = [
  {
    id: 'work',
    title: { en: 'Invoices', nl: 'Facturen' },
    subareas: [{ table: 'eol_salesinvoice', title: { en: 'Invoices', nl: 'Facturen' } }],
  },
  {
    id: 'settings',
    title: { en: 'Settings', nl: 'Instellingen' },
    subareas: [
      { table: 'eol_relation', title: { en: 'Relations', nl: 'Relaties' } },
      { table: 'eol_administration', title: { en: 'Administrations', nl: 'Administraties' } },
      { table: 'eol_layout', title: { en: 'Layouts', nl: 'Lay-outs' } },
    ],
  },
];

export const APP_ID = componentId('appmodule', APP.uniquename);
export const SITEMAP_ID = componentId('sitemap', SITEMAP.uniquename);

const titles = (l: Labels) =>
  `<Titles><Title LCID="${LANG.en}" Title="${esc(l.en)}" /><Title LCID="${LANG.nl}" Title="${esc(l.nl)}" /></Titles>`;

export function siteMapXml(tables: ReadonlySet<string>): string {
  const groups = SITEMAP_GROUPS.map((g) => {
    const subs = g.subareas
      .filter((s) => tables.has(s.table))
      .map((s) => `<SubArea Id="eol_${s.table}" Entity="${s.table}">${titles(s.title)}</SubArea>`);
    return subs.length === 0
      ? ''
      : `<Group Id="eol_${g.id}" IsProfile="false">${titles(g.title)}${subs.join('')}</Group>`;
  });
  return (
    `<SiteMap IntroducedVersion="7.0.0.0"><Area Id="eol_autoinvoice" ShowGroups="true">` +
    `${titles({ en: 'AutoInvoice', nl: 'AutoInvoice' })}${groups.join('')}</Area></SiteMap>`
  );
}

/** The app's own icon (an SVG web resource), so the app module references nothing it does not ship. */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="6" y="3" width="20" height="26" rx="2" fill="#0b5cab"/><path d="M10 10h12M10 15h12M10 20h8" stroke="#fff" stroke-width="2"/></svg>';
