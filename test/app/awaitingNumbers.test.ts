import { AwaitingNumbers, RECENT_PRINTS_MS } from '../../src/app/awaitingNumbers';

const key = (n: number, division = 1) => ({ tenantId: 't', division, invoiceId: `INV-${n}` });
const at = (ms: number) => new Date(Date.UTC(2026, 10, 22) + ms);

describe('prints awaiting their invoice number', () => {
  test('when prints are noted, then the next status call of that administration carries the oldest that fit, lower-cased', () => {
    const a = new AwaitingNumbers();
    for (let n = 1; n <= 5; n++) a.note(key(n), at(n));
    a.note(key(9, 2), at(0));
    expect(a.candidates('t', 1, 3, at(10)).map((k) => k.invoiceId)).toEqual(['inv-1', 'inv-2', 'inv-3']);
    expect(a.candidates('t', 1, 0, at(10))).toEqual([]);
    expect(a.candidates('t', 2, 60, at(10)).map((k) => k.invoiceId)).toEqual(['inv-9']);
    expect(a.candidates('other', 1, 60, at(10))).toEqual([]);
  });

  test('when a number was read back, then the print is forgotten; when one is older than the window, then it is left to the sweep', () => {
    const a = new AwaitingNumbers();
    a.note(key(1), at(0));
    a.note(key(2), at(RECENT_PRINTS_MS));
    a.forget(key(2));
    expect(a.candidates('t', 1, 60, at(RECENT_PRINTS_MS / 2)).map((k) => k.invoiceId)).toEqual(['inv-1']);
    expect(a.candidates('t', 1, 60, at(RECENT_PRINTS_MS + 1))).toEqual([]);
  });

  test('when an administration prints very many, then memory stays bounded and the newest are kept', () => {
    const a = new AwaitingNumbers();
    for (let n = 0; n < 2000; n++) a.note(key(n), at(n));
    const kept = a.candidates('t', 1, 5000, at(2000));
    expect(kept).toHaveLength(600);
    expect(kept[0]!.invoiceId).toBe('inv-1400');
  });
});
