/**
 * The files of an exported (unmanaged) solution: solution.xml (the manifest: publisher, version, root
 * components), customizations.xml (forms, views, roles, web resources, site map, app, commands) and
 * [Content_Types].xml, in the shapes Dataverse exports (shared/reference/round2-facts.md §6.1; element
 * names as in exported solutions and Microsoft's customization XML reference). The tables and their
 * columns, the global choices and the relationships come from entityXml.ts (decision 0140).
 */
import type { CommandDef } from './commands';
import type { Components } from './components';
import {
  entityInfoXml,
  EXTENDED_TABLE_NAMES,
  GLOBAL_OPTION_SET_NAMES,
  globalOptionSetsXml,
  relationshipsXml,
} from './entityXml';
import { esc, LANG, PUBLISHER, SOLUTION, type Labels } from './labels';

/** solutioncomponent.componenttype (Microsoft's option list); appaction's number is per environment. */
export const COMPONENT_TYPE = {
  entity: 1,
  attribute: 2,
  optionSet: 9,
  role: 20,
  savedquery: 26,
  systemform: 60,
  webresource: 61,
  sitemap: 62,
  appmodule: 80,
} as const;

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const names = (l: Labels, el = 'LocalizedName') =>
  `<${el}s><${el} description="${esc(l.en)}" languagecode="${LANG.en}" /><${el} description="${esc(l.nl)}" languagecode="${LANG.nl}" /></${el}s>`;
const descriptions = (l: Labels) => names(l, 'Description');

export function solutionXml(c: Components): string {
  const roots = [
    ...GLOBAL_OPTION_SET_NAMES.map(
      (n) => `<RootComponent type="${COMPONENT_TYPE.optionSet}" schemaName="${n}" behavior="0" />`,
    ),
    ...c.tables.map(
      (t) => `<RootComponent type="${COMPONENT_TYPE.entity}" schemaName="${t}" behavior="0" />`,
    ),
    // A system table AutoInvoice only adds columns to travels as a shell (behavior 2) with those columns.
    ...EXTENDED_TABLE_NAMES.map(
      (t) => `<RootComponent type="${COMPONENT_TYPE.entity}" schemaName="${t}" behavior="2" />`,
    ),
    ...c.roles.map((r) => `<RootComponent type="${COMPONENT_TYPE.role}" id="{${r.id}}" behavior="0" />`),
    ...c.webresources.map(
      (w) => `<RootComponent type="${COMPONENT_TYPE.webresource}" schemaName="${w.name}" behavior="0" />`,
    ),
    `<RootComponent type="${COMPONENT_TYPE.sitemap}" schemaName="${c.sitemap.uniquename}" behavior="0" />`,
    `<RootComponent type="${COMPONENT_TYPE.appmodule}" schemaName="${c.app.uniquename}" behavior="0" />`,
  ];
  return (
    `<ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2" languagecode="${LANG.en}" generatedBy="AutoInvoice" xmlns:xsi="${XSI}">` +
    `<SolutionManifest><UniqueName>${SOLUTION.uniquename}</UniqueName>` +
    names({ en: SOLUTION.friendlyname, nl: SOLUTION.friendlyname }) +
    descriptions(SOLUTION.description) +
    `<Version>${SOLUTION.version}</Version><Managed>0</Managed>` +
    `<Publisher><UniqueName>${PUBLISHER.uniquename}</UniqueName>` +
    names({ en: PUBLISHER.friendlyname, nl: PUBLISHER.friendlyname }) +
    descriptions({ en: PUBLISHER.description, nl: PUBLISHER.description }) +
    `<EMailAddress xsi:nil="true"></EMailAddress><SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>` +
    `<CustomizationPrefix>${PUBLISHER.customizationprefix}</CustomizationPrefix>` +
    `<CustomizationOptionValuePrefix>${PUBLISHER.customizationoptionvalueprefix}</CustomizationOptionValuePrefix>` +
    `<Addresses /></Publisher><RootComponents>${roots.join('')}</RootComponents><MissingDependencies /></SolutionManifest></ImportExportXml>`
  );
}

export const webResourceFile = (name: string) => `WebResources/${name}`;

export function customizationsXml(c: Components): string {
  const entities = [...c.tables, ...EXTENDED_TABLE_NAMES].map((t) => {
    const forms = c.forms
      .filter((f) => f.table === t)
      .map(
        (f) =>
          `<systemform><formid>{${f.id}}</formid><IntroducedVersion>${SOLUTION.version}</IntroducedVersion><FormPresentation>1</FormPresentation><FormActivationState>1</FormActivationState>${f.formxml}<IsCustomizable>1</IsCustomizable><CanBeDeleted>1</CanBeDeleted>${names(f.name)}${descriptions(f.description)}</systemform>`,
      );
    const views = c.views
      .filter((v) => v.table === t)
      .map(
        (v) =>
          `<savedquery><IsCustomizable>1</IsCustomizable><CanBeDeleted>1</CanBeDeleted><isquickfindquery>0</isquickfindquery><isprivate>0</isprivate><isdefault>0</isdefault><savedqueryid>{${v.id}}</savedqueryid><layoutxml>${v.layoutxml}</layoutxml><querytype>0</querytype><fetchxml>${v.fetchxml}</fetchxml><IntroducedVersion>${SOLUTION.version}</IntroducedVersion>${names(v.name)}${descriptions(v.description)}</savedquery>`,
      );
    return (
      `<Entity>${entityInfoXml(t)}` +
      `<FormXml>${forms.length ? `<forms type="main">${forms.join('')}</forms>` : ''}</FormXml>` +
      `<SavedQueries><savedqueries>${views.join('')}</savedqueries></SavedQueries><RibbonDiffXml /></Entity>`
    );
  });
  const roles = c.roles.map(
    (r) =>
      `<Role id="{${r.id}}" name="${esc(r.name.en)}"><RolePrivileges>${r.privileges.map((p) => `<RolePrivilege name="${p}" level="${r.depth}" />`).join('')}</RolePrivileges></Role>`,
  );
  const webresources = c.webresources.map(
    (w) =>
      `<WebResource><WebResourceId>{${w.id}}</WebResourceId><Name>${w.name}</Name><DisplayName>${esc(w.displayname.en)}</DisplayName><WebResourceType>${w.webresourcetype}</WebResourceType><IntroducedVersion>${SOLUTION.version}</IntroducedVersion><IsCustomizable>1</IsCustomizable><CanBeDeleted>1</CanBeDeleted><IsHidden>0</IsHidden><FileName>/${webResourceFile(w.name)}</FileName></WebResource>`,
  );
  const commands = c.commands.map((a) => appActionXml(c, a));
  return (
    `<ImportExportXml xmlns:xsi="${XSI}" OrganizationVersion="9.2.0.0" OrganizationSchemaType="Standard">` +
    `<Entities>${entities.join('')}</Entities><Roles>${roles.join('')}</Roles><Workflows /><FieldSecurityProfiles /><Templates /><EntityMaps />${relationshipsXml()}<OrganizationSettings />${globalOptionSetsXml()}<CustomControls />` +
    `<WebResources>${webresources.join('')}</WebResources>` +
    `<AppModuleSiteMaps><AppModuleSiteMap><SiteMapUniqueName>${c.sitemap.uniquename}</SiteMapUniqueName>${c.sitemap.xml}${names({ en: c.sitemap.name, nl: c.sitemap.name })}</AppModuleSiteMap></AppModuleSiteMaps>` +
    `<AppModules>${appModuleXml(c)}</AppModules>` +
    `<appactions>${commands.join('')}</appactions>` +
    `<Languages><Language>${LANG.en}</Language><Language>${LANG.nl}</Language></Languages></ImportExportXml>`
  );
}

/** One app module as customizations.xml holds it (its components and role maps). */
export function appModuleXml(c: Components): string {
  const icon = c.webresources.find((w) => w.webresourcetype === 11)!;
  const appComponents = [
    `<AppModuleComponent type="${COMPONENT_TYPE.sitemap}" schemaName="${c.sitemap.uniquename}" />`,
    ...c.tables.map((t) => `<AppModuleComponent type="${COMPONENT_TYPE.entity}" schemaName="${t}" />`),
    ...c.forms.map((f) => `<AppModuleComponent type="${COMPONENT_TYPE.systemform}" id="{${f.id}}" />`),
    ...c.views.map((v) => `<AppModuleComponent type="${COMPONENT_TYPE.savedquery}" id="{${v.id}}" />`),
  ];
  return (
    `<AppModule><UniqueName>${c.app.uniquename}</UniqueName><IntroducedVersion>${SOLUTION.version}</IntroducedVersion><WebResourceId>{${icon.id}}</WebResourceId><statecode>0</statecode><statuscode>1</statuscode><FormFactor>1</FormFactor><ClientType>${c.app.clienttype}</ClientType><NavigationType>0</NavigationType>` +
    `<AppModuleComponents>${appComponents.join('')}</AppModuleComponents><AppModuleRoleMaps>${c.roles
      .filter((r) => r.key !== 'connector')
      .map((r) => `<Role id="{${r.id}}" />`)
      .join('')}</AppModuleRoleMaps>${names(c.app.name)}${descriptions(c.app.description)}</AppModule>`
  );
}

/** One modern command (appaction) as an exported solution holds it [inf: element names as exported]. */
export function appActionXml(c: Components, a: CommandDef): string {
  return `<appaction uniquename="${a.uniquename}"><appactionid>{${a.id}}</appactionid><appmoduleid><uniquename>${c.app.uniquename}</uniquename></appmoduleid><buttonlabeltext default="${esc(a.label.en)}">${names(a.label, 'label')}</buttonlabeltext><context>1</context><contextvalue>eol_salesinvoice</contextvalue><fonticon>${a.icon}</fonticon><location>${a.location}</location><name>${a.uniquename}</name><onclickeventjavascriptfunctionname>${a.functionName}</onclickeventjavascriptfunctionname><onclickeventjavascriptparameters>${esc(a.parameters)}</onclickeventjavascriptparameters><onclickeventjavascriptwebresourceid><name>${c.webresources.find((w) => w.webresourcetype === 3)!.name}</name></onclickeventjavascriptwebresourceid><onclickeventtype>2</onclickeventtype><sequence>${a.sequence}</sequence></appaction>`;
}

export const CONTENT_TYPES =
  '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/octet-stream" /><Default Extension="js" ContentType="application/octet-stream" />' +
  '<Default Extension="svg" ContentType="application/octet-stream" /></Types>';
