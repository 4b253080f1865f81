import { IntegrationError } from '../../src/app/errors';
import { classifyDataverseError } from '../../src/adapters/dataverse/errors';
import {
  ExactConnectionLostError,
  ExactDailyBudgetError,
  mapExactError,
} from '../../src/adapters/exact/errors';
import { QueueError } from '../../src/adapters/queue/serviceBusQueue';
import { toTableStoreError } from '../../src/adapters/store/tables';
import { explain } from '../../src/domain';

/** Each adapter's error classes name their own reason (PRODUCT.md §15): a Dataverse fault is never "Exact rejected". */
const dataverse = (status: number | undefined, operation = 'write dispatch status') =>
  classifyDataverseError(
    operation,
    Object.assign(new Error('The length of the eol_dispatchreason attribute exceeded the maximum.'), {
      status,
      code: '0x80044331',
    }),
    [],
  );
const table = (status: number | undefined) =>
  toTableStoreError(Object.assign(new Error('boom'), { statusCode: status }), 'update ledger entry');

describe('every adapter error names its own reason', () => {
  test('when a new error class names no reason, then it does not compile (the base class has no default)', () => {
    // @ts-expect-error — Non-abstract class 'Unnamed' does not implement inherited abstract member reason.
    class Unnamed extends IntegrationError {
      readonly transient = false;
    }
    class Named extends IntegrationError {
      readonly transient = false;
      readonly reason = 'ledger_unavailable' as const;
    }
    expect(new Unnamed('x').reason).toBeUndefined();
    expect(new Named('x').reason).toBe('ledger_unavailable');
  });

  test.each<[string, () => IntegrationError, string, boolean]>([
    ['Dataverse 400 (validation)', () => dataverse(400), 'dataverse_rejected', false],
    ['Dataverse 412 (concurrency)', () => dataverse(412), 'dataverse_rejected', false],
    ['Dataverse 404 (row gone)', () => dataverse(404), 'dataverse_rejected', false],
    ['Dataverse 403 (access refused)', () => dataverse(403), 'dataverse_rejected', false],
    ['Dataverse 429 (throttled)', () => dataverse(429), 'dataverse_rejected', true],
    ['Dataverse 503', () => dataverse(503), 'dataverse_rejected', true],
    ['Dataverse without answer', () => dataverse(undefined), 'dataverse_rejected', true],
    ['Table Storage 503', () => table(503), 'ledger_unavailable', true],
    ['Table Storage without answer', () => table(undefined), 'ledger_unavailable', true],
    ['Table Storage 403', () => table(403), 'ledger_unavailable', true],
    [
      'Exact 400',
      () => mapExactError(400, { error: { message: { value: 'Layout unknown' } } }, {}),
      'exact_rejected',
      false,
    ],
    ['Exact 404', () => mapExactError(404, null, {}), 'exact_rejected', false],
    ['Exact 503', () => mapExactError(503, null, {}), 'exact_rejected', true],
    [
      'Exact refresh token refused',
      () => new ExactConnectionLostError('refused'),
      'exact_connection_lost',
      false,
    ],
    [
      'Exact daily budget',
      () => new ExactDailyBudgetError(new Date(1000), new Date(0)),
      'daily_budget_exhausted',
      true,
    ],
    [
      'Service Bus refusing a send',
      () => new QueueError('service bus: send message failed (Unauthorized)', false),
      'delivery_gave_up',
      false,
    ],
  ])('when %s fails, then the reason is %s (transient %s)', (_what, make, reason, transient) => {
    const err = make();
    expect(err.reason).toBe(reason);
    expect(err.transient).toBe(transient);
  });

  test('when Dataverse refuses a write permanently, then the error is dataverse_rejected, not transient, and its message names the write', () => {
    const err = dataverse(400);
    expect({ reason: err.reason, transient: err.transient, message: err.message }).toEqual({
      reason: 'dataverse_rejected',
      transient: false,
      message:
        'Dataverse write dispatch status failed (400 0x80044331): The length of the eol_dispatchreason attribute exceeded the maximum.',
    });
  });

  test('when a Dataverse fault decides an invoice, then the user reads that Dynamics 365 refused the named write, in Dutch and English, not "Exact rejected"', () => {
    const err = dataverse(400, 'create invoice rows');
    const facts = { invoice: '26001', detail: err.message };
    expect(explain(err.reason, facts, 'en')).toBe(
      'Failed: Dynamics 365 refused a change AutoInvoice needs to dispatch invoice 26001 (Dataverse create invoice rows failed (400 0x80044331): The length of the eol_dispatchreason attribute exceeded the maximum.). Fix the cause, then set "Resend" on the invoice.',
    );
    expect(explain(err.reason, facts, 'nl')).toMatch(
      /^Mislukt: Dynamics 365 weigerde een wijziging die AutoInvoice nodig heeft om factuur 26001 te verzenden \(Dataverse create invoice rows failed/,
    );
    expect(explain(err.reason, facts, 'en')).not.toMatch(/Exact Online refused/);
  });

  test('when the ledger cannot be reached, then the message says the invoice waits and is retried, in Dutch and English', () => {
    const err = table(503);
    const facts = { invoice: '26001', detail: err.message };
    expect(explain(err.reason, facts, 'en')).toBe(
      'Waiting: the AutoInvoice dispatch ledger cannot be reached (table storage: update ledger entry failed (HTTP 503)); invoice 26001 is tried again automatically.',
    );
    expect(explain(err.reason, facts, 'nl')).toBe(
      'Wacht: het verzendlogboek van AutoInvoice is niet bereikbaar (table storage: update ledger entry failed (HTTP 503)); factuur 26001 wordt automatisch opnieuw geprobeerd.',
    );
  });
});
