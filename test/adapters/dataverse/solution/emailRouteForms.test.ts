/** Where PRODUCT.md §12's columns appear in the app's forms and views (decision 0105). */
import { XMLParser } from 'fast-xml-parser';
import { buildComponents } from '../../../../src/adapters/dataverse/solution/components';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
const c = buildComponents();

interface Section {
  name: string;
  columns: string[];
  disabled: Record<string, string>;
  dutch: Record<string, string>;
}

function sections(table: string): Section[] {
  const form = c.forms.find((f) => f.table === table)!;
  const out: Section[] = [];
  JSON.stringify(parser.parse(form.formxml), (k, v: unknown) => {
    if (k !== 'section') return v;
    for (const s of (Array.isArray(v) ? v : [v]) as Array<Record<string, unknown>>) {
      const rows = (s.rows as { row: unknown }).row;
      const cells = (Array.isArray(rows) ? rows : [rows]).map(
        (r) => (r as { cell: Record<string, unknown> }).cell,
      );
      const section: Section = { name: String(s.name), columns: [], disabled: {}, dutch: {} };
      for (const cell of cells) {
        const control = cell.control as { datafieldname: string; disabled: string };
        const labels = (cell.labels as { label: Array<{ description: string; languagecode: string }> }).label;
        section.columns.push(control.datafieldname);
        section.disabled[control.datafieldname] = control.disabled;
        section.dutch[control.datafieldname] = labels.find((l) => l.languagecode === '1043')!.description;
      }
      out.push(section);
    }
    return v;
  });
  return out;
}

describe('the Dynamics email route in the app (PRODUCT.md §12)', () => {
  test('when the administration form is built, then its "Email from Dynamics 365" section holds the six §12 settings, editable, with Dutch labels', () => {
    const email = sections('eol_administration').find((s) => s.name === 'email')!;
    expect(email.columns).toEqual([
      'eol_emailroute',
      'eol_emailtemplateid',
      'eol_mailboxid',
      'eol_emailreview',
      'eol_emailcc',
      'eol_emailbcc',
    ]);
    expect(Object.values(email.disabled)).toEqual(Array(6).fill('false'));
    expect(email.dutch).toMatchObject({
      eol_emailroute: 'E-mail verzonden door',
      eol_emailtemplateid: 'E-mailsjabloon',
      eol_emailcc: 'CC van factuur-e-mail',
      eol_emailbcc: 'BCC van factuur-e-mail',
    });
    expect(c.forms.find((f) => f.table === 'eol_administration')!.formxml).toContain(
      'E-mail vanuit Dynamics 365',
    );
  });

  test("when the relation form is built, then the relation's route and review overrides sit with its invoicing settings", () => {
    const invoicing = sections('eol_relation').find((s) => s.name === 'invoicing')!;
    expect(invoicing.columns).toEqual(expect.arrayContaining(['eol_emailroute', 'eol_emailreview']));
    expect(invoicing.disabled).toMatchObject({ eol_emailroute: 'false', eol_emailreview: 'false' });
  });

  test('when the invoice form is built, then its recipients are editable and its email link is read-only (the connector writes it)', () => {
    const dispatch = sections('eol_salesinvoice').find((s) => s.name === 'dispatch')!;
    expect(dispatch.disabled).toMatchObject({ eol_recipients: 'false', eol_emailid: 'true' });
    expect(dispatch.dutch).toMatchObject({ eol_recipients: 'Ontvangers', eol_emailid: 'E-mail' });
  });

  test('when the views are built, then "Waiting for review" lists the invoices in status 8 and "Needs action" does not', () => {
    const view = (key: string) => c.views.find((v) => v.key === key)!;
    expect(view('review').fetchxml).toContain(
      '<condition attribute="eol_dispatchstatus" operator="in"><value>8</value></condition>',
    );
    expect(view('needsaction').fetchxml).not.toContain('<value>8</value>');
  });
});
