/**
 * The Web API rows of each solution component (the columns of the systemform, savedquery, webresource,
 * sitemap, appmodule, appaction and role table references), in the organization's base language where
 * a column holds one label (Dataverse keeps the other language's label in the exported solution).
 */
import type { Components } from '../solution/components';
import type { Labels } from '../solution/labels';
import { COMPONENT_TYPE } from '../solution/solutionXml';

export interface ComponentRecord {
  kind: string;
  what: string;
  collection: string;
  key: string;
  id: string;
  componentType: number | 'appaction';
  /** Columns compared on every run (a difference is an update). */
  fields: Record<string, unknown>;
  /** Lookups set on create only. */
  binds?: Record<string, string>;
  /** Entity whose customizations must be published after a change (forms, views). */
  entity?: string;
}

const pick = (l: Labels, lang: number) => (lang === 1043 ? l.nl : l.en);
const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function componentRecords(c: Components, lang: number): ComponentRecord[] {
  const out: ComponentRecord[] = [];
  for (const w of c.webresources)
    out.push({
      kind: 'webresource',
      what: `web resource ${w.name}`,
      collection: 'webresourceset',
      key: 'webresourceid',
      id: w.id,
      componentType: COMPONENT_TYPE.webresource,
      fields: {
        name: w.name,
        displayname: pick(w.displayname, lang),
        webresourcetype: w.webresourcetype,
        content: base64(w.content),
      },
    });
  for (const f of c.forms)
    out.push({
      kind: 'systemform',
      what: `form '${f.name.en}'`,
      collection: 'systemforms',
      key: 'formid',
      id: f.id,
      componentType: COMPONENT_TYPE.systemform,
      entity: f.table,
      fields: {
        name: pick(f.name, lang),
        description: pick(f.description, lang),
        objecttypecode: f.table,
        type: f.type,
        formxml: f.formxml,
      },
    });
  for (const v of c.views)
    out.push({
      kind: 'savedquery',
      what: `view '${v.name.en}'`,
      collection: 'savedqueries',
      key: 'savedqueryid',
      id: v.id,
      componentType: COMPONENT_TYPE.savedquery,
      entity: v.table,
      fields: {
        name: pick(v.name, lang),
        description: pick(v.description, lang),
        returnedtypecode: v.table,
        querytype: 0,
        fetchxml: v.fetchxml,
        layoutxml: v.layoutxml,
      },
    });
  out.push({
    kind: 'sitemap',
    what: `site map '${c.sitemap.name}'`,
    collection: 'sitemaps',
    key: 'sitemapid',
    id: c.sitemap.id,
    componentType: COMPONENT_TYPE.sitemap,
    fields: {
      sitemapname: c.sitemap.name,
      sitemapnameunique: c.sitemap.uniquename,
      sitemapxml: c.sitemap.xml,
      isappaware: true,
    },
  });
  const icon = c.webresources.find((w) => w.webresourcetype === 11)!;
  const script = c.webresources.find((w) => w.webresourcetype === 3)!;
  out.push({
    kind: 'appmodule',
    what: `app '${c.app.name.en}'`,
    collection: 'appmodules',
    key: 'appmoduleid',
    id: c.app.id,
    componentType: COMPONENT_TYPE.appmodule,
    fields: {
      name: pick(c.app.name, lang),
      uniquename: c.app.uniquename,
      description: pick(c.app.description, lang),
      clienttype: c.app.clienttype,
    },
    binds: { 'webresourceid@odata.bind': `/webresourceset(${icon.id})` },
  });
  for (const cmd of c.commands)
    out.push({
      kind: 'appaction',
      what: `command ${cmd.uniquename}`,
      collection: 'appactions',
      key: 'appactionid',
      id: cmd.id,
      componentType: 'appaction',
      fields: {
        name: cmd.uniquename,
        uniquename: cmd.uniquename,
        buttonlabeltext: pick(cmd.label, lang),
        buttontooltiptitle: pick(cmd.label, lang),
        buttontooltipdescription: pick(cmd.tooltip, lang),
        context: 1,
        contextvalue: 'eol_salesinvoice',
        location: cmd.location,
        onclickeventtype: 2,
        onclickeventjavascriptfunctionname: cmd.functionName,
        onclickeventjavascriptparameters: cmd.parameters,
        fonticon: cmd.icon,
        sequence: cmd.sequence,
        hidden: false,
      },
      binds: {
        'appmoduleid@odata.bind': `/appmodules(${c.app.id})`,
        'onclickeventjavascriptwebresourceid@odata.bind': `/webresourceset(${script.id})`,
      },
    });
  for (const r of c.roles)
    out.push({
      kind: 'role',
      what: `role '${r.name.en}'`,
      collection: 'roles',
      key: 'roleid',
      id: r.id,
      componentType: COMPONENT_TYPE.role,
      fields: { name: pick(r.name, lang), description: pick(r.description, lang) },
    });
  return out;
}
