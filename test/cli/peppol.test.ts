import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/autoinvoice/main';
import { runPeppolCli } from '../../src/cli/peppol';
import { PEPPOL_ZONES, smlDnsName } from '../../src/domain/peppol';
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

/** `npm run autoinvoice -- …` (issue 18's CLI) with its io; no connector is running: `peppol` needs none. */
async function autoinvoice(args: string[]) {
  const c = io();
  const stream = Object.assign(new PassThrough(), { isTTY: false });
  const code = await runCli(['--url', 'http://127.0.0.1:9', ...args], { ...c.io, env: {}, stream });
  return { code, out: c.out, err: c.err };
}

describe('npm run autoinvoice -- peppol lookup', () => {
  test('when a demo participant is looked up, then the answer and the path it took are printed, without a connector', async () => {
    const r = await autoinvoice(['peppol', 'lookup', '0106:12345678']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(`network:   local sandbox (zone ${SANDBOX_ZONE})`);
    expect(r.out).toContain('document:  BIS Billing 3.0 Invoice');
    expect(r.out).toContain(`DNS name:  ${smlDnsName('0106:12345678', SANDBOX_ZONE)}`);
    expect(r.out.filter((l) => l.startsWith('SMP:'))).toHaveLength(2);
    expect(r.out.at(-1)).toBe('answer:    registered');
  }, 60_000);

  test('when a credit note is looked up with --json, then the answer and its path come as JSON, checked against CreditNote', async () => {
    const r = await autoinvoice(['--json', 'peppol', 'lookup', '0106:87654321', '--credit-note']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out.join('\n')) as Record<string, unknown>;
    expect(j).toMatchObject({
      participant: '0106:87654321',
      document: 'creditNote',
      answer: { kind: 'wrongDocumentType' },
      path: { dnsName: smlDnsName('0106:87654321', SANDBOX_ZONE), cached: false },
    });
    expect((j.path as { smpUrls: string[] }).smpUrls).toHaveLength(1);
  }, 60_000);

  test('when the network cannot be asked, then the exit code is 1 and the answer says retry later', async () => {
    const sandbox = await startPeppolSandbox({ participants: { '0106:12345678': 'smp500' } });
    try {
      const r = await autoinvoice([
        'peppol',
        'lookup',
        '0106:12345678',
        '--dns',
        sandbox.dnsServers[0]!,
        '--zone',
        sandbox.zone,
        '--ca',
        await caFile(sandbox.smpCa),
      ]);
      expect(r.code).toBe(1);
      expect(r.out.at(-1)).toBe('answer:    unknown (SMP HTTP 500; retry later)');
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  test('when --zone test is given, then the test SML zone is asked, not the local sandbox', async () => {
    // The sandbox's DNS serves only its own zone: it refuses the test SMK's names, so the answer is unknown.
    const sandbox = await startPeppolSandbox({ participants: {} });
    try {
      const r = await autoinvoice([
        'peppol',
        'lookup',
        '0106:12345678',
        '--zone',
        'test',
        '--dns',
        sandbox.dnsServers[0]!,
      ]);
      expect(r.out[0]).toBe(`network:   zone ${PEPPOL_ZONES.test} via ${sandbox.dnsServers[0]}`);
      expect(r.out).toContain(`DNS name:  ${smlDnsName('0106:12345678', PEPPOL_ZONES.test)}`);
      expect(r.out.at(-1)).toBe('answer:    unknown (DNS EREFUSED; retry later)');
      expect(r.code).toBe(1);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  test.each([
    ['0106:24681357', 'registered'],
    ['0106:11223344', 'wrongDocumentType'],
    ['0106:99999999', 'notRegistered'],
    ['0106:90000005', 'notRegistered'],
    ['0106:90000006', 'wrongDocumentType'],
    ['0106:90000001', 'unknown (DNS ESERVFAIL; retry later)'],
    ['0106:90000002', 'unknown (DNS ETIMEOUT; retry later)'],
    ['0106:90000003', 'unknown (SMP HTTP 500; retry later)'],
    ['0106:90000004', 'unknown (SMP timeout; retry later)'],
    ['0106:90000007', 'unknown (SMP redirect not followed; retry later)'],
  ])(
    'when the sandbox participant %s is looked up, then the answer is %s',
    async (participant, answer) => {
      const r = await autoinvoice(['peppol', 'lookup', participant, '--timeout', '300']);
      expect(r.out.at(-1)).toBe(`answer:    ${answer}`);
      expect(r.code).toBe(answer.startsWith('unknown') ? 1 : 0);
    },
    60_000,
  );

  test('when the identifier is not scheme:value, then it is a usage error', async () => {
    const r = await autoinvoice(['peppol', 'lookup', 'KvK 12345678']);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain('not of the form scheme:value');
  });
});

async function caFile(pem: string): Promise<string> {
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const file = join(await mkdtemp(join(tmpdir(), 'peppol-ca-')), 'smp.pem');
  await writeFile(file, pem);
  return file;
}

describe('the operator CLI without dev dependencies', () => {
  test('when it is loaded and asks a real zone, then the Peppol sandbox (and its dev dependencies) is not loaded', async () => {
    await jest.isolateModulesAsync(async () => {
      for (const m of ['dns-packet', 'selfsigned', 'xml-crypto'])
        jest.doMock(m, () => {
          throw new Error(`${m} was loaded`);
        });
      const { runCli: isolated } = await import('../../src/cli/autoinvoice/main');
      const c = io();
      const stream = Object.assign(new PassThrough(), { isTTY: false });
      // A DNS server that does not answer: the lookup ends unknown, without the sandbox ever being imported.
      const code = await isolated(
        ['peppol', 'lookup', '0106:12345678', '--zone', 'test', '--dns', '127.0.0.1:9', '--timeout', '200'],
        { ...c.io, env: {}, stream },
      );
      expect(code).toBe(1);
      expect(c.out.at(-1)).toMatch(/^answer: {4}unknown \(DNS E[A-Z]+; retry later\)$/);
    });
  }, 30_000);
});
