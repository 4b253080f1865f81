/**
 * Main forms (systemform, type 2) of the eol_ tables, generated from the vocabulary: each table's
 * sections name the columns they show; a named column the vocabulary lacks is left out, and a column of
 * the vocabulary no section names lands in "More", so columns added later (issue 14, PRODUCT.md §12)
 * show up without editing this file. What the connector writes is read-only (`disabled="true"`).
 * Control class ids: Microsoft's FormXml schema (form-xml-schema.md, "control" element).
 */
import type { ColumnDef, TableDef } from '../vocabulary';
import { columnLabels } from './columnText';
import { componentId, esc, labelsXml, type Labels } from './labels';

export const FORM_TYPE_MAIN = 2;

const CLASS_IDS: Record<string, string> = {
  text: '{4273EDBD-AC1D-40d3-9FB2-095C621B552D}',
  memo: '{E0DECE4B-6FC8-4a8f-A065-082708572369}',
  integer: '{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}',
  boolean: '{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}',
  choice: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  choices: '{4AA28AB7-9C13-4F57-A73D-AD894D048B5F}',
  datetime: '{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}',
  lookup: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
};

interface SectionSpec {
  name: string;
  label: Labels;
  columns: readonly string[];
}

export interface FormLayout {
  table: string;
  name: Labels;
  description: Labels;
  sections: readonly SectionSpec[];
  /** Columns the connector writes: shown, never edited ('all': a table the connector mirrors). */
  readOnly: readonly string[] | 'all';
  /** Columns no form shows (request columns the commands set). */
  hidden: readonly string[];
}

export interface FormDef {
  id: string;
  table: string;
  name: Labels;
  description: Labels;
  type: number;
  formxml: string;
  /** The columns the form binds (`datafieldname`), for checks. */
  columns: string[];
}

export function buildForm(layout: FormLayout, table: TableDef): FormDef {
  const placed = new Set(layout.sections.flatMap((s) => s.columns));
  const rest = Object.keys(table.columns).filter(
    (c) => !placed.has(c) && !layout.hidden.includes(c) && table.columns[c]!.kind !== 'system',
  );
  const sections = [
    ...layout.sections,
    ...(rest.length > 0 ? [{ name: 'more', label: { en: 'More', nl: 'Overig' }, columns: rest }] : []),
  ]
    .map((s) => ({ ...s, columns: s.columns.filter((c) => c in table.columns) }))
    .filter((s) => s.columns.length > 0);
  const id = componentId('systemform', table.name);
  const bound: string[] = [];
  const sectionXml = sections.map((s) => {
    const rows = s.columns.map((c) => {
      bound.push(c);
      const readOnly = layout.readOnly === 'all' || layout.readOnly.includes(c);
      return cellXml(table.name, c, table.columns[c]!, readOnly);
    });
    return `<section name="${s.name}" id="{${componentId('section', `${table.name}.${s.name}`)}}" showlabel="true" showbar="false" columns="1">${labelsXml(s.label)}<rows>${rows.join('')}</rows></section>`;
  });
  const formxml =
    `<form><tabs><tab name="general" id="{${componentId('tab', table.name)}}" verticallayout="true" expanded="true" showlabel="false">` +
    `${labelsXml({ en: 'General', nl: 'Algemeen' })}<columns><column width="100%"><sections>${sectionXml.join('')}</sections></column></columns></tab></tabs></form>`;
  return {
    id,
    table: table.name,
    name: layout.name,
    description: layout.description,
    type: FORM_TYPE_MAIN,
    formxml,
    columns: bound,
  };
}

function cellXml(table: string, column: string, def: ColumnDef, readOnly: boolean): string {
  const kind = def.kind === 'system' ? (def.lookup ? 'lookup' : 'choice') : def.kind;
  const memo = def.kind === 'memo';
  return (
    `<row><cell id="{${componentId('cell', `${table}.${column}`)}}" showlabel="true"${memo ? ' rowspan="3"' : ''}>` +
    `${labelsXml(columnLabels(column, def.label))}` +
    `<control id="${esc(column)}" classid="${CLASS_IDS[kind]}" datafieldname="${esc(column)}" disabled="${readOnly}" /></cell></row>`
  );
}
