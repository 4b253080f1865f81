/**
 * What Dataverse checks when a form, view or site map is saved, as far as the AutoInvoice components
 * go: XML that parses, and every column it binds (`datafieldname` of a form control, `name` of a view's
 * layout cell, the attributes of its FetchXml) exists on the table; a site map names existing tables.
 * The refusal of a FetchXml column is Dataverse's QueryBuilderNoAttribute; the wording of the form and
 * layout refusals is a choice (Dataverse answers 0x80040203 "invalid argument" there).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { TableView } from './columns';
import { checkFetch, noAttribute, parseFetch } from './fetchXml';
import { ODataError } from './model';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

const invalid = (what: string, msg: string) => new ODataError(400, '0x80040203', `Invalid ${what}: ${msg}`);

function parse(what: string, xml: unknown): unknown {
  if (typeof xml !== 'string' || xml.trim() === '') throw invalid(what, 'it is empty');
  const ok = XMLValidator.validate(xml);
  if (ok !== true) throw invalid(what, ok.err.msg);
  return parser.parse(xml);
}

/** Every value of attribute `attr` on elements named `element`, anywhere in the tree. */
function collect(tree: unknown, element: string, attr: string, out: string[] = []): string[] {
  if (Array.isArray(tree)) for (const t of tree) collect(t, element, attr, out);
  else if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) {
      if (k === element)
        for (const el of Array.isArray(v) ? v : [v])
          if (el && typeof el === 'object' && typeof (el as Record<string, unknown>)[attr] === 'string')
            out.push((el as Record<string, string>)[attr]!);
      collect(v, element, attr, out);
    }
  }
  return out;
}

export function checkFormXml(xml: unknown, view: TableView): void {
  const tree = parse('FormXml', xml) as { form?: unknown };
  if (!tree.form) throw invalid('FormXml', 'the root element must be <form>');
  for (const field of collect(tree, 'control', '@datafieldname'))
    if (!view.columns.has(field)) throw noAttribute(view.logical, field);
}

export function checkLayoutXml(xml: unknown, view: TableView): void {
  const tree = parse('LayoutXml', xml) as { grid?: { row?: { '@id'?: string } } };
  if (!tree.grid?.row) throw invalid('LayoutXml', 'it needs <grid><row>');
  for (const cell of collect(tree, 'cell', '@name'))
    if (!view.columns.has(cell)) throw noAttribute(view.logical, cell);
}

export function checkFetchXml(xml: unknown, view: TableView): void {
  if (typeof xml !== 'string') throw invalid('FetchXml', 'it is empty');
  checkFetch(parseFetch(xml), view);
}

export function checkSiteMapXml(xml: unknown, hasTable: (logical: string) => boolean): void {
  const tree = parse('SiteMap', xml) as { SiteMap?: unknown };
  if (!tree.SiteMap) throw invalid('SiteMap', 'the root element must be <SiteMap>');
  for (const entity of collect(tree, 'SubArea', '@Entity'))
    if (!hasTable(entity)) throw invalid('SiteMap', `the table ${entity} does not exist`);
}
