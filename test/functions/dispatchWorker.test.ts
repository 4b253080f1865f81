/**
 * The dispatch worker as the Functions host calls it with `cardinality: 'many'` (decision 0100): an array of
 * one session's messages, per-message ids and delivery counts in the trigger metadata arrays.
 */
import { InvocationContext } from '@azure/functions';
import { dispatchWorker } from '../../functions/dispatchWorker';
import { useLocalStack } from '../support/localStack';
import { ADMIN_A, printsOf, rowsOf } from '../component/helpers';

const env = useLocalStack();

function invoke(messages: unknown[], ids: string[], counts: number[]) {
  return dispatchWorker(
    messages,
    new InvocationContext({
      functionName: 'dispatchWorker',
      triggerMetadata: { messageIdArray: ids, deliveryCountArray: counts },
      logHandler: () => undefined,
    }),
  );
}

const statusReads = () =>
  env.stack.exact
    .requests()
    .filter((r) => r.method === 'GET' && /\/salesinvoice\/SalesInvoices/i.test(r.path)).length;

describe('dispatchWorker, several messages in one invocation', () => {
  test('when two event messages of one administration come together, then one status call confirms both, both are printed and the invocation completes', async () => {
    const s0 = statusReads();
    await expect(
      invoke([rowsOf(['I1'], { admin: ADMIN_A }), rowsOf(['I2'], { admin: ADMIN_A })], ['m1', 'm2'], [1, 1]),
    ).resolves.toBeUndefined();
    expect(statusReads() - s0).toBe(1);
    expect(printsOf(env.stack, 'I1')).toHaveLength(1);
    expect(printsOf(env.stack, 'I2')).toHaveLength(1);
  });

  test('when one message of the invocation is malformed, then the others are still dispatched and the invocation throws, so the host abandons it', async () => {
    await expect(
      invoke([rowsOf(['I3'], { admin: ADMIN_A }), { kind: 'rows' }], ['m3', 'm4'], [1, 1]),
    ).rejects.toThrow(/malformed dispatch request/);
    expect(printsOf(env.stack, 'I3')).toHaveLength(1);
    // Redelivered as the host would: the dispatched invoice is found settled, not printed again.
    await expect(invoke([rowsOf(['I3'], { admin: ADMIN_A })], ['m3'], [2])).resolves.toBeUndefined();
    expect(printsOf(env.stack, 'I3')).toHaveLength(1);
  });
});
