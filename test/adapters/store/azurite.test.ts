import * as net from 'node:net';
import { startAzurite } from '../../../src/local/azurite';
import { useAzurite } from '../../support/azurite';

describe('azurite helper', () => {
  const azurite = useAzurite();

  test('when started, then the connection string points at a listening table endpoint', async () => {
    expect(azurite.connectionString).toContain(
      `TableEndpoint=http://127.0.0.1:${azurite.port}/devstoreaccount1;`,
    );
    const res = await fetch(`http://127.0.0.1:${azurite.port}/devstoreaccount1/Tables`);
    expect(res.status).toBeGreaterThanOrEqual(200);
  });

  test('when stopped, then the port no longer accepts connections', async () => {
    const other = await startAzurite();
    await other.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(other.port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
