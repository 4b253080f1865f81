import { createTableClient, TableStoreError, toTableStoreError } from '../../../src/adapters/store/tables';

describe('table helpers', () => {
  test.each([
    ['a network error without status', undefined],
    ['408', 408],
    ['429', 429],
    ['503', 503],
    ['403', 403],
    ['400', 400],
  ])(
    'when Table Storage fails with %s, then the ledger is unavailable and the dispatch is retried (PRODUCT.md §15)',
    (_n, status) => {
      const err = toTableStoreError(Object.assign(new Error('boom'), { statusCode: status }), 'read entry');
      expect(err).toBeInstanceOf(TableStoreError);
      expect(err.reason).toBe('ledger_unavailable');
      expect(err.transient).toBe(true);
      expect(err.status).toBe(status);
    },
  );

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
