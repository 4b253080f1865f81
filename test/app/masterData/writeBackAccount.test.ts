import { ExactServerError, ExactValidationError } from '../../../src/adapters/exact/errors';
import type { AccountEdit, ExactAccount } from '../../../src/app/masterData/ports';
import { writeBackAccount, type WriteBackRow } from '../../../src/app/masterData/writeBackAccount';

/**
 * Decision 0131: the one place a Dynamics edit is written to Exact (the sync, a write outside a sync and the
 * pre-print step share it). Exact is a recording stub whose PUT can be made to fail.
 */
const row = (o: Partial<WriteBackRow> = {}): WriteBackRow => ({
  invoiceMethod: 2,
  invoiceEmail: 'a@jansen.nl',
  peppolId: null,
  exactInvoiceMethod: 2,
  exactInvoiceEmail: 'a@jansen.nl',
  exactPeppolId: null,
  conflict: null,
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

function exact(fail?: Error) {
  const puts: AccountEdit[] = [];
  return {
    puts,
    updateAccount: async (_division: number, _id: string, edit: AccountEdit) => {
      puts.push(edit);
      if (fail) throw fail;
    },
  };
}
const target = { division: 1, accountId: 'x' };
const offer = { offerRefused: true };
const hold = { offerRefused: false };

describe('writing a Dynamics edit to Exact’s account (one rule)', () => {
  test('when an edit is written, then Exact gets only that field, the base and the account follow, and an earlier explanation is cleared', async () => {
    const x = exact();
    const w = await writeBackAccount(
      x,
      target,
      row({ invoiceEmail: 'b@jansen.nl', conflict: 'an old text' }),
      account(),
      hold,
    );
    expect(x.puts).toEqual([{ email: 'b@jansen.nl' }]);
    expect(w).toMatchObject({ put: 'written', exactCalls: 1, conflicted: false });
    expect(w.fields).toMatchObject({ exactInvoiceEmail: 'b@jansen.nl', conflict: null });
    expect(w.account?.email).toBe('b@jansen.nl');
  });

  test('when Exact refuses the edit, then the base stays, the row names the values and the reason, and a field Exact changed is still mirrored', async () => {
    const x = exact(new ExactValidationError('E-mail: invalid domain.', 400));
    const w = await writeBackAccount(
      x,
      target,
      row({ invoiceEmail: 'b@bad.example' }),
      account({ invoicingMethod: 1 }),
      hold,
    );
    expect(w.put).toBe('refused');
    expect(w.fields.exactInvoiceEmail).toBeUndefined();
    expect(w.fields).toMatchObject({ invoiceMethod: 1, exactInvoiceMethod: 1 });
    expect(w.fields.conflict).toBe(
      'Not written to Exact: Exact Online refused {"email":"b@bad.example"} (E-mail: invalid domain.).',
    );
    expect(w.account?.email).toBe('a@jansen.nl');
  });

  test('when the row already names the same refused values, then outside the sync they are not offered again, and the sync offers them once more', async () => {
    const refused =
      'Not written to Exact: Exact Online refused {"email":"b@bad.example"} (E-mail: invalid domain.).';
    const standing = row({ invoiceEmail: 'b@bad.example', conflict: refused });
    const x = exact(new ExactValidationError('E-mail: invalid domain.', 400));
    expect(await writeBackAccount(x, target, standing, account(), hold)).toMatchObject({
      put: 'held',
      exactCalls: 0,
    });
    expect(x.puts).toEqual([]);
    const again = await writeBackAccount(x, target, standing, account(), offer);
    expect(again).toMatchObject({ put: 'refused', exactCalls: 1, fields: { conflict: refused } });
    // A new Dynamics value is offered even outside the sync.
    await writeBackAccount(x, target, { ...standing, invoiceEmail: 'c@jansen.nl' }, account(), hold);
    expect(x.puts).toEqual([{ email: 'b@bad.example' }, { email: 'c@jansen.nl' }]);
  });

  test('when the PUT fails transiently, then nothing changes for the edited field and the error is handed back to retry', async () => {
    const fault = new ExactServerError('Service unavailable', 503);
    const w = await writeBackAccount(
      exact(fault),
      target,
      row({ peppolId: '0106:1', conflict: 'kept' }),
      undefined,
      offer,
    );
    expect(w).toMatchObject({ put: 'failed', error: fault, exactCalls: 1 });
    expect(w.fields).toEqual({});
  });

  test('when Exact changed the edited field too, then nothing is PUT and the row names both values with Exact’s Modified', async () => {
    const x = exact();
    const w = await writeBackAccount(
      x,
      target,
      row({ invoiceEmail: 'dyn@jansen.nl' }),
      account({ email: 'exact@jansen.nl', modified: '2026-12-01T10:00:00Z' }),
      offer,
    );
    expect(x.puts).toEqual([]);
    expect(w).toMatchObject({ put: 'none', conflicted: true });
    expect(w.fields.conflict).toContain(
      "Invoice email: 'dyn@jansen.nl' in Dynamics, 'exact@jansen.nl' in Exact",
    );
    expect(w.fields.conflict).toContain('(Exact modified 2026-12-01T10:00:00Z)');
  });

  test('when nothing is edited and Exact was not read, then nothing is called and nothing is to be written', async () => {
    const x = exact();
    expect(await writeBackAccount(x, target, row({ conflict: 'a note' }), undefined, offer)).toMatchObject({
      put: 'none',
      fields: {},
      exactCalls: 0,
    });
    expect(x.puts).toEqual([]);
  });
});
