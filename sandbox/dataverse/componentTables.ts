/**
 * The solution-aware tables behind what a Dynamics user sees (PAD reference/entities/<table>.md):
 * forms, views, web resources, apps and their components, site maps, modern commands, roles and
 * privileges, publishers and solutions. Each names its key, its lookups and what a write must hold.
 */
import type { TableView } from './columns';
import { checkFetchXml, checkFormXml, checkLayoutXml, checkSiteMapXml } from './componentChecks';
import { ERR, type Row } from './model';

export interface ComponentContext {
  view(logical: string): TableView | undefined;
}

export interface ComponentTable {
  set: string;
  logical: string;
  key: string;
  /** Navigation property → target entity set. */
  lookups: Record<string, string>;
  /** Written only through actions (AddAppComponents, AddSolutionComponent, AddPrivilegesRole). */
  readOnly?: boolean;
  required: string[];
  check?: (row: Row, ctx: ComponentContext) => void;
}

function tableOf(ctx: ComponentContext, logical: unknown): TableView {
  const view = typeof logical === 'string' ? ctx.view(logical) : undefined;
  if (!view)
    throw ERR.badRequest(`The entity with a name = '${String(logical)}' was not found in the MetadataCache.`);
  return view;
}

/** Publisher prefixes: 2–8 letters or digits, starting with a letter, not "mscrm" (publisher table). */
const PREFIX = /^[a-z][a-z0-9]{1,7}$/;

export const COMPONENT_TABLES: readonly ComponentTable[] = [
  {
    set: 'systemforms',
    logical: 'systemform',
    key: 'formid',
    lookups: {},
    required: ['name', 'objecttypecode', 'type', 'formxml'],
    check: (r, ctx) => checkFormXml(r.formxml, tableOf(ctx, r.objecttypecode)),
  },
  {
    set: 'savedqueries',
    logical: 'savedquery',
    key: 'savedqueryid',
    lookups: {},
    required: ['name', 'returnedtypecode', 'querytype', 'fetchxml', 'layoutxml'],
    check: (r, ctx) => {
      const view = tableOf(ctx, r.returnedtypecode);
      checkFetchXml(r.fetchxml, view);
      checkLayoutXml(r.layoutxml, view);
    },
  },
  {
    set: 'webresourceset',
    logical: 'webresource',
    key: 'webresourceid',
    lookups: {},
    required: ['name', 'displayname', 'webresourcetype', 'content'],
    check: (r) => {
      if (!/^[a-z][a-z0-9]{1,7}_\//.test(String(r.name)))
        throw ERR.badRequest('A web resource name must start with a publisher prefix, e.g. eol_/.');
    },
  },
  {
    set: 'appmodules',
    logical: 'appmodule',
    key: 'appmoduleid',
    lookups: { webresourceid: 'webresourceset' },
    required: ['name', 'uniquename'],
  },
  {
    set: 'appmodulecomponents',
    logical: 'appmodulecomponent',
    key: 'appmodulecomponentid',
    lookups: {},
    readOnly: true,
    required: [],
  },
  {
    set: 'sitemaps',
    logical: 'sitemap',
    key: 'sitemapid',
    lookups: {},
    required: ['sitemapname', 'sitemapnameunique', 'sitemapxml'],
    check: (r, ctx) => checkSiteMapXml(r.sitemapxml, (t) => ctx.view(t) !== undefined),
  },
  {
    set: 'appactions',
    logical: 'appaction',
    key: 'appactionid',
    lookups: {
      appmoduleid: 'appmodules',
      onclickeventjavascriptwebresourceid: 'webresourceset',
    },
    required: ['name', 'uniquename', 'location', 'context', 'contextvalue'],
    check: (r, ctx) => {
      tableOf(ctx, r.contextvalue);
      if (r.onclickeventtype === 2 && !r._onclickeventjavascriptwebresourceid_value)
        throw ERR.badRequest('A JavaScript command needs its web resource.');
    },
  },
  {
    set: 'roles',
    logical: 'role',
    key: 'roleid',
    lookups: { businessunitid: 'businessunits' },
    required: ['name'],
  },
  { set: 'privileges', logical: 'privilege', key: 'privilegeid', lookups: {}, readOnly: true, required: [] },
  {
    set: 'publishers',
    logical: 'publisher',
    key: 'publisherid',
    lookups: {},
    required: ['uniquename', 'friendlyname', 'customizationprefix', 'customizationoptionvalueprefix'],
    check: (r) => {
      const p = String(r.customizationprefix);
      if (!PREFIX.test(p) || p.startsWith('mscrm'))
        throw ERR.badRequest(`The customization prefix '${p}' is not valid.`);
      const v = Number(r.customizationoptionvalueprefix);
      if (!Number.isInteger(v) || v < 10_000 || v > 99_999)
        throw ERR.badRequest('The option value prefix must be between 10000 and 99999.');
    },
  },
  {
    set: 'solutions',
    logical: 'solution',
    key: 'solutionid',
    lookups: { publisherid: 'publishers' },
    required: ['uniquename', 'friendlyname', 'version'],
    check: (r) => {
      if (!r._publisherid_value) throw ERR.badRequest('A solution needs a publisher.');
      if (!/^\d+(\.\d+){1,3}$/.test(String(r.version))) throw ERR.badRequest('The version is not valid.');
    },
  },
  {
    set: 'solutioncomponents',
    logical: 'solutioncomponent',
    key: 'solutioncomponentid',
    lookups: {},
    readOnly: true,
    required: [],
  },
  {
    set: 'solutioncomponentdefinitions',
    logical: 'solutioncomponentdefinition',
    key: 'solutioncomponentdefinitionid',
    lookups: {},
    readOnly: true,
    required: [],
  },
  {
    set: 'businessunits',
    logical: 'businessunit',
    key: 'businessunitid',
    lookups: {},
    readOnly: true,
    required: [],
  },
];

/** Solution component types (solutioncomponent.componenttype): Microsoft's option list. */
export const COMPONENT_TYPES: Record<string, number> = {
  entity: 1,
  role: 20,
  savedquery: 26,
  systemform: 60,
  webresource: 61,
  sitemap: 62,
  appmodule: 80,
};

/** appaction is a newer component: its type is the number its definition row carries (a choice: 10050). */
export const APPACTION_COMPONENT_TYPE = 10_050;
