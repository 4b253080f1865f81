/** The solution's components are built from the vocabulary; tables it lacks are skipped, not errors. */
import * as vm from 'node:vm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildComponents } from '../../../../src/adapters/dataverse/solution/components';
import { EOL_TABLES, type TableDef } from '../../../../src/adapters/dataverse/vocabulary';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

describe('AutoInvoice solution components', () => {
  const c = buildComponents();

  test('when built from the vocabulary, then every form, view and site map is well-formed XML', () => {
    for (const xml of [
      ...c.forms.map((f) => f.formxml),
      ...c.views.flatMap((v) => [v.fetchxml, v.layoutxml]),
      c.sitemap.xml,
    ])
      expect(XMLValidator.validate(xml)).toBe(true);
  });

  test('when the invoice form is built, then its dispatch section shows the connector columns read-only and the request columns nowhere', () => {
    const form = c.forms.find((f) => f.table === 'eol_salesinvoice')!;
    const controls: Array<{ datafieldname: string; disabled: string }> = [];
    JSON.stringify(parser.parse(form.formxml), (k, v: unknown) => {
      if (k === 'control') controls.push(...(Array.isArray(v) ? v : [v]));
      return v;
    });
    const disabled = (col: string) => controls.find((x) => x.datafieldname === col)?.disabled;
    for (const col of [
      'eol_dispatchstatus',
      'eol_dispatchchannel',
      'eol_dispatchreason',
      'eol_dispatchmessage',
      'eol_scheduledfor',
      'eol_senton',
      'eol_dispatchattempts',
      'eol_emailid',
    ])
      expect(disabled(col)).toBe('true');
    expect(disabled('eol_autodispatch')).toBe('false');
    expect(controls.map((x) => x.datafieldname)).not.toContain('eol_resend');
    expect(controls.map((x) => x.datafieldname)).not.toContain('eol_sendnow');
  });

  test('when eol_layout is not in the vocabulary, then its form and site map entry are listed as skipped', () => {
    const withoutLayout = EOL_TABLES.some((t) => t.name === 'eol_layout');
    if (withoutLayout) {
      expect(c.forms.map((f) => f.table)).toContain('eol_layout');
      expect(c.sitemap.xml).toContain('Entity="eol_layout"');
    } else {
      expect(c.skipped.join('\n')).toMatch(/eol_layout/);
      expect(c.sitemap.xml).not.toContain('eol_layout');
    }
  });

  test('when a table with a new column is given, then its form shows the column in "More" without any edit', () => {
    const layoutTable: TableDef = {
      ...EOL_TABLES[0]!,
      name: 'eol_layout',
      entitySet: 'eol_layouts',
      primaryId: 'eol_layoutid',
      columns: {
        eol_name: EOL_TABLES[0]!.columns.eol_name!,
        eol_exactlayoutid: {
          kind: 'text',
          label: 'Exact layout id',
          maxLength: 100,
          wire: EOL_TABLES[0]!.columns.eol_name!.wire,
        },
      },
      keys: [],
    };
    const built = buildComponents([...EOL_TABLES.filter((t) => t.name !== 'eol_layout'), layoutTable]);
    const form = built.forms.find((f) => f.table === 'eol_layout')!;
    expect(form.columns).toEqual(['eol_name', 'eol_exactlayoutid']);
    // Mirrored from Exact: every column is read-only.
    expect(form.formxml.match(/disabled="true"/g)).toHaveLength(2);
    expect(form.formxml).not.toContain('disabled="false"');
    expect(built.skipped).toEqual([]);
    expect(built.sitemap.xml).toContain('Entity="eol_layout"');
    expect(built.roles.find((r) => r.key === 'administrator')!.privileges).toContain('prvCreateeol_layout');
  });

  test('when labels are built, then every form, view, command and role names itself in English (1033) and Dutch (1043)', () => {
    const all = [...c.forms, ...c.views, ...c.commands.map((x) => ({ name: x.label })), ...c.roles];
    for (const x of all) {
      expect(x.name.en).toBeTruthy();
      expect(x.name.nl).toBeTruthy();
    }
    expect(c.forms[0]!.formxml).toContain('languagecode="1043"');
    expect(c.sitemap.xml).toContain('LCID="1043"');
  });

  test('when the views are built, then each shows invoice, relation, channel, reason, message and sent on (Scheduled: scheduled for), ordered as a user reads them', () => {
    const cells = (key: string) =>
      [...c.views.find((v) => v.key === key)!.layoutxml.matchAll(/<cell name="(\w+)"/g)].map((m) => m[1]);
    const base = [
      'eol_name',
      'eol_relationid',
      'eol_dispatchchannel',
      'eol_dispatchreason',
      'eol_dispatchmessage',
    ];
    for (const key of ['needsaction', 'review', 'ignored', 'sent30'])
      expect({ key, cells: cells(key) }).toEqual({ key, cells: [...base, 'eol_senton'] });
    expect(cells('scheduled')).toEqual([...base, 'eol_scheduledfor']);
    const order = (key: string) =>
      /<order attribute="(\w+)" descending="(\w+)"/
        .exec(c.views.find((v) => v.key === key)!.fetchxml)!
        .slice(1);
    expect(order('needsaction')).toEqual(['eol_invoicedate', 'true']);
    expect(order('scheduled')).toEqual(['eol_scheduledfor', 'false']);
    expect(order('sent30')).toEqual(['eol_senton', 'true']);
    expect(c.views.map((v) => v.name.en)).toEqual([
      'Needs action',
      'Waiting for review',
      'Scheduled',
      'Ignored',
      'Sent (last 30 days)',
    ]);
  });

  test('when the site map is built, then the app shows Invoices, Relations, Administrations and Layouts, each in both languages', () => {
    const entities = [...c.sitemap.xml.matchAll(/<SubArea Id="\w+" Entity="(\w+)">/g)]
      .map((m) => m[1])
      .sort();
    expect(entities).toEqual(['eol_administration', 'eol_layout', 'eol_relation', 'eol_salesinvoice']);
    const subareas = [...c.sitemap.xml.matchAll(/<SubArea [^>]*>([\s\S]*?)<\/SubArea>/g)].map((m) => m[1]!);
    for (const sub of subareas) {
      expect(sub).toContain('LCID="1033"');
      expect(sub).toContain('LCID="1043"');
    }
  });

  test('when a command is clicked on the form or on the grid, then its script writes exactly its one column on each selected invoice and refreshes', async () => {
    const expected = {
      resend: { eol_resend: true },
      sendnow: { eol_sendnow: true },
      hold: { eol_autodispatch: false },
      release: { eol_autodispatch: true },
    };
    const script = c.webresources.find((w) => w.webresourcetype === 3)!.content;
    const ids = ['A1000000-0000-4000-8000-000000000001', 'A1000000-0000-4000-8000-000000000002'];
    expect(c.commands).toHaveLength(8);
    for (const cmd of c.commands) {
      const writes: unknown[] = [];
      let refreshed = 0;
      const window: Record<string, unknown> = {};
      const Xrm = {
        WebApi: {
          updateRecord: async (table: string, id: string, data: unknown) =>
            void writes.push([table, id, data]),
        },
      };
      vm.runInNewContext(script, { window, Xrm, Promise });
      const fn = cmd.functionName
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], window) as (
        ...a: unknown[]
      ) => Promise<void>;
      const params = (JSON.parse(cmd.parameters) as Array<{ type: number }>).map((p) => p.type);
      if (cmd.location === 0) {
        expect(params).toEqual([5]);
        await fn({ data: { entity: { getId: () => `{${ids[0]}}` }, refresh: async () => void refreshed++ } });
      } else {
        expect(params).toEqual([12, 23]);
        await fn({ refresh: () => void refreshed++ }, ids);
      }
      const want = expected[cmd.key];
      const rows = cmd.location === 0 ? ids.slice(0, 1) : ids;
      expect({ key: cmd.key, writes }).toEqual({
        key: cmd.key,
        writes: rows.map((id) => ['eol_salesinvoice', id, want]),
      });
      expect(refreshed).toBe(1);
    }
  });

  test('when the relation and administration forms are built, then they show the layout lookups (not the retired GUID texts), keep what only the mirror writes read-only, and hide the sync cursor', () => {
    const controls = (table: string) => {
      const f = c.forms.find((x) => x.table === table)!;
      return new Map(
        [...f.formxml.matchAll(/datafieldname="(\w+)" disabled="(\w+)"/g)].map((m) => [m[1]!, m[2]!]),
      );
    };
    const relation = controls('eol_relation');
    for (const col of ['eol_layout', 'eol_emaillayout']) expect(relation.has(col)).toBe(false);
    for (const col of [
      'eol_layoutid',
      'eol_emaillayoutid',
      'eol_invoicemethod',
      'eol_invoiceemail',
      'eol_peppolid',
      'eol_autoinvoice',
    ])
      expect({ col, disabled: relation.get(col) }).toEqual({ col, disabled: 'false' });
    for (const col of [
      'eol_name',
      'eol_exactaccountid',
      'eol_kvk',
      'eol_vatnumber',
      'eol_exactstate',
      'eol_exactinvoicemethod',
      'eol_exactinvoiceemail',
      'eol_exactpeppolid',
      'eol_syncconflict',
    ])
      expect({ col, disabled: relation.get(col) }).toEqual({ col, disabled: 'true' });
    const admin = controls('eol_administration');
    for (const col of ['eol_accountcursor', 'eol_defaultlayout', 'eol_defaultemaillayout'])
      expect(admin.has(col)).toBe(false);
    for (const col of [
      'eol_defaultlayoutid',
      'eol_defaultemaillayoutid',
      'eol_printinvoices',
      'eol_timing',
      'eol_peppolrequired',
    ])
      expect({ col, disabled: admin.get(col) }).toEqual({ col, disabled: 'false' });
    for (const col of ['eol_name', 'eol_division', 'eol_exactstate', 'eol_activefrom'])
      expect({ col, disabled: admin.get(col) }).toEqual({ col, disabled: 'true' });
    // The layouts sit in their section, not under "More".
    const layoutsSection = /<section name="layouts"[\s\S]*?<\/section>/.exec(
      c.forms.find((x) => x.table === 'eol_administration')!.formxml,
    )![0];
    expect(layoutsSection).toContain('datafieldname="eol_defaultlayoutid"');
  });
});
