/**
 * Invoice email from Dynamics 365 (issue 15, PRODUCT.md §12) end to end on the demo's administration D:
 * Exact prints without sending, the connector mails Exact's PDF from the administration's mailbox with its
 * template, and Dataverse's email status decides what the invoice row says.
 */
import { ManualClock, systemClock } from '../../src/adapters/queue/clock';
import { demoGuid, DEMO_ORGANIZATION_ID, DEMO_MAILBOX_ID, invoices } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import { demoRow, editRow, postWebhook, printsOf, settleQueue } from './helpers';

const START = new Date('2026-05-12T08:01:00Z');
const clock = new ManualClock(START);
const env = useLocalStack({
  clock,
  timers: clock,
  exactClock: systemClock,
  today: START,
  exact: { minutelyLimit: 100_000, dailyLimit: 100_000 },
});

const D_DIVISION = 100004;
const keyOf = (relation: string) => invoices.find((i) => i.relation === relation)!.key;
const dv = () => env.stack.dataverse.get('demo')!;
const rowId = (key: string) => demoGuid(`row:${key}`);
const emailsOf = (key: string) =>
  dv()
    .mail.emailsRegarding(rowId(key))
    .filter((e) =>
      dv()
        .mail.parties(String(e.activityid))
        .some((p) => p.partyType === 'queue'),
    );
const recipients = (emailId: string, mask = 2) =>
  dv()
    .mail.parties(emailId)
    .filter((p) => p.mask === mask)
    .map((p) => p.address);

async function dispatch(key: string): Promise<void> {
  const event = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, key)));
  expect((await postWebhook(event)).status).toBe(202);
  await settleQueue(env.stack, clock, 0);
}

/** Server-side synchronization runs, then the connector's check a minute after the hand-over comes. */
async function syncAndCheck(): Promise<void> {
  dv().mail.runServerSideSync();
  await settleQueue(env.stack, clock, 2 * 60_000);
}

// Eigen Adres BV reviews its drafts here (before any sweep of this file can dispatch its invoice).
beforeAll(() => editRow(env.stack, 'eol_relations', demoGuid('relation:R24'), { eol_emailreview: 1 }));

describe('invoice email from Dynamics 365', () => {
  test("when an invoice of the Dynamics route is ready, then Exact prints it without sending, and the email from the mailbox carries Exact's PDF and the template with %n replaced", async () => {
    const key = keyOf('R21');
    await dispatch(key);
    const prints = printsOf(env.stack, key);
    expect(prints).toHaveLength(1);
    expect(prints[0]!.recipients).toEqual([]);
    const number = env.stack.exact.invoice(D_DIVISION, demoGuid(`invoice:${key}`))!.InvoiceNumber;
    expect(number).toEqual(expect.any(Number));

    const [email, ...more] = emailsOf(key);
    expect(more).toHaveLength(0);
    expect(email!.subject).toBe(`Factuur ${number} van Mail Vanuit Dynamics BV`);
    expect(String(email!.description)).toContain(`Bijgaand factuur ${number} (SO-`);
    const parties = dv().mail.parties(String(email!.activityid));
    expect(parties.find((p) => p.mask === 1)).toMatchObject({ partyType: 'queue', partyId: DEMO_MAILBOX_ID });
    const [pdf, ...otherAttachments] = dv().mail.attachments(String(email!.activityid));
    expect(otherAttachments).toHaveLength(0);
    const exactPdf = await env.stack.exact.documentPdf(D_DIVISION, demoGuid(`invoice:${key}`));
    expect(exactPdf).not.toBeNull();
    expect(pdf!.mimeType).toBe('application/pdf');
    expect(Buffer.compare(pdf!.bytes, exactPdf!)).toBe(0);

    // Handed over, not out yet: the row says sending, links the email, and does not say sent.
    expect(demoRow(env.stack, key)).toMatchObject({
      eol_dispatchstatus: 3,
      eol_dispatchreason: 'email_pending',
      _eol_emailid_value: String(email!.activityid),
    });
    await syncAndCheck();
    const row = demoRow(env.stack, key);
    expect(row).toMatchObject({
      eol_dispatchstatus: 4,
      eol_dispatchreason: 'sent',
      eol_invoicenumber: number,
    });
    expect(String(row.eol_dispatchmessage)).toBe(
      'Sent by email from Dynamics 365: Dynamics 365 reported it sent to factuur@lijst.example; boekhouding@lijst.example.',
    );
    expect(recipients(String(email!.activityid))).toEqual([
      'factuur@lijst.example',
      'boekhouding@lijst.example',
    ]);
  });

  test("when the relation's account has contacts, then the flagged one receives the invoice and the other does not", async () => {
    const key = keyOf('R22');
    await dispatch(key);
    const [email] = emailsOf(key);
    expect(recipients(String(email!.activityid))).toEqual([
      'info@contacten.example',
      'petra@contacten.example',
    ]);
    const petra = dv()
      .mail.parties(String(email!.activityid))
      .find((p) => p.address === 'petra@contacten.example');
    expect(petra).toMatchObject({ partyType: 'contact', partyId: demoGuid('contact:R22:Petra Inkoop') });

    // Server-side synchronization cannot send it: the invoice fails, and the administration hears it once.
    dv().mail.setServerSideSync('fail', 'facturen@mailvanuitdynamics.example');
    try {
      await syncAndCheck();
    } finally {
      dv().mail.setServerSideSync('send', 'facturen@mailvanuitdynamics.example');
    }
    expect(demoRow(env.stack, key)).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'email_send_failed',
    });
    expect(String(demoRow(env.stack, key).eol_dispatchmessage)).toMatch(
      /^Failed: Dynamics 365 could not send the email with invoice \d+ to info@contacten.example; petra@contacten.example/,
    );
    await sweepDivision();
    await sweepDivision();
    expect(notificationsOf(key)).toBe(1);
    expect(printsOf(env.stack, key)).toHaveLength(1);
  });

  test('when the invoice names its own recipients, then only they receive it; when its review draft is deleted, then the invoice fails with email_draft_deleted', async () => {
    const key = keyOf('R24');
    await dispatch(key);
    const [draft] = emailsOf(key);
    expect(recipients(String(draft!.activityid))).toEqual(['inkoop@eigenadres.example']);
    expect(demoRow(env.stack, key)).toMatchObject({ eol_dispatchstatus: 8 });

    expect(dv().mail.deleteEmail(String(draft!.activityid))).toBe(true);
    await sweepDivision();
    expect(demoRow(env.stack, key)).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'email_draft_deleted',
    });
    expect(emailsOf(key)).toHaveLength(0);
    expect(printsOf(env.stack, key)).toHaveLength(1);
  });

  test("when the relation is invoiced through an invoice account, then that account's address receives it too", async () => {
    const key = keyOf('R25');
    await dispatch(key);
    const [email] = emailsOf(key);
    expect(recipients(String(email!.activityid))).toEqual([
      'jan@particulier.example',
      'factuur@lijst.example',
      'boekhouding@lijst.example',
    ]);
  });

  test('when the relation wants a review, then a complete draft waits (status 8) and is sent only when a person sends it', async () => {
    const key = keyOf('R23');
    await dispatch(key);
    const [draft] = emailsOf(key);
    expect(draft).toMatchObject({ statecode: 0, statuscode: 1 });
    expect(dv().mail.attachments(String(draft!.activityid))).toHaveLength(1);
    expect(demoRow(env.stack, key)).toMatchObject({
      eol_dispatchstatus: 8,
      eol_dispatchreason: 'email_review',
    });
    await dispatch(key); // a repeated event leaves the draft alone
    expect(emailsOf(key)).toHaveLength(1);
    expect(emailsOf(key)[0]).toMatchObject({ statuscode: 1 });

    dv().mail.sendAsPerson(String(draft!.activityid));
    dv().mail.runServerSideSync();
    // Only the sweep sees it: Dataverse raises no event for emails.
    await sweepDivision();
    expect(demoRow(env.stack, key)).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
    expect(printsOf(env.stack, key)).toHaveLength(1);
  });
});

test("when Resend is set on a sent invoice of the Dynamics route, then Exact's document is emailed again as a copy and nothing is printed", async () => {
  const key = keyOf('R21');
  expect(demoRow(env.stack, key)).toMatchObject({ eol_dispatchstatus: 4 });
  const printsBefore = env.stack.exact.prints().length;
  const [first] = emailsOf(key);
  editRow(env.stack, 'eol_salesinvoices', rowId(key), { eol_resend: true });
  await dispatch(key);
  expect(env.stack.exact.prints().length).toBe(printsBefore);
  const copy = emailsOf(key).find((e) => e.activityid !== first!.activityid);
  expect(copy).toBeDefined();
  const [pdf] = dv().mail.attachments(String(copy!.activityid));
  const exactPdf = await env.stack.exact.documentPdf(D_DIVISION, demoGuid(`invoice:${key}`));
  expect(Buffer.compare(pdf!.bytes, exactPdf!)).toBe(0);
  await syncAndCheck();
  const row = demoRow(env.stack, key);
  expect(row).toMatchObject({
    eol_dispatchstatus: 4,
    eol_resend: false,
    _eol_emailid_value: copy!.activityid,
  });
  expect(String(row.eol_dispatchmessage)).toContain(
    '(again, a copy of the document Exact Online had already made; not printed again)',
  );
  expect(emailsOf(key)).toHaveLength(2);
});

/** Failure notifications about the invoice: emails regarding its row that do not come from the mailbox. */
function notificationsOf(key: string): number {
  return dv()
    .mail.emailsRegarding(rowId(key))
    .filter(
      (e) =>
        !dv()
          .mail.parties(String(e.activityid))
          .some((p) => p.partyType === 'queue'),
    ).length;
}

/** A quarter-hour sweep of every administration, a quarter of an hour after the last one. */
async function sweepDivision(): Promise<void> {
  clock.advance(15 * 60_000);
  const { requestSweeps } = await import('../../functions/sweep');
  await requestSweeps(env.stack.runtime, () => ({ run: true, full: false }));
  await settleQueue(env.stack, clock, 0);
}
