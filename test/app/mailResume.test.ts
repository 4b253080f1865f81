/**
 * The Dynamics route resumed after a crash right after SendEmail (found by the chaos run's crash points,
 * issue 15): Dataverse took the email, the ledger never learnt it, and server-side synchronization failed it
 * before the invoice was picked up again. A Failed email is open again (statecode 0), so Dataverse would
 * take a second SendEmail: the resumed worker must read the email's status, not send it once more.
 */
import { dispatchInvoices } from '../../src/app/dispatch';
import { emailIdOf } from '../../src/app/dispatch/mailIds';
import type { LedgerPatch } from '../../src/app/ports';
import { demoGuid } from '../../sandbox/seed/demo';
import { crashOnce, demoDeps, demoRow, rowsOf, useManualClockStack } from '../component/helpers';

const START = new Date('2026-05-12T08:01:00Z');
const { clock, env } = useManualClockStack(START);
const ADMIN_D = demoGuid('admin:D');
const KEY = 'I44'; // administration D, relation R21: sent by Dynamics 365 without review

const EMAIL_ID = emailIdOf({ tenantId: 'demo', division: 100004, invoiceId: demoGuid(`invoice:${KEY}`) }, 0);

/** The statuses of the SendEmail requests for the invoice's email (not for AutoInvoice's notices). */
function sendEmailPosts(): string[] {
  return env.stack.dataverse
    .get('demo')!
    .requests()
    .filter(
      (r) => r.method === 'POST' && r.path.endsWith(`emails(${EMAIL_ID})/Microsoft.Dynamics.CRM.SendEmail`),
    )
    .map((r) => `${r.status}`);
}

describe('the Dynamics route after a crash right after SendEmail', () => {
  test('when server-side sync failed the email before the invoice is resumed, then SendEmail is not called again and the invoice fails with email_send_failed', async () => {
    expect(demoRow(env.stack, KEY)._eol_administrationid_value).toBe(ADMIN_D);
    const dv = env.stack.dataverse.get('demo')!;
    const deps = demoDeps(env.stack);
    // The process dies after SendEmail went through, before the ledger records it.
    const handedOver = (_entry: unknown, patch: unknown) =>
      (patch as LedgerPatch | undefined)?.mail?.handedOver === true;
    const crashing = { ...deps, ledger: crashOnce(deps.ledger, 'update', 'before', handedOver) };
    await expect(
      dispatchInvoices(crashing, rowsOf([KEY], { admin: ADMIN_D, now: clock.now() })),
    ).rejects.toThrow('simulated crash before update');
    expect(sendEmailPosts()).toEqual(['200']);
    dv.mail.setServerSideSync('fail');
    expect(dv.mail.runServerSideSync()).toMatchObject({ failed: 1 });

    // The crashed worker's lease runs out; the sweep (or a redelivery) takes the invoice up again.
    clock.advance(deps.leaseMs + 1_000);
    const lines = await dispatchInvoices(deps, rowsOf([KEY], { admin: ADMIN_D, now: clock.now() }));
    expect(lines.map((l) => [l.outcome, l.reason])).toEqual([['failed', 'email_send_failed']]);
    expect(sendEmailPosts()).toEqual(['200']);
    // The invoice's email (from the mailbox), not AutoInvoice's notice of the failure.
    const emails = dv.mail
      .emailsRegarding(demoGuid(`row:${KEY}`))
      .filter((e) =>
        dv.mail.parties(String(e.activityid)).some((p) => p.mask === 1 && p.partyType === 'queue'),
      );
    expect(emails.map((e) => e.statuscode)).toEqual([8]);
    expect(demoRow(env.stack, KEY)).toMatchObject({
      eol_dispatchreason: 'email_send_failed',
      _eol_emailid_value: emails[0]!.activityid,
    });
  });
});
