import { parseDispatchRequest } from '../../../src/adapters/queue/dispatchMessage';

const base = {
  tenantId: 'demo',
  rowId: 'cccccccc-0000-4000-8000-000000000001',
  exactInvoiceId: null,
  division: 100001,
  administrationId: 'aaaaaaaa-0000-4000-8000-000000000001',
  trigger: 'webhook',
  requestedAt: '2026-11-22T10:00:00.000Z',
};

describe('dispatch message at the worker\'s edge', () => {
  test('when a request arrives as an object or as JSON text, then it parses to the same request', () => {
    expect(parseDispatchRequest(base)).toEqual({ ok: true, request: base });
    expect(parseDispatchRequest(JSON.stringify(base))).toEqual({ ok: true, request: base });
    expect(parseDispatchRequest(Buffer.from(JSON.stringify(base)))).toEqual({ ok: true, request: base });
  });

  test('when a sweep request names its administration, then it parses; without one, then it is refused by name', () => {
    const sweep = { ...base, rowId: null, trigger: 'sweep', sweep: 'full' };
    expect(parseDispatchRequest(sweep)).toEqual({ ok: true, request: sweep });
    const refused = parseDispatchRequest({ ...sweep, administrationId: null });
    expect(refused).toEqual({ ok: false, error: expect.stringContaining('administrationId: custom') });
    expect(parseDispatchRequest({ ...sweep, sweep: 'hourly' })).toEqual({ ok: false, error: expect.stringContaining('sweep: invalid_value') });
  });

  test('when the body is not JSON or misses fields, then the error names the paths, never the values', () => {
    expect(parseDispatchRequest('{not json')).toEqual({ ok: false, error: 'dispatch message body is not JSON' });
    const missing = parseDispatchRequest({ ...base, tenantId: undefined, trigger: 'Kees Jansen BV' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error).toMatch(/tenantId/);
      expect(missing.error).toMatch(/trigger/);
      expect(missing.error).not.toContain('Kees Jansen');
    }
  });
});
