/**
 * The invoice commands (issue 17) write one column each; the webhook step filters on it. Each write
 * causes exactly one dispatch — and the connector's own write-back, which Dataverse announces too,
 * causes none. Hold keeps a scheduled invoice from going out; Release lets it go out on its date.
 */
import * as vm from 'node:vm';
import { ManualClock, systemClock } from '../../src/adapters/queue/clock';
import { buildComponents } from '../../src/adapters/dataverse/solution/components';
import { demoGuid, DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  invoiceCreatedEvent,
  serialiseLikeDataverse,
} from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import {
  ADMIN_A,
  ADMIN_B,
  demoRow,
  editRow,
  postWebhook,
  printPosts,
  printsOf,
  settleQueue,
} from './helpers';

// Administration B sends on the invoice date at 00:05 Europe/Amsterdam; I30 is dated in two days.
const START = new Date('2026-03-27T10:00:00Z');
const clock = new ManualClock(START);
const env = useLocalStack({ clock, timers: clock, exactClock: systemClock, today: START });

/** What Dataverse posts for an update of `attributes` on the demo row `key`. */
async function updated(key: string, admin: string, attributes: Record<string, unknown>): Promise<void> {
  const body = buildRemoteExecutionContext({
    organizationId: DEMO_ORGANIZATION_ID,
    entityId: demoGuid(`row:${key}`),
    messageName: 'Update',
    attributes: { ...attributes, eol_administrationid: { lookup: 'eol_administration', id: admin } } as never,
  });
  expect((await postWebhook(serialiseLikeDataverse(body))).status).toBe(202);
  await settleQueue(env.stack, clock, 0);
}

const solution = buildComponents();

/**
 * What a user's click on the form command `key` writes: the command's appaction names a function of the
 * solution's web resource; that script runs here against a stand-in Xrm and its updateRecord calls are kept.
 */
async function clickOnForm(key: string, rowId: string): Promise<Array<Record<string, unknown>>> {
  const action = solution.commands.find((c) => c.key === key && c.location === 0)!;
  const script = solution.webresources.find((w) => w.webresourcetype === 3)!;
  const writes: Array<Record<string, unknown>> = [];
  const Xrm = {
    WebApi: {
      updateRecord: async (table: string, id: string, data: Record<string, unknown>) => {
        expect({ table, id: id.toLowerCase() }).toEqual({ table: 'eol_salesinvoice', id: rowId });
        writes.push(data);
      },
    },
  };
  const window: Record<string, unknown> = {};
  vm.runInNewContext(script.content, { window, Xrm, Promise });
  const fn = action.functionName
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], window) as (form: unknown) => Promise<void>;
  expect(JSON.parse(action.parameters)).toEqual([{ type: 5 }]); // PrimaryControl: the form
  await fn({ data: { entity: { getId: () => `{${rowId.toUpperCase()}}` }, refresh: async () => undefined } });
  return writes;
}

/** A command: the column write its web resource makes, then the event Dataverse sends for it. */
async function command(key: string, admin: string, name: 'resend' | 'sendnow' | 'hold' | 'release') {
  const id = demoGuid(`row:${key}`);
  const writes = await clickOnForm(name, id);
  expect(writes).toHaveLength(1);
  editRow(env.stack, 'eol_salesinvoices', id, writes[0]!);
  await updated(key, admin, writes[0]!);
}

async function created(key: string): Promise<void> {
  const event = invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, key));
  expect((await postWebhook(serialiseLikeDataverse(event))).status).toBe(202);
  await settleQueue(env.stack, clock, 0);
}

const posts = (key: string) => printPosts(env.stack).get(demoGuid(`invoice:${key}`)) ?? 0;

describe('commands on an invoice', () => {
  test('when Send now is used on a scheduled invoice, then it is sent at once, exactly once, and not again at its scheduled time', async () => {
    await created('I30');
    expect(demoRow(env.stack, 'I30').eol_dispatchstatus).toBe(2);
    await command('I30', ADMIN_B, 'sendnow');
    expect(printsOf(env.stack, 'I30')).toHaveLength(1);
    expect(demoRow(env.stack, 'I30')).toMatchObject({ eol_dispatchstatus: 4, eol_sendnow: false });
    // Dataverse announces the connector's write-back (eol_sendnow back to no): no second dispatch.
    await updated('I30', ADMIN_B, { eol_sendnow: false, eol_resend: false, eol_dispatchstatus: 4 });
    clock.advanceTo('2026-03-28T23:06:00Z');
    await settleQueue(env.stack, clock, 0);
    expect(posts('I30')).toBe(1);
  });

  test('when Resend is used on a failed invoice after the fix, then exactly one dispatch sends it and the write-back starts none', async () => {
    await created('I20');
    expect(demoRow(env.stack, 'I20').eol_dispatchstatus).toBe(6);
    editRow(env.stack, 'eol_relations', demoGuid('relation:R8'), {
      eol_invoiceemail: 'administratie@tikfout.example',
    });
    await command('I20', ADMIN_A, 'resend');
    expect(demoRow(env.stack, 'I20')).toMatchObject({ eol_dispatchstatus: 4, eol_resend: false });
    await updated('I20', ADMIN_A, { eol_resend: false, eol_sendnow: false, eol_dispatchstatus: 4 });
    expect(posts('I20')).toBe(1);
  });

  test('when Hold is used on a scheduled invoice, then it is not sent at its time; after Release it goes out on its date', async () => {
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I31'), { eol_invoicedate: '2026-04-02' });
    await updated('I31', ADMIN_B, { eol_invoicedate: new Date('2026-04-02T00:00:00Z') });
    expect(demoRow(env.stack, 'I31').eol_dispatchstatus).toBe(2);
    await command('I31', ADMIN_B, 'hold');
    expect(demoRow(env.stack, 'I31')).toMatchObject({
      eol_dispatchstatus: 7,
      eol_dispatchreason: 'invoice_opted_out',
    });
    clock.advanceTo('2026-04-01T22:10:00Z');
    await settleQueue(env.stack, clock, 0);
    expect(posts('I31')).toBe(0);

    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I31'), { eol_invoicedate: '2026-04-03' });
    await command('I31', ADMIN_B, 'release');
    expect(demoRow(env.stack, 'I31').eol_dispatchstatus).toBe(2);
    clock.advanceTo('2026-04-02T22:06:00Z');
    await settleQueue(env.stack, clock, 0);
    expect(posts('I31')).toBe(1);
  });
});
