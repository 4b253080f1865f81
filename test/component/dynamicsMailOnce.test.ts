/**
 * Exactly once for the invoice email (issue 15 item 4, decision 0103): a crash before or after each mail step,
 * and duplicate deliveries, still give one email with one PDF, sent once, and one print.
 */
import { ManualClock } from '../../src/adapters/queue/clock';
import { dispatchInvoices, type DispatchDeps } from '../../src/app/dispatch';
import type { DynamicsMail } from '../../src/app/mail/ports';
import { demoGuid, invoices } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { crashOnce, demoDeps, demoRow, printsOf, rowsOf, SimulatedCrash } from './helpers';

const START = new Date('2026-05-12T10:00:00Z');
const clock = new ManualClock(START);
const env = useLocalStack({
  clock,
  timers: clock,
  exactClock: clock,
  today: START,
  exact: { minutelyLimit: 100_000, dailyLimit: 100_000 },
});

const ADMIN_D = demoGuid('admin:D');
const dv = () => env.stack.dataverse.get('demo')!;
const keyOf = (relation: string) => invoices.find((i) => i.relation === relation)!.key;
const request = (key: string) => rowsOf([key], { admin: ADMIN_D, now: clock.now() });
const emailsOf = (key: string) =>
  dv()
    .mail.emailsRegarding(demoGuid(`row:${key}`))
    .filter((e) =>
      dv()
        .mail.parties(String(e.activityid))
        .some((p) => p.partyType === 'queue'),
    );
const sendEmailCalls = () =>
  dv()
    .requests()
    .filter((r) => r.method === 'POST' && r.path.endsWith('Microsoft.Dynamics.CRM.SendEmail')).length;

function withMail(deps: DispatchDeps, dynamics: DynamicsMail): DispatchDeps {
  return { ...deps, mail: { ...deps.mail!, dynamics } };
}

const steps: Array<[keyof DynamicsMail, 'before' | 'after']> = [
  ['createDraft', 'after'],
  ['attach', 'before'],
  ['attach', 'after'],
  ['send', 'before'],
  ['send', 'after'],
];

describe('exactly once for the invoice email', () => {
  test.each(steps.map(([step, at], i) => [at, step, ['R21', 'R22', 'R24', 'R25', 'R23'][i]!] as const))(
    'when the worker dies %s the %s step and the invoice is dispatched again, then there is one email with one PDF, sent once, and one print',
    async (at, step, relation) => {
      const key = keyOf(relation);
      if (relation === 'R23' || relation === 'R24')
        // Review off here: these steps are about the send.
        env.stack.dataverse.get('demo')!.seed({
          eol_relations: [{ eol_relationid: demoGuid(`relation:${relation}`), eol_emailreview: 2 }],
        });
      const before = sendEmailCalls();
      const base = demoDeps(env.stack);
      const crashing = crashOnce(base.mail!.dynamics, step, at);
      const first = await dispatchInvoices(withMail(base, crashing), request(key)).catch((e: unknown) => e);
      expect(first).toBeInstanceOf(SimulatedCrash);
      expect(crashing.fired()).toBe(true);
      // The dead worker's lease runs out; the redelivery (and a duplicate of it) carry the email on.
      clock.advance(base.leaseMs + 1_000);
      await dispatchInvoices(demoDeps(env.stack), request(key));
      await dispatchInvoices(demoDeps(env.stack), request(key));

      const emails = emailsOf(key);
      expect(emails).toHaveLength(1);
      expect(dv().mail.attachments(String(emails[0]!.activityid))).toHaveLength(1);
      expect(emails[0]).toMatchObject({ statecode: 1, statuscode: 6 });
      expect(sendEmailCalls() - before).toBe(1);
      expect(printsOf(env.stack, key)).toHaveLength(1);
      expect(demoRow(env.stack, key)).toMatchObject({
        eol_dispatchstatus: 3,
        eol_dispatchreason: 'email_pending',
      });
    },
  );
});
