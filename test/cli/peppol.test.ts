import { runPeppolCli } from '../../src/cli/peppol';
import { smlDnsName } from '../../src/domain/peppol';
import { SANDBOX_ZONE, startPeppolSandbox } from '../../sandbox/peppol';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('npm run peppol -- lookup', () => {
  test('when a demo participant is looked up, then the answer and the path it took are printed', async () => {
    const c = io();
    expect(await runPeppolCli(['lookup', '0106:12345678'], c.io)).toBe(0);
    expect(c.out).toContain(`DNS name:  ${smlDnsName('0106:12345678', SANDBOX_ZONE)}`);
    expect(c.out.find((l) => l.startsWith('NAPTR URL: https://127.0.0.1:'))).toBeDefined();
    expect(c.out.filter((l) => l.startsWith('SMP:'))).toHaveLength(2);
    expect(c.out.at(-1)).toBe('answer:    registered');
  }, 60_000);

  test('when a credit note goes to a participant that takes invoices only, then the answer says so', async () => {
    const c = io();
    expect(await runPeppolCli(['lookup', '0106:87654321', '--credit-note'], c.io)).toBe(0);
    expect(c.out.at(-1)).toBe('answer:    wrongDocumentType');
  }, 60_000);

  test('when DNS servers are given, then that network is asked (here: a sandbox failing with SERVFAIL)', async () => {
    const sandbox = await startPeppolSandbox({ participants: { '0106:12345678': 'servfail' } });
    try {
      const c = io();
      const code = await runPeppolCli(
        ['lookup', '0106:12345678', '--dns', sandbox.dnsServers[0]!, '--zone', sandbox.zone],
        c.io,
      );
      expect(code).toBe(1);
      expect(c.out.at(-1)).toBe('answer:    unknown (DNS ESERVFAIL; retry later)');
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  test('when the identifier is not scheme:value, then it is a usage error', async () => {
    const c = io();
    expect(await runPeppolCli(['lookup', '12345678'], c.io)).toBe(2);
    expect(c.err[0]).toContain('not of the form scheme:value');
  });
});
