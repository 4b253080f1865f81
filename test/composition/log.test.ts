import { createLogger, registerSecret, redact, type LogLevel } from '../../src/composition/log';

describe('redacting logger', () => {
  test('when a registered secret is interpolated into a message or its properties, then the line carries [redacted] instead', () => {
    registerSecret('tenant-client-secret-123');
    const lines: string[] = [];
    const log = createLogger((_l: LogLevel, line) => lines.push(line));
    log.error('token call failed with tenant-client-secret-123', {
      form: 'client_secret=tenant-client-secret-123',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('tenant-client-secret-123');
    expect(lines[0]).toContain('[redacted]');
  });

  test('when a bearer token or a JWS that was never registered appears, then it is redacted by shape', () => {
    const jws = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJvcmcifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    expect(redact(`Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123`)).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(redact(`licence ${jws} rejected`)).toBe('licence [redacted-jws] rejected');
  });

  test('when a message is below the minimum level, then nothing is written', () => {
    const lines: string[] = [];
    const log = createLogger((_l, line) => lines.push(line), 'warn');
    log.info('routine');
    log.debug('chatter');
    log.warn('attention');
    expect(lines).toEqual(['attention']);
  });

  test('when properties contain an Error, then its name and message are logged, not its stack or cause', () => {
    const lines: string[] = [];
    const log = createLogger((_l, line) => lines.push(line));
    const err = new Error('boom', { cause: 'hidden-cause-value' });
    log.error('failed', { err });
    expect(lines[0]).toBe('failed {"err":{"name":"Error","message":"boom"}}');
  });
});
