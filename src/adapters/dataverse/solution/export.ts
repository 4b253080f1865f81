/**
 * `npm run dataverse -- export-solution`: the solution as the unpacked folder a partner keeps in source
 * control (one file per component beside solution.xml and customizations.xml) and as the zip Dataverse
 * imports (solution.xml, customizations.xml, [Content_Types].xml and WebResources/ at the root).
 * The zip is written with jszip (pure JavaScript, no native build, reads and writes, widely used).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';
import type { Components } from './components';
import {
  appActionXml,
  appModuleXml,
  CONTENT_TYPES,
  customizationsXml,
  solutionXml,
  webResourceFile,
} from './solutionXml';
import { entityInfoXml, EXTENDED_TABLE_NAMES } from './entityXml';
import { SOLUTION } from './labels';

/** Path → content of every file of the unpacked solution. */
export function solutionFiles(c: Components): Map<string, string> {
  const files = new Map<string, string>([
    ['solution.xml', solutionXml(c)],
    ['customizations.xml', customizationsXml(c)],
    ['[Content_Types].xml', CONTENT_TYPES],
  ]);
  for (const w of c.webresources) files.set(webResourceFile(w.name), w.content);
  for (const t of [...c.tables, ...EXTENDED_TABLE_NAMES])
    files.set(`Entities/${t}/Entity.xml`, `<Entity>${entityInfoXml(t)}</Entity>`);
  for (const f of c.forms) files.set(`Entities/${f.table}/FormXml/main/{${f.id}}.xml`, f.formxml);
  for (const v of c.views)
    files.set(
      `Entities/${v.table}/SavedQueries/{${v.id}}.xml`,
      `<savedquery><fetchxml>${v.fetchxml}</fetchxml><layoutxml>${v.layoutxml}</layoutxml></savedquery>`,
    );
  files.set(`AppModuleSiteMaps/${c.sitemap.uniquename}/AppModuleSiteMap.xml`, c.sitemap.xml);
  files.set(`AppModules/${c.app.uniquename}/AppModule.xml`, appModuleXml(c));
  for (const a of c.commands) files.set(`appactions/${a.uniquename}.xml`, appActionXml(c, a));
  for (const r of c.roles)
    files.set(
      `Roles/${r.name.en}.xml`,
      `<Role id="{${r.id}}" name="${r.name.en}">${r.privileges.map((p) => `<RolePrivilege name="${p}" level="${r.depth}" />`).join('')}</Role>`,
    );
  return files;
}

/** The files Dataverse's import reads: the manifest, the customizations and the web resource contents. */
const IN_ZIP = (path: string) =>
  path === 'solution.xml' ||
  path === 'customizations.xml' ||
  path === '[Content_Types].xml' ||
  path.startsWith('WebResources/');

export async function solutionZip(c: Components): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, content] of solutionFiles(c)) if (IN_ZIP(path)) zip.file(path, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export async function exportSolution(
  c: Components,
  outDir: string,
): Promise<{ folder: string; zip: string }> {
  const folder = join(outDir, SOLUTION.uniquename);
  for (const [path, content] of solutionFiles(c)) {
    const file = join(folder, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, 'utf8');
  }
  const zip = join(outDir, `${SOLUTION.uniquename}_${SOLUTION.version.replace(/\./g, '_')}.zip`);
  writeFileSync(zip, await solutionZip(c));
  return { folder, zip };
}
