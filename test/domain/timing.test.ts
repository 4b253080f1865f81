import { decide, effectiveTimeZone, invoiceDateSendInstant, zonedWallTimeToInstant } from '../../src/domain';
import { input } from './fixtures';

const at = (iso: string) => new Date(iso);

describe('00:05 on the invoice date in the administration zone', () => {
  test.each([
    ['Europe/Amsterdam', '2026-01-15', '2026-01-14T23:05:00.000Z'], // winter, UTC+1
    ['Europe/Amsterdam', '2026-07-15', '2026-07-14T22:05:00.000Z'], // summer, UTC+2
    ['Europe/Amsterdam', '2026-03-29', '2026-03-28T23:05:00.000Z'], // clocks go forward at 02:00 that day: 00:05 is still UTC+1
    ['Europe/Amsterdam', '2026-03-30', '2026-03-29T22:05:00.000Z'], // first full summer day
    ['Europe/Amsterdam', '2026-10-25', '2026-10-24T22:05:00.000Z'], // clocks go back at 03:00 that day: 00:05 is still UTC+2
    ['Europe/Amsterdam', '2026-10-26', '2026-10-25T23:05:00.000Z'], // first full winter day
    ['Asia/Tokyo', '2026-03-29', '2026-03-28T15:05:00.000Z'], // no DST, UTC+9
    ['Asia/Tokyo', '2026-10-25', '2026-10-24T15:05:00.000Z'],
    ['America/Phoenix', '2026-03-08', '2026-03-08T07:05:00.000Z'], // no DST, UTC-7, although the rest of the US switches that day
    ['America/Phoenix', '2026-11-01', '2026-11-01T07:05:00.000Z'],
    ['America/New_York', '2026-03-08', '2026-03-08T05:05:00.000Z'], // US change day (02:00): 00:05 still EST
  ])('when the zone is %s and the invoice date %s, then the send instant is %s', (zone, date, expected) => {
    expect(invoiceDateSendInstant(date, zone)?.toISOString()).toBe(expected);
  });

  test('when 00:05 does not exist (clocks jump from 00:00 to 01:00), then the instant after the gap is taken', () => {
    // America/Santiago moved to summer time at 24:00 on 2024-09-07: 00:05 local on 09-08 never happened.
    const ms = zonedWallTimeToInstant(
      { year: 2024, month: 9, day: 8, hour: 0, minute: 5, second: 0 },
      'America/Santiago',
    );
    expect(new Date(ms).toISOString()).toBe('2024-09-08T04:05:00.000Z'); // 01:05 local (UTC-3)
  });

  test('when a wall time occurs twice (clocks go back), then the earlier instant is taken', () => {
    const ms = zonedWallTimeToInstant(
      { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 },
      'Europe/Amsterdam',
    );
    expect(new Date(ms).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, not 02:30 CET
  });

  test('when the date is not a real date, then there is no instant', () => {
    expect(invoiceDateSendInstant('2026-02-30', 'Europe/Amsterdam')).toBeNull();
    expect(invoiceDateSendInstant('20-03-2026', 'Europe/Amsterdam')).toBeNull();
  });

  test('when the zone is unknown, then Europe/Amsterdam is used', () => {
    expect(effectiveTimeZone('Mars/Olympus_Mons')).toBe('Europe/Amsterdam');
    expect(invoiceDateSendInstant('2026-07-15', 'Mars/Olympus_Mons')?.toISOString()).toBe(
      '2026-07-14T22:05:00.000Z',
    );
  });
});

describe('timing in the decision', () => {
  const onDate = (invoiceDate: string, now: Date, timeZone = 'Europe/Amsterdam') =>
    decide(input({ administration: { timing: 'onInvoiceDate', timeZone }, invoice: { invoiceDate }, now }));

  test('when timing is immediate, then it goes now even for a future date', () => {
    const d = decide(input({ invoice: { invoiceDate: '2026-12-31' } }));
    expect(d.kind === 'send' && [d.reason, d.plan.sendAt]).toEqual(['ready', null]);
  });

  test('when the invoice date is ahead, then it is scheduled for 00:05 local and the facts show local time', () => {
    const d = onDate('2026-03-29', at('2026-03-20T10:00:00Z'));
    expect(d.kind === 'send' && [d.reason, d.plan.sendAt?.toISOString()]).toEqual([
      'scheduled',
      '2026-03-28T23:05:00.000Z',
    ]);
    expect(d.facts).toMatchObject({ when: '2026-03-29 00:05', zone: 'Europe/Amsterdam' });
  });

  test('when the invoice date is on the autumn change day, then it is scheduled at 00:05 summer time', () => {
    const d = onDate('2026-10-25', at('2026-10-01T10:00:00Z'));
    expect(d.kind === 'send' && d.plan.sendAt?.toISOString()).toBe('2026-10-24T22:05:00.000Z');
  });

  test('when the invoice is dated today after 00:05, then it goes at once', () => {
    const d = onDate('2026-03-20', at('2026-03-20T10:00:00Z'));
    expect(d.kind === 'send' && [d.reason, d.plan.sendAt]).toEqual(['ready', null]);
  });

  test('when now is exactly 00:05 on the invoice date, then it goes at once', () => {
    const d = onDate('2026-03-29', at('2026-03-28T23:05:00Z'));
    expect(d.kind === 'send' && d.plan.sendAt).toBeNull();
  });

  test('when now is one minute before 00:05 local, then it is still scheduled', () => {
    const d = onDate('2026-03-29', at('2026-03-28T23:04:00Z'));
    expect(d.kind === 'send' && d.reason).toBe('scheduled');
  });

  test('when a backdated invoice is imported, then it goes at once', () => {
    const d = onDate('2025-11-03', at('2026-03-20T10:00:00Z'));
    expect(d.kind === 'send' && [d.reason, d.plan.sendAt]).toEqual(['ready', null]);
  });

  test('when it is already the invoice date in Tokyo but not yet in UTC, then it goes at once', () => {
    const d = onDate('2026-03-21', at('2026-03-20T15:30:00Z'), 'Asia/Tokyo'); // 00:30 on 03-21 in Tokyo
    expect(d.kind === 'send' && d.plan.sendAt).toBeNull();
  });

  test('when it is the invoice date in UTC but still the day before in Phoenix, then it is scheduled', () => {
    const d = onDate('2026-03-21', at('2026-03-21T03:00:00Z'), 'America/Phoenix'); // 20:00 on 03-20 in Phoenix
    expect(d.kind === 'send' && d.plan.sendAt?.toISOString()).toBe('2026-03-21T07:05:00.000Z');
  });

  test('when the administration zone is invalid, then the decision uses Europe/Amsterdam and does not throw', () => {
    const d = onDate('2026-07-15', at('2026-07-01T00:00:00Z'), 'Not/AZone');
    expect(d.kind === 'send' && [d.plan.sendAt?.toISOString(), d.facts.zone]).toEqual([
      '2026-07-14T22:05:00.000Z',
      'Europe/Amsterdam',
    ]);
  });
});
