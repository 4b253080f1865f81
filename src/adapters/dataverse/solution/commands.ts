/**
 * Commands Resend, Send now, Hold and Release on the invoice form and grid, as modern commands
 * (`appaction` rows, shared/reference round2-facts.md §6.1) whose click runs a function of the solution's
 * JavaScript web resource. Each command only writes a column of the row (eol_resend, eol_sendnow,
 * eol_autodispatch): the webhook step filters on those columns, so the write is what starts a dispatch.
 * Locations and click types: the appaction table reference (location 0 Form, 1 Main Grid;
 * onclickeventtype 2 JavaScript). Parameter codes 5 PrimaryControl, 12 SelectedControl,
 * 23 SelectedControlSelectedItemIds are read from exported commands [inf], not from a Microsoft page.
 */
import { componentId, type Labels } from './labels';

export const COMMANDS_SCRIPT = 'eol_/autoinvoice/commands.js';
export const ICON_RESOURCE = 'eol_/autoinvoice/icon.svg';

export const LOCATION = { form: 0, mainGrid: 1 } as const;
export const ONCLICK_JAVASCRIPT = 2;
const PARAMS = {
  form: JSON.stringify([{ type: 5 }]),
  mainGrid: JSON.stringify([{ type: 12 }, { type: 23 }]),
} as const;

interface CommandSpec {
  key: 'resend' | 'sendnow' | 'hold' | 'release';
  label: Labels;
  tooltip: Labels;
  column: string;
  value: boolean;
  icon: string;
}

export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    key: 'resend',
    label: { en: 'Resend', nl: 'Opnieuw verzenden' },
    tooltip: {
      en: 'After fixing the cause of a failure: AutoInvoice tries this invoice again.',
      nl: 'Na het oplossen van de oorzaak: AutoInvoice probeert deze factuur opnieuw.',
    },
    column: 'eol_resend',
    value: true,
    icon: '$clientsvg:Refresh',
  },
  {
    key: 'sendnow',
    label: { en: 'Send now', nl: 'Nu verzenden' },
    tooltip: {
      en: 'AutoInvoice decides about this invoice now, without waiting for the next sweep.',
      nl: 'AutoInvoice beslist nu over deze factuur, zonder op de volgende ronde te wachten.',
    },
    column: 'eol_sendnow',
    value: true,
    icon: '$clientsvg:Send',
  },
  {
    key: 'hold',
    label: { en: 'Hold', nl: 'Vasthouden' },
    tooltip: {
      en: 'AutoInvoice does not send this invoice until it is released.',
      nl: 'AutoInvoice verstuurt deze factuur niet tot hij wordt vrijgegeven.',
    },
    column: 'eol_autodispatch',
    value: false,
    icon: '$clientsvg:Pause',
  },
  {
    key: 'release',
    label: { en: 'Release', nl: 'Vrijgeven' },
    tooltip: {
      en: 'AutoInvoice may send this invoice again.',
      nl: 'AutoInvoice mag deze factuur weer verzenden.',
    },
    column: 'eol_autodispatch',
    value: true,
    icon: '$clientsvg:Play',
  },
];

export interface CommandDef {
  id: string;
  uniquename: string;
  key: CommandSpec['key'];
  location: number;
  label: Labels;
  tooltip: Labels;
  column: string;
  functionName: string;
  parameters: string;
  sequence: number;
  icon: string;
}

export function buildCommands(table: string): CommandDef[] {
  return COMMAND_SPECS.flatMap((spec, i) =>
    (['form', 'mainGrid'] as const).map((where) => {
      const uniquename = `eol_${table}_${spec.key}_${where === 'form' ? 'form' : 'grid'}`;
      return {
        id: componentId('appaction', uniquename),
        uniquename,
        key: spec.key,
        location: LOCATION[where],
        label: spec.label,
        tooltip: spec.tooltip,
        column: spec.column,
        functionName: `AutoInvoice.Commands.${spec.key}${where === 'form' ? 'Form' : 'Grid'}`,
        parameters: PARAMS[where],
        sequence: 10 + i,
        icon: spec.icon,
      };
    }),
  );
}

/** The web resource the commands call: one row write per selected invoice, then a refresh. */
export function commandsScript(table: string, entitySet: string): string {
  const fns = COMMAND_SPECS.map(
    (s) =>
      `  ${s.key}Form: function (form) { return write(form.data.entity.getId(), ${JSON.stringify(s.column)}, ${s.value}).then(function () { return form.data.refresh(false); }); },\n` +
      `  ${s.key}Grid: function (grid, ids) { return Promise.all((ids || []).map(function (id) { return write(id, ${JSON.stringify(s.column)}, ${s.value}); })).then(function () { grid.refresh(); }); },`,
  ).join('\n');
  return `// AutoInvoice commands: each writes one column of ${table} (${entitySet}); the connector does the rest.
var AutoInvoice = window.AutoInvoice || {};
AutoInvoice.Commands = (function () {
  function write(id, column, value) {
    var data = {};
    data[column] = value;
    return Xrm.WebApi.updateRecord(${JSON.stringify(table)}, String(id).replace(/[{}]/g, ''), data);
  }
  return {
${fns}
  };
})();
window.AutoInvoice = AutoInvoice;
`;
}
