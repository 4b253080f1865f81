import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvocationContext } from '@azure/functions';
import { sweep } from '../../functions/sweep';
import { startDataverseSandbox } from '../../sandbox/dataverse';
import { DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { EOL_TABLES, USER_OWNED } from '../../src/adapters/dataverse/vocabulary';
import { runDataverseCli } from '../../src/cli/dataverse';
import { columnsUsed } from '../adapters/dataverse/columnsUsed';
import { demoRow, postWebhook, settleQueue, useManualClockStack } from './helpers';

/**
 * The demo runs as in Azure (sweep timer → sweep requests → worker, a webhook, failures notified) and every
 * eol_ column the connector's Dataverse requests name is one `npm run dataverse -- provision` creates.
 */
// 10:15:30 in Amsterdam: a quarter-hour sweep slot.
const START = new Date('2026-05-12T08:15:30Z');
const { clock, env } = useManualClockStack(START);

/** Entity set → logical names of the attributes provisioning creates (in a fresh sandbox). */
async function provisionedAttributes(): Promise<Map<string, Set<string>>> {
  const clientId = '22222222-2222-4222-8222-222222222222';
  const secret = 'provisioned-columns-secret';
  const sb = await startDataverseSandbox({ clientId, clientSecret: secret });
  try {
    const caFile = join(mkdtempSync(join(tmpdir(), 'dv-flows-')), 'ca.pem');
    writeFileSync(caFile, sb.caCertPem);
    const code = await runDataverseCli(
      [
        'provision',
        '--url',
        sb.url,
        '--authority',
        sb.authority,
        '--client-id',
        clientId,
        '--ca-file',
        caFile,
      ],
      { out: () => undefined, err: () => undefined },
      { DATAVERSE_CLIENT_SECRET: secret },
      { sleep: async () => undefined },
    );
    expect(code).toBe(0);
    return new Map(
      [...sb.metadata.store.entities.values()].map((e) => [
        String(e.meta.EntitySetName),
        new Set(e.attributes.map((a) => String(a.LogicalName))),
      ]),
    );
  } finally {
    await sb.close();
  }
}

describe('the columns of the demo flows are provisioned', () => {
  test('when the demo is swept, an invoice arrives by webhook and failures are notified, then every eol_ column the requests name is provisioned', async () => {
    await sweep(null, new InvocationContext({ functionName: 'sweep' }));
    await settleQueue(env.stack, clock);
    const body = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, 'I2')));
    expect((await postWebhook(body)).status).toBe(202);
    await settleQueue(env.stack, clock);

    const tableBySet = (set: string) => EOL_TABLES.find((t) => t.entitySet === set);
    const navTarget = (set: string, nav: string) => {
      const c = tableBySet(set)?.columns[nav];
      return c?.kind === 'lookup' ? EOL_TABLES.find((t) => t.name === c.target)?.entitySet : undefined;
    };
    const uses = columnsUsed(env.stack.dataverse.get('demo')!.requests(), navTarget).filter((u) =>
      tableBySet(u.set),
    );
    // The flows read, filter, create, write back and bind (a failure email regarding an invoice).
    expect(new Set(uses.map((u) => u.how))).toEqual(new Set(['select', 'expand', 'filter', 'write', 'bind']));

    const provisioned = await provisionedAttributes();
    const missing = uses.filter((u) => !provisioned.get(u.set)?.has(u.column) && !(u.column in USER_OWNED));
    expect([...new Set(missing.map((u) => `${u.how} ${u.set}.${u.column}`))]).toEqual([]);
  }, 120_000);
});
