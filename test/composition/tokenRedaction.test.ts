/** The composition root registers Exact tokens with the logger's redaction, as src/composition/log.ts promises. */
import { createLogger, redact, registerRotatingSecret } from '../../src/composition/log';
import { useLocalStack } from '../support/localStack';

const env = useLocalStack();

describe('Exact tokens and the logs', () => {
  test('when the local stack has connected the demo tenant, then its access and refresh token are redacted from any log line', () => {
    // issuedSecrets: the client secret, then the one consent's code, access token and refresh token.
    const [, code, access, refresh] = env.stack.exact.issuedSecrets();
    expect([code, access, refresh].every((s) => typeof s === 'string' && s.length >= 20)).toBe(true);
    const lines: string[] = [];
    createLogger((_level, line) => lines.push(line)).error(`refresh failed for ${access!} with ${refresh!}`);
    expect(lines).toEqual(['refresh failed for [redacted] with [redacted]']);
    expect(redact(access!)).toBe('[redacted]');
  });

  test('when more tokens rotated than are kept, then the newest stay redacted and the oldest are let go', () => {
    const tokens = Array.from(
      { length: 600 },
      (_, i) => `rotated-token-${String(i).padStart(4, '0')}-xxxxxxxx`,
    );
    tokens.forEach(registerRotatingSecret);
    expect(redact(tokens[599]!)).toBe('[redacted]');
    expect(redact(tokens[100]!)).toBe('[redacted]');
    expect(redact(tokens[0]!)).toBe(tokens[0]);
  });
});
