import type { ExactAccount } from '../../../src/app/masterData/ports';
import type { RelationFields } from '../../../src/app/masterData/records';
import { writeBackFields } from '../../../src/app/masterData/writeBack';

const row = (o: Partial<RelationFields> = {}): RelationFields => ({
  administrationId: 'a',
  exactAccountId: 'x',
  name: 'Jansen',
  state: 'active',
  accountId: null,
  invoiceAccountId: null,
  kvk: null,
  vatNumber: null,
  oin: null,
  language: null,
  invoiceMethod: 2,
  invoiceEmail: 'a@jansen.nl',
  peppolId: null,
  exactInvoiceMethod: 2,
  exactInvoiceEmail: 'a@jansen.nl',
  exactPeppolId: null,
  conflict: null,
  layoutId: null,
  emailLayoutId: null,
  legacyLayout: null,
  legacyEmailLayout: null,
  ...o,
});
const account = (o: Partial<ExactAccount> = {}): ExactAccount => ({
  id: 'x',
  name: 'Jansen',
  customer: true,
  blocked: false,
  email: 'a@jansen.nl',
  invoicingMethod: 2,
  peppolId: null,
  kvk: null,
  vatNumber: null,
  oin: null,
  language: null,
  invoiceAccount: null,
  mainContact: null,
  modified: '2026-12-01T09:00:00Z',
  ...o,
});

describe('write-back of Dynamics edits (decision 0076)', () => {
  test('when nothing was edited and Exact did not change, then nothing is written anywhere', () => {
    expect(writeBackFields(row(), undefined)).toEqual({ fields: {}, edit: {}, conflicts: [] });
  });

  test('when Dynamics holds two addresses, then only the first is written to Exact, and once written the list is no edit', () => {
    const out = writeBackFields(row({ invoiceEmail: 'b@jansen.nl; c@jansen.nl' }), undefined);
    expect(out.edit).toEqual({ email: 'b@jansen.nl' });
    const after = row({ invoiceEmail: 'b@jansen.nl; c@jansen.nl', ...out.fields });
    expect(writeBackFields(after, undefined).edit).toEqual({});
  });

  test("when Exact's own field holds a list and Dynamics shows that list, then it is no edit: Exact's value is not rewritten to its first address", () => {
    const list = 'info@@tikfout.nl; administratie@tikfout.nl';
    const mirrored = row({ invoiceEmail: list, exactInvoiceEmail: list });
    expect(writeBackFields(mirrored, undefined)).toEqual({ fields: {}, edit: {}, conflicts: [] });
    expect(writeBackFields(mirrored, account({ email: list })).edit).toEqual({});
    // Changing the list in Dynamics is an edit: its first address is written.
    expect(writeBackFields({ ...mirrored, invoiceEmail: 'info@tikfout.nl' }, undefined).edit).toEqual({
      email: 'info@tikfout.nl',
    });
  });

  test("when the method is the connector's automatic (0) or empty, then it is never written to Exact and automatic is not overwritten", () => {
    expect(writeBackFields(row({ invoiceMethod: 0 }), account({ invoicingMethod: 4 }))).toMatchObject({
      edit: {},
      fields: { exactInvoiceMethod: 4 },
    });
    expect(
      writeBackFields(row({ invoiceMethod: 0 }), account({ invoicingMethod: 4 })).fields,
    ).not.toHaveProperty('invoiceMethod');
    expect(writeBackFields(row({ invoiceMethod: null }), undefined).edit).toEqual({});
  });

  test('when Exact has a method Dynamics cannot show (8, send and track), then Dynamics shows none and the base keeps 8', () => {
    expect(writeBackFields(row(), account({ invoicingMethod: 8 })).fields).toMatchObject({
      invoiceMethod: null,
      exactInvoiceMethod: 8,
    });
  });

  test('when Dynamics and Exact made the same change, then no PUT and the base follows Exact', () => {
    const out = writeBackFields(row({ peppolId: '0106:1' }), account({ peppolId: '0106:1' }));
    expect(out).toEqual({
      fields: expect.objectContaining({ exactPeppolId: '0106:1' }),
      edit: {},
      conflicts: [],
    });
  });

  test('when Exact changed another field than Dynamics did, then the Dynamics edit is written and the other field mirrored', () => {
    const out = writeBackFields(row({ invoiceEmail: 'new@jansen.nl' }), account({ invoicingMethod: 1 }));
    expect(out.edit).toEqual({ email: 'new@jansen.nl' });
    expect(out.fields).toMatchObject({
      invoiceMethod: 1,
      exactInvoiceMethod: 1,
      exactInvoiceEmail: 'new@jansen.nl',
    });
    expect(out.conflicts).toEqual([]);
  });
});
