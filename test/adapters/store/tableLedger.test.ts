import { LedgerConflictError, type LedgerEntry, type LedgerKey } from '../../../src/app/ports';
import { createTableClient } from '../../../src/adapters/store/tables';
import { createTableLedger, TableLedger } from '../../../src/adapters/store/tableLedger';
import { HISTORY_LIMIT } from '../../../src/adapters/store/ledgerEntity';
import { useAzurite } from '../../support/azurite';

const azurite = useAzurite();
let tableSeq = 0;

function freshLedger(now = () => new Date('2025-03-01T10:00:00.000Z')): TableLedger {
  // A table per test keeps tests independent without restarting Azurite.
  tableSeq += 1;
  return createTableLedger(azurite.connectionString, { table: `ledger${tableSeq}`, clock: { now } });
}

const key = (invoiceId = 'A1B2C3D4-0000-0000-0000-000000000001', division = 123456): LedgerKey => ({
  tenantId: 'tenant-1',
  division,
  invoiceId,
});

describe('TableLedger', () => {
  test('when ensure runs twice for the same invoice, then one row exists and the second call returns it', async () => {
    const ledger = freshLedger();
    const first = await ledger.ensure(key(), 'row-1');
    const second = await ledger.ensure(key(), 'row-other');

    expect(second.etag).toBe(first.etag);
    expect(second.rowId).toBe('row-1');
    expect(second.state).toBe('waiting');
    const rows = await ledger.list('tenant-1', 123456, ['waiting', 'sending']);
    expect(rows).toHaveLength(1);
  });

  test('when ensure races itself, then both callers get the same stored row', async () => {
    const ledger = freshLedger();
    const [a, b] = await Promise.all([ledger.ensure(key(), 'row-a'), ledger.ensure(key(), 'row-b')]);
    expect(a.rowId).toBe(b.rowId);
    expect(a.etag).toBe(b.etag);
    expect(await ledger.list('tenant-1', 123456, ['waiting'])).toHaveLength(1);
  });

  test('when the invoice id is upper case, then it is stored and found lower case', async () => {
    const ledger = freshLedger();
    await ledger.ensure(key('ABCDEF00-1111-2222-3333-444444444444'), null);
    const found = await ledger.get(key('abcdef00-1111-2222-3333-444444444444'));
    expect(found?.key.invoiceId).toBe('abcdef00-1111-2222-3333-444444444444');
  });

  test('when an entry does not exist, then get returns null', async () => {
    expect(await freshLedger().get(key())).toBeNull();
  });

  test('when two updates start from the same read, then exactly one wins and the other gets LedgerConflictError', async () => {
    const ledger = freshLedger();
    const read = await ledger.ensure(key(), null);
    const results = await Promise.allSettled([
      ledger.update(read, { state: 'sending', leaseUntil: new Date('2025-03-01T10:05:00Z') }),
      ledger.update(read, { state: 'ignored', reason: 'invoice_not_open' }),
    ]);

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(LedgerConflictError);
    const stored = await ledger.get(key());
    expect(stored?.state).toBe((won[0] as PromiseFulfilledResult<LedgerEntry>).value.state);
  });

  test('when an update uses the etag it returned, then a following update succeeds', async () => {
    const ledger = freshLedger();
    const a = await ledger.ensure(key(), null);
    const b = await ledger.update(a, { state: 'sending' });
    const c = await ledger.update(b, { state: 'sent', sentOn: new Date('2025-03-01T10:01:00Z') });
    expect(c.state).toBe('sent');
    await expect(ledger.update(a, { state: 'failed' })).rejects.toBeInstanceOf(LedgerConflictError);
  });

  test('when every field is set, then get returns every field as written', async () => {
    let now = new Date('2025-03-01T10:00:00.000Z');
    const ledger = freshLedger(() => now);
    const created = await ledger.ensure(key(), 'row-9');
    now = new Date('2025-03-01T10:00:01.234Z');
    const updated = await ledger.update(created, {
      state: 'scheduled',
      leaseUntil: new Date('2025-03-01T10:05:00.123Z'),
      attempts: 3,
      reason: 'scheduled',
      facts: { when: '2 maart 00:05', relation: 'Café “De Hoek”' },
      message: 'Wordt verzonden op 2 maart — “quotes” & ümlauts',
      channel: 'email',
      scheduledFor: new Date('2025-03-02T00:05:00.000Z'),
      sentOn: new Date('2025-03-01T09:59:59.999Z'),
      rowId: 'row-10',
      writebackPending: true,
      invoiceNumber: 3000000001,
      notifiedReason: 'exact_channel_error',
      mail: {
        emailId: '5a1e0c2d-1111-5222-8333-444455556666',
        copy: 1,
        prepared: true,
        handedOver: false,
        plan: { to: ['a@klant.nl'], cc: [], bcc: [], templateId: null, mailboxId: 'queue-1', review: true },
      },
      history: [
        { at: '2025-03-01T10:00:00.000Z', outcome: 'sending', reason: 'ready' },
        {
          at: '2025-03-01T10:00:01.000Z',
          outcome: 'scheduled',
          reason: 'scheduled',
          detail: 'timing onInvoiceDate',
        },
      ],
    });

    const read = await ledger.get(key());
    expect(read).toEqual(updated);
    expect(read).toEqual({
      key: { tenantId: 'tenant-1', division: 123456, invoiceId: 'a1b2c3d4-0000-0000-0000-000000000001' },
      state: 'scheduled',
      etag: updated.etag,
      leaseUntil: new Date('2025-03-01T10:05:00.123Z'),
      attempts: 3,
      reason: 'scheduled',
      facts: { when: '2 maart 00:05', relation: 'Café “De Hoek”' },
      message: 'Wordt verzonden op 2 maart — “quotes” & ümlauts',
      channel: 'email',
      scheduledFor: new Date('2025-03-02T00:05:00.000Z'),
      sentOn: new Date('2025-03-01T09:59:59.999Z'),
      rowId: 'row-10',
      writebackPending: true,
      invoiceNumber: 3000000001,
      notifiedReason: 'exact_channel_error',
      mail: {
        emailId: '5a1e0c2d-1111-5222-8333-444455556666',
        copy: 1,
        prepared: true,
        handedOver: false,
        plan: { to: ['a@klant.nl'], cc: [], bcc: [], templateId: null, mailboxId: 'queue-1', review: true },
      },
      history: [
        { at: '2025-03-01T10:00:00.000Z', outcome: 'sending', reason: 'ready' },
        {
          at: '2025-03-01T10:00:01.000Z',
          outcome: 'scheduled',
          reason: 'scheduled',
          detail: 'timing onInvoiceDate',
        },
      ],
      updatedAt: new Date('2025-03-01T10:00:01.234Z'),
    });
  });

  test('when a patch holds undefined values, then those fields keep their stored value', async () => {
    const ledger = freshLedger();
    const a = await ledger.ensure(key(), 'row-1');
    await ledger.update(a, { rowId: undefined, state: 'sending' });
    expect(await ledger.get(key())).toMatchObject({ rowId: 'row-1', state: 'sending' });
  });

  test('when fields are set back to null, then they read back as null', async () => {
    const ledger = freshLedger();
    const a = await ledger.ensure(key(), 'row-1');
    const b = await ledger.update(a, {
      leaseUntil: new Date(),
      channel: 'paper',
      reason: 'sent',
      message: 'x',
    });
    const c = await ledger.update(b, {
      invoiceNumber: 17,
      notifiedReason: 'email_missing',
      writebackPending: true,
    });
    const cleared = {
      leaseUntil: null,
      channel: null,
      reason: null,
      message: null,
      rowId: null,
      invoiceNumber: null,
      notifiedReason: null,
      writebackPending: false,
    };
    await ledger.update(c, cleared);
    const read = await ledger.get(key());
    expect(read).toMatchObject(cleared);
  });

  test('when the history grows past the limit, then only the latest attempts are kept', async () => {
    const ledger = freshLedger();
    const a = await ledger.ensure(key(), null);
    const history = Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => ({
      at: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
      outcome: 'waiting' as const,
      reason: 'ready' as const,
      detail: `attempt ${i}`,
    }));
    const b = await ledger.update(a, { history });
    const read = await ledger.get(key());
    expect(read?.history).toHaveLength(HISTORY_LIMIT);
    expect(read?.history[0]?.detail).toBe('attempt 5');
    expect(b.history).toEqual(read?.history);
  });

  test('when listing by state, then only entries of that partition in those states come back', async () => {
    const ledger = freshLedger();
    const ids = [
      '00000000-0000-0000-0000-00000000000a',
      '00000000-0000-0000-0000-00000000000b',
      '00000000-0000-0000-0000-00000000000c',
    ];
    const [a, b] = await Promise.all(ids.map((id) => ledger.ensure(key(id), null)));
    await ledger.update(a!, { state: 'sending' });
    await ledger.update(b!, { state: 'sent' });
    await ledger.ensure(key('00000000-0000-0000-0000-00000000000d', 999), null);
    await ledger.ensure({ tenantId: 'tenant-2', division: 123456, invoiceId: ids[0]! }, null);

    const sendingOrWaiting = await ledger.list('tenant-1', 123456, ['sending', 'waiting']);
    expect(sendingOrWaiting.map((e) => [e.key.invoiceId, e.state]).sort()).toEqual([
      [ids[0], 'sending'],
      [ids[2], 'waiting'],
    ]);
    expect(await ledger.list('tenant-1', 123456, ['failed'])).toEqual([]);
    expect(await ledger.list('tenant-1', 123456, [])).toEqual([]);
  });

  test('when listing with updatedSince, then only entries updated at or after that instant come back', async () => {
    let now = new Date('2025-03-01T10:00:00.000Z');
    const ledger = freshLedger(() => now);
    const old = await ledger.ensure(key('00000000-0000-0000-0000-0000000000a1'), null);
    await ledger.update(old, { state: 'sent' });
    now = new Date('2025-03-01T12:00:00.000Z');
    const recent = await ledger.ensure(key('00000000-0000-0000-0000-0000000000a2'), null);
    await ledger.update(recent, { state: 'sent' });

    const since = await ledger.list('tenant-1', 123456, ['sent'], {
      updatedSince: new Date('2025-03-01T11:00:00.000Z'),
    });
    expect(since.map((e) => e.key.invoiceId)).toEqual(['00000000-0000-0000-0000-0000000000a2']);
    expect(await ledger.list('tenant-1', 123456, ['sent'])).toHaveLength(2);
  });

  test('when a sweep is marked, then the mark reads back, never moves back, and no listing returns it', async () => {
    const ledger = freshLedger();
    expect(await ledger.sweptAt('tenant-1', 123456)).toBeNull();
    await ledger.ensure(key(), 'row-1');
    await ledger.markSwept('tenant-1', 123456, new Date('2025-03-01T10:15:00.000Z'));
    await ledger.markSwept('tenant-1', 123456, new Date('2025-03-01T10:00:00.000Z'));
    expect((await ledger.sweptAt('tenant-1', 123456))?.toISOString()).toBe('2025-03-01T10:15:00.000Z');
    expect(await ledger.sweptAt('tenant-1', 654321)).toBeNull();
    const all = await ledger.list('tenant-1', 123456, [
      'waiting',
      'scheduled',
      'sending',
      'sent',
      'ignored',
      'failed',
      'optedOut',
    ]);
    expect(all.map((e) => e.key.invoiceId)).toEqual([key().invoiceId.toLowerCase()]);
  });

  test('when a key holds a character Table Storage forbids, then the ledger refuses it before calling', async () => {
    await expect(
      freshLedger().ensure({ tenantId: 'a/b', division: 1, invoiceId: 'x' }, null),
    ).rejects.toThrow(RangeError);
  });

  test('when the table client is shared with createTableClient, then the same rows are visible', async () => {
    const ledger = new TableLedger(createTableClient(azurite.connectionString, 'sharedledger'));
    await ledger.ensure(key(), 'row-s');
    const other = createTableLedger(azurite.connectionString, { table: 'sharedledger' });
    expect((await other.get(key()))?.rowId).toBe('row-s');
  });
});
