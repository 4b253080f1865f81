/**
 * One Azurite (table service) per test file. Call at the top level of a describe/file:
 *
 *   const azurite = useAzurite();
 *   test('…', async () => { const cs = azurite.connectionString; … });
 */
import { startAzurite, type RunningAzurite } from '../../src/local/azurite';

export interface AzuriteHandle {
  /** Valid inside tests (after beforeAll). */
  readonly connectionString: string;
  readonly port: number;
}

export function useAzurite(opts: { silent?: boolean } = {}): AzuriteHandle {
  let running: RunningAzurite | undefined;
  beforeAll(async () => {
    running = await startAzurite({ silent: opts.silent ?? true });
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    running = undefined;
  });
  const current = (): RunningAzurite => {
    if (!running) throw new Error('Azurite is not running: use the handle inside a test, after beforeAll');
    return running;
  };
  return {
    get connectionString() {
      return current().connectionString;
    },
    get port() {
      return current().port;
    },
  };
}
