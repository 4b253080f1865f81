import { sweepSlot } from '../../src/app/sweep';

describe('sweep slots per administration zone', () => {
  test.each([
    ['2026-11-21T23:05:00Z', 'Europe/Amsterdam', { run: true, full: true }], // 00:05 CET
    ['2026-07-21T22:05:00Z', 'Europe/Amsterdam', { run: true, full: true }], // 00:05 CEST
    ['2026-11-21T15:05:00Z', 'Asia/Tokyo', { run: true, full: true }], // 00:05 JST, no DST
    ['2026-11-22T10:15:00Z', 'Europe/Amsterdam', { run: true, full: false }], // a quarter hour
    ['2026-11-22T10:20:00Z', 'Europe/Amsterdam', { run: false, full: false }], // between quarters
    ['2026-11-21T23:05:00Z', 'Not/AZone', { run: true, full: true }], // falls back to Europe/Amsterdam
  ])('when the timer ticks at %s in %s, then the slot is %o', (at, zone, expected) => {
    expect(sweepSlot(new Date(at), zone)).toEqual(expected);
  });
});
