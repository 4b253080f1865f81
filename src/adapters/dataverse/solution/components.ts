/**
 * Every component of the AutoInvoice solution, built from the vocabulary: forms, views, the app and its
 * site map, the commands and their script, the security roles. A component whose table the vocabulary
 * does not hold (eol_layout until issue 14 adds it) is listed in `skipped`, not an error.
 */
import { EOL_TABLES, type TableDef } from '../vocabulary';
import { APP, APP_ID, ICON_SVG, SITEMAP, SITEMAP_ID, siteMapXml } from './app';
import { buildCommands, COMMANDS_SCRIPT, commandsScript, ICON_RESOURCE, type CommandDef } from './commands';
import { buildForm, type FormDef } from './forms';
import { componentId, type Labels } from './labels';
import { FORM_LAYOUTS } from './layouts';
import { buildRoles, type RoleDef } from './roles';
import { buildView, INVOICE_VIEWS, type ViewDef } from './views';

/** webresourcetype: 3 Script (JScript), 11 SVG (webresource table reference). */
export interface WebResourceDef {
  id: string;
  name: string;
  displayname: Labels;
  webresourcetype: 3 | 11;
  content: string;
}

export interface Components {
  tables: string[];
  forms: FormDef[];
  views: ViewDef[];
  webresources: WebResourceDef[];
  commands: CommandDef[];
  app: { id: string; uniquename: string; name: Labels; description: Labels; clienttype: number };
  sitemap: { id: string; uniquename: string; name: string; xml: string };
  roles: RoleDef[];
  skipped: string[];
}

export function buildComponents(tables: readonly TableDef[] = EOL_TABLES): Components {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const names = new Set(byName.keys());
  const skipped: string[] = [];
  const forms: FormDef[] = [];
  for (const layout of FORM_LAYOUTS) {
    const table = byName.get(layout.table);
    if (table) forms.push(buildForm(layout, table));
    else skipped.push(`form '${layout.name.en}': table ${layout.table} is not in the vocabulary yet`);
  }
  if (!names.has('eol_layout'))
    skipped.push("site map entry 'Layouts': table eol_layout is not in the vocabulary yet");
  const invoice = byName.get('eol_salesinvoice');
  if (!invoice) throw new Error('the vocabulary has no eol_salesinvoice table');
  return {
    tables: [...names],
    forms,
    views: INVOICE_VIEWS.map((v) => buildView(v, invoice)),
    webresources: [
      {
        id: componentId('webresource', COMMANDS_SCRIPT),
        name: COMMANDS_SCRIPT,
        displayname: { en: 'AutoInvoice commands', nl: 'AutoInvoice-opdrachten' },
        webresourcetype: 3,
        content: commandsScript(invoice.name, invoice.entitySet),
      },
      {
        id: componentId('webresource', ICON_RESOURCE),
        name: ICON_RESOURCE,
        displayname: { en: 'AutoInvoice icon', nl: 'AutoInvoice-pictogram' },
        webresourcetype: 11,
        content: ICON_SVG,
      },
    ],
    commands: buildCommands(invoice.name),
    app: { id: APP_ID, ...APP },
    sitemap: { id: SITEMAP_ID, ...SITEMAP, xml: siteMapXml(names) },
    roles: buildRoles(names),
    skipped,
  };
}
