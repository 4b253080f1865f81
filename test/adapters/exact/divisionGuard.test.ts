/** At print time the Exact client prints only in a division the tenant's own consent granted. */
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { createExactGateway } from '../../../src/adapters/exact/exactClient';
import { ExactAuthError } from '../../../src/adapters/exact/errors';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';
import type { PrintRequest } from '../../../src/app/ports';
import { useAzurite } from '../../support/azurite';
import { DIV, EMAIL_LAYOUT, LAYOUT, invoiceId, sandboxClock, seed, tokenStoreFor } from './support';

const azurite = useAzurite();
let sb: ExactSandbox;
beforeAll(async () => {
  sb = await startExactSandbox({ seed: seed(2, [DIV, 202]) });
});
afterAll(() => sb.close());

const print = (id: string): PrintRequest => ({
  invoiceId: id,
  channel: 'email',
  documentLayout: LAYOUT,
  emailLayout: EMAIL_LAYOUT,
  extraText: null,
  senderEmail: null,
});

describe('the division guard before a print', () => {
  test('when the consent granted division 101 only, then a print in 202 is refused as permanent before any request, and a print in 101 goes out', async () => {
    const { store } = tokenStoreFor(sb, azurite.connectionString);
    const t = await sb.authorize();
    await store.save('guarded', {
      baseUrl: sb.url,
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      expiresInSec: 600,
      divisions: [DIV],
    });
    const client = createExactGateway({
      baseUrl: sb.url,
      connectionId: 'guarded',
      tokens: store,
      governor: createRateGovernor({ clock: sandboxClock(sb) }),
    });
    const before = sb.requests().length;

    const refused = client.print(202, print(invoiceId(1)));
    await expect(refused).rejects.toBeInstanceOf(ExactAuthError);
    await expect(client.print(202, print(invoiceId(1)))).rejects.toMatchObject({
      transient: false,
      message: expect.stringContaining(
        'division 202 is not among the divisions the Exact consent of this tenant granted (101)',
      ),
    });
    expect(sb.requests().length).toBe(before);
    expect(sb.prints()).toHaveLength(0);

    const outcome = await client.print(DIV, print(invoiceId(2)));
    expect(outcome).toEqual({ ok: true, documentId: sb.prints()[0]!.document });
    expect(sb.prints().map((p) => p.invoiceId)).toEqual([invoiceId(2)]);
  });
});
