import { createTableClient, TableStoreError, toTableStoreError } from '../../../src/adapters/store/tables';

describe('table helpers', () => {
  test.each([
    ['a network error without status', undefined, true],
    ['408', 408, true],
    ['429', 429, true],
    ['503', 503, true],
    ['403', 403, false],
    ['400', 400, false],
  ])('when Table Storage fails with %s, then transient is %s', (_n, status, transient) => {
    const err = toTableStoreError(Object.assign(new Error('boom'), { statusCode: status }), 'read entry');
    expect(err).toBeInstanceOf(TableStoreError);
    expect(err.transient).toBe(transient);
  });

  test('when an SDK error echoes a signed URL, then the wrapped message leaves it out', () => {
    const sdk = Object.assign(new Error('GET https://acct.table.core.windows.net/t?sig=SECRET failed'), {
      statusCode: 403,
    });
    const err = toTableStoreError(sdk, 'read ledger entry');
    expect(err.message).toBe('table storage: read ledger entry failed (HTTP 403)');
    expect(err.message).not.toContain('SECRET');
  });

  test('when the connection string is for Azurite over http, then the client allows http', () => {
    const cs =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;';
    const client = createTableClient(cs, 'ledger');
    expect(client.url).toBe('http://127.0.0.1:1/devstoreaccount1');
    expect(client.tableName).toBe('ledger');
  });
});
