import { parseDispatchRequest } from '../../../src/adapters/queue/dispatchMessage';

const rows = {
  kind: 'rows',
  tenantId: 'demo',
  rowIds: ['cccccccc-0000-4000-8000-000000000001'],
  division: 100001,
  administrationId: 'aaaaaaaa-0000-4000-8000-000000000001',
  trigger: 'webhook',
  requestedAt: '2026-11-22T10:00:00.000Z',
};
const sweep = {
  kind: 'sweep',
  tenantId: 'demo',
  administrationId: 'aaaaaaaa-0000-4000-8000-000000000001',
  division: 100001,
  sweep: 'full',
  requestedAt: '2026-11-22T10:00:00.000Z',
};

describe("dispatch message at the worker's edge", () => {
  test('when a request arrives as an object or as JSON text, then it parses to the same request', () => {
    expect(parseDispatchRequest(rows)).toEqual({ ok: true, request: rows });
    expect(parseDispatchRequest(JSON.stringify(rows))).toEqual({ ok: true, request: rows });
    expect(parseDispatchRequest(Buffer.from(JSON.stringify(rows)))).toEqual({ ok: true, request: rows });
  });

  test('when a sweep request names its administration, then it parses; without one, then it is refused by name', () => {
    expect(parseDispatchRequest(sweep)).toEqual({ ok: true, request: sweep });
    expect(parseDispatchRequest({ ...sweep, administrationId: null })).toEqual({
      ok: false,
      error: expect.stringContaining('administrationId: invalid_type'),
    });
    expect(parseDispatchRequest({ ...sweep, sweep: 'hourly' })).toEqual({
      ok: false,
      error: expect.stringContaining('sweep: invalid_value'),
    });
  });

  test('when a rows request carries no row, then it is refused by name', () => {
    expect(parseDispatchRequest({ ...rows, rowIds: [] })).toEqual({
      ok: false,
      error: expect.stringContaining('rowIds: too_small'),
    });
  });

  test('when a message of the shape written before requests had a kind arrives, then it is read as rows or as a sweep', () => {
    const legacy = {
      tenantId: 'demo',
      rowId: 'r-1',
      rowIds: ['r-2', 'r-1'],
      exactInvoiceId: null,
      division: 100001,
      administrationId: 'a-1',
      trigger: 'sweep',
      requestedAt: rows.requestedAt,
    };
    expect(parseDispatchRequest(legacy)).toEqual({
      ok: true,
      request: {
        kind: 'rows',
        tenantId: 'demo',
        rowIds: ['r-1', 'r-2'],
        division: 100001,
        administrationId: 'a-1',
        trigger: 'sweep',
        requestedAt: rows.requestedAt,
      },
    });
    const legacySweep = { ...legacy, rowId: null, rowIds: undefined, sweep: 'quarter' };
    expect(parseDispatchRequest(legacySweep)).toEqual({
      ok: true,
      request: {
        kind: 'sweep',
        tenantId: 'demo',
        administrationId: 'a-1',
        division: 100001,
        sweep: 'quarter',
        requestedAt: rows.requestedAt,
      },
    });
    expect(parseDispatchRequest({ ...legacy, rowId: null, rowIds: [] })).toEqual({
      ok: false,
      error: expect.stringContaining('rowId: custom'),
    });
    expect(parseDispatchRequest({ ...legacySweep, administrationId: null })).toEqual({
      ok: false,
      error: expect.stringContaining('administrationId: custom'),
    });
  });

  test('when the body is not JSON or misses fields, then the error names the paths, never the values', () => {
    expect(parseDispatchRequest('{not json')).toEqual({
      ok: false,
      error: 'dispatch message body is not JSON',
    });
    const missing = parseDispatchRequest({ ...rows, tenantId: undefined, trigger: 'Kees Jansen BV' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error).toMatch(/tenantId/);
      expect(missing.error).toMatch(/trigger/);
      expect(missing.error).not.toContain('Kees Jansen');
    }
  });
});
