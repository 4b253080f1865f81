import { createClock } from '../../../sandbox/exact/clock';
import { startExactSandbox } from '../../../sandbox/exact';
import { DIV, client, invoiceId, seed } from './fixture';

describe('Exact sandbox clock and reset', () => {
  test('when untouched, then the sandbox clock is the base clock; set, advance and a factor move it', () => {
    let real = 1_000_000;
    const clock = createClock(() => real);
    expect(clock.now()).toBe(1_000_000);
    clock.advance(5_000);
    expect(clock.now()).toBe(1_005_000);
    clock.setFactor(60);
    real += 1_000; // one real second = one sandbox minute
    expect(clock.now()).toBe(1_065_000);
    clock.set(0);
    real += 10;
    expect(clock.now()).toBe(600);
    clock.reset();
    expect(clock.now()).toBe(real);
  });

  test('when reset, then data is reloaded and tokens, outbox and faults are gone', async () => {
    const sb = await startExactSandbox({ seed: seed(2) });
    try {
      const { accessToken } = await sb.authorize();
      const api = client(sb, accessToken);
      await api.post(`/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`, { InvoiceID: invoiceId(1) });
      sb.injectFault({ path: 'crm/Accounts', kind: '500' });
      expect(sb.invoice(DIV, invoiceId(1))?.Status).toBe(50);
      sb.reset();
      expect(sb.invoice(DIV, invoiceId(1))?.Status).toBe(20);
      expect(sb.prints()).toEqual([]);
      expect(sb.requests()).toEqual([]);
      expect((await api.get(`/api/v1/${DIV}/crm/Accounts`)).status).toBe(401);
      const fresh = client(sb, (await sb.authorize()).accessToken);
      expect((await fresh.get(`/api/v1/${DIV}/crm/Accounts`)).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});
