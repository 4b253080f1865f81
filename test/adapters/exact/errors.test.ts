import fc from 'fast-check';
import {
  ExactAuthError,
  ExactConnectionLostError,
  ExactDailyBudgetError,
  ExactNotFoundError,
  ExactRateLimitError,
  ExactServerError,
  ExactTimeoutError,
  ExactValidationError,
  backoffMs,
  mapExactError,
  shouldRetry,
} from '../../../src/adapters/exact/errors';

const body = (value: string) => ({ error: { code: '', message: { lang: '', value } } });
const NOW = 1_700_000_000_000;

describe('mapExactError', () => {
  test.each([
    [400, body('Please add a $select or a $top=1 statement to the query string.'), ExactValidationError, false],
    [401, body('Unauthorized'), ExactAuthError, true],
    [403, body('Forbidden - User division is not within division scope'), ExactAuthError, false],
    [404, body('Not found'), ExactNotFoundError, false],
    [409, body('Conflict'), ExactValidationError, false],
    [500, {}, ExactServerError, true],
    [502, 'Bad gateway', ExactServerError, true],
    [503, body('Service unavailable.'), ExactServerError, true],
  ])('when Exact answers %i, then the error is the right class and transient is as listed', (status, b, cls, transient) => {
    const err = mapExactError(status, b, {});
    expect(err).toBeInstanceOf(cls);
    expect(err.transient).toBe(transient);
  });

  test("when a 400 carries error.message.value and a Reason header, then both are in the message", () => {
    const err = mapExactError(403, body('Forbidden'), { Reason: 'NoDivisionAccess' });
    expect(err.message).toContain('Forbidden');
    expect(err.message).toContain('NoDivisionAccess');
  });

  test('when a 429 carries the minutely reset, then retryAfterMs counts down to it', () => {
    const err = mapExactError(
      429,
      body('API rate limit exceeded.'),
      { 'X-RateLimit-Minutely-Remaining': '0', 'X-RateLimit-Minutely-Reset': String(NOW + 42_000) },
      undefined,
      { now: NOW },
    );
    expect(err).toBeInstanceOf(ExactRateLimitError);
    expect(err.transient).toBe(true);
    expect(err.retryAfterMs).toBe(42_000);
  });

  test('when a daily 429 carries only the daily reset, then retryAfterMs counts down to it', () => {
    const err = mapExactError(429, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW + 3_600_000) }, undefined, { now: NOW });
    expect(err.retryAfterMs).toBe(3_600_000);
  });

  test('when a 500 with a message repeats on a write, then the first ones are transient and the third is validation', () => {
    const text = body('Ongeldig: Factuur voor (Type)');
    const first = mapExactError(500, text, {}, undefined, { attempt: 1, method: 'POST' });
    const second = mapExactError(500, text, {}, undefined, { attempt: 2, method: 'POST' });
    const third = mapExactError(500, text, {}, undefined, { attempt: 3, method: 'POST' });
    expect(first).toBeInstanceOf(ExactServerError);
    expect((first as ExactServerError).suspectedValidation).toBe(true);
    expect(second.transient).toBe(true);
    expect(third).toBeInstanceOf(ExactValidationError);
    expect(third.transient).toBe(false);
    expect(third.message).toContain('Ongeldig: Factuur voor (Type)');
  });

  test('when a 500 with a message repeats on a read, then it stays a transient server error', () => {
    const err = mapExactError(500, body('Internal server error'), {}, undefined, { attempt: 5, method: 'GET' });
    expect(err).toBeInstanceOf(ExactServerError);
    expect(err.transient).toBe(true);
  });

  test.each([
    [401, { error: 'unauthorized_client', error_description: 'Old refresh token used.' }],
    [400, { error: 'invalid_request', error_description: 'The refresh token expired at 2025-01-01T00:00:00Z' }],
    [400, { error: 'invalid_grant' }],
  ])('when the token endpoint refuses with %i, then the connection is lost (permanent, exact_connection_lost)', (status, b) => {
    const err = mapExactError(status, b, {}, undefined, { tokenEndpoint: true });
    expect(err).toBeInstanceOf(ExactConnectionLostError);
    expect(err.transient).toBe(false);
    expect(err.reason).toBe('exact_connection_lost');
  });

  test('when the token endpoint says the access token has not expired, then the connection is not lost', () => {
    const err = mapExactError(401, { error: 'invalid_request', error_description: 'Access Token not expired' }, {}, undefined, { tokenEndpoint: true });
    expect(err).toBeInstanceOf(ExactAuthError);
    expect(err.transient).toBe(true);
  });

  test('when the token endpoint refuses with only the header Reason: TooEarlyToRefreshTokens, then it is too early, not a lost connection', () => {
    const err = mapExactError(400, { error: 'access_denied', error_description: 'Rate limit exceeded' }, { reason: 'TooEarlyToRefreshTokens' }, undefined, { tokenEndpoint: true });
    expect(err).toBeInstanceOf(ExactAuthError);
    expect(err.reason).not.toBe('exact_connection_lost');
    expect(err.retryAfterMs).toBe(30_000);
  });

  test.each([
    ['POST', 'ETIMEDOUT', true],
    ['POST', 'ECONNRESET', true],
    ['POST', 'ECONNABORTED', true],
    ['POST', 'ECONNREFUSED', false],
    ['GET', 'ECONNRESET', false],
  ])('when a %s gets no answer (%s), then answerLost is %s', (method, code, lost) => {
    const err = mapExactError(null, null, {}, { code }, { method });
    expect(err).toBeInstanceOf(ExactTimeoutError);
    expect(err.transient).toBe(true);
    expect(err.answerLost).toBe(lost);
  });
});

describe('shouldRetry', () => {
  const lost = mapExactError(null, null, {}, { code: 'ECONNRESET' }, { method: 'POST' });
  test.each([
    { name: 'a GET 503', err: new ExactServerError('x', 503), method: 'GET', attempt: 1, expected: true },
    { name: 'a GET 503 on the last attempt', err: new ExactServerError('x', 503), method: 'GET', attempt: 4, expected: false },
    { name: 'a GET 400', err: new ExactValidationError('x', 400), method: 'GET', attempt: 1, expected: false },
    { name: 'a GET 401 (refresh is handled apart)', err: new ExactAuthError('x', 401, true), method: 'GET', attempt: 1, expected: false },
    { name: 'a POST 503', err: new ExactServerError('x', 503), method: 'POST', attempt: 1, expected: false },
    { name: 'a POST whose answer was lost', err: lost, method: 'POST', attempt: 1, expected: false },
    { name: 'a POST 429 (refused, so not carried out)', err: new ExactRateLimitError('x', 1000), method: 'POST', attempt: 1, expected: true },
    { name: 'a daily budget stop', err: new ExactDailyBudgetError(new Date(NOW + 1000), new Date(NOW)), method: 'GET', attempt: 1, expected: false },
    { name: 'a plain Error', err: new Error('x'), method: 'GET', attempt: 1, expected: false },
  ])('when $name fails, then retry is $expected', ({ err, method, attempt, expected }) => {
    expect(shouldRetry(err, method, attempt, 4)).toBe(expected);
  });
});

describe('backoffMs', () => {
  test('when attempts grow, then the delay doubles up to the cap, with the floor and jitter bounds kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const ms = backoffMs(attempt, { baseMs: 500, capMs: 30_000, floorMs: 250, random: () => r });
        const exp = Math.min(30_000, 500 * 2 ** (attempt - 1));
        return ms >= Math.max(250, exp / 2) - 1 && ms <= Math.max(250, exp);
      }),
    );
  });

  test('when jitter is zero or maximal, then the bounds are met exactly', () => {
    expect(backoffMs(1, { random: () => 0 })).toBe(250);
    expect(backoffMs(3, { random: () => 0 })).toBe(1000);
    expect(backoffMs(3, { random: () => 0.999999 })).toBe(2000);
    expect(backoffMs(30, { random: () => 0.999999 })).toBe(30_000);
  });
});
