/**
 * Issue 17 item 4 through the running connector: the licence verdict the runtime renews (once a minute at
 * most) is what tells the AutoInvoice administrators in Dynamics, in-app, that the licence runs out —
 * once per expiry date, however many dispatches check it. The demo's licence runs 365 days from its start.
 */
import { dispatchInvoices } from '../../src/app/dispatch';
import { ADMINISTRATOR_ROLE_ID } from '../../src/adapters/dataverse/adminNotices';
import { demoDeps, rowsOf, useManualClockStack } from './helpers';

const START = new Date('2026-03-27T10:00:00Z');
const DAY = 86_400_000;
const { clock, env } = useManualClockStack(START);
const ADMIN = 'a0000000-0000-4000-8000-0000000000bb';

const licenceNotices = () =>
  env.stack.dataverse
    .get('demo')!
    .rows('appnotifications')
    .filter((r) => r._ownerid_value === ADMIN && /licen/i.test(String(r.title)))
    .map((r) => String(r.title));

async function dispatchAt(at: Date): Promise<void> {
  clock.advanceTo(at.toISOString());
  await dispatchInvoices(demoDeps(env.stack), rowsOf(['I3'], { now: at }));
}

/** The notice is sent beside the work (never in its way): wait for it, a few seconds at most. */
async function settled(expectOne = true): Promise<string[]> {
  for (let i = 0; expectOne && i < 100 && licenceNotices().length === 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200));
  return licenceNotices();
}

describe('a licence about to expire, told to the administrators', () => {
  test('when dispatches check the licence 20, 9 and 8 days before it expires, then each AutoInvoice administrator gets one in-app notification, naming the expiry date', async () => {
    const dv = env.stack.dataverse.get('demo')!;
    dv.seed({ systemusers: [{ systemuserid: ADMIN, fullname: 'Beheerder', isdisabled: false }] });
    const call = (path: string, body: unknown) =>
      dv.customizations.handle({ method: 'POST', path, query: {}, headers: {}, body });
    call('roles', { roleid: ADMINISTRATOR_ROLE_ID, name: 'AutoInvoice administrator' });
    call(`roles(${ADMINISTRATOR_ROLE_ID})/systemuserroles_association/$ref`, {
      '@odata.id': `${dv.url}api/data/v9.2/systemusers(${ADMIN})`,
    });

    await dispatchAt(new Date(START.getTime() + 345 * DAY));
    expect(await settled(false)).toEqual([]); // 20 days left: not yet

    await dispatchAt(new Date(START.getTime() + 356 * DAY));
    const first = await settled();
    expect(first).toHaveLength(1);
    expect(first[0]).toContain(new Date(START.getTime() + 365 * DAY).toISOString().slice(0, 10));

    // The cached verdict is renewed after a minute; a day later too: no second notice for the same date.
    await dispatchAt(new Date(START.getTime() + 356 * DAY + 2 * 60_000));
    await dispatchAt(new Date(START.getTime() + 357 * DAY));
    expect(await settled()).toEqual(first);
  });
});
