/**
 * `npm run peppol -- lookup <scheme:value> [--credit-note] [--zone …] [--dns host:port,…] [--ca file]`:
 * the Peppol receiver lookup (issue 16) for one identifier, printing the answer and the path it took (DNS
 * name, NAPTR URL, SMP URLs). Without `--dns` it runs against the loopback sandbox (sandbox/peppol) with the
 * demo's participants; with `--dns` (and `--zone`, production by default) against that network.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createPeppolDirectory, type PeppolNetworkOptions } from '../adapters/peppol';
import { isValidPeppolId } from '../domain/addresses';
import { PEPPOL_ZONES, type PeppolDocument } from '../domain/peppol';
import { startPeppolSandbox } from '../../sandbox/peppol';

export interface PeppolCliIo {
  out(line: string): void;
  err(line: string): void;
}

interface LookupOptions {
  creditNote?: boolean;
  zone?: string;
  dns?: string;
  ca?: string;
  timeout?: string;
}

export async function runPeppolCli(argv: string[], io: PeppolCliIo): Promise<number> {
  let code = 0;
  const program = new Command('peppol')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program
    .command('lookup')
    .description('ask the Peppol network whether a participant can receive a BIS Billing 3.0 invoice')
    .argument('<participant>', 'scheme:value, e.g. 0106:12345678')
    .option('--credit-note', 'check the CreditNote document type instead of Invoice')
    .option('--zone <zone>', `SML zone (default with --dns: ${PEPPOL_ZONES.production})`)
    .option('--dns <servers>', 'DNS servers, host[:port] separated by commas (default: the local sandbox)')
    .option('--ca <file>', 'extra CA (PEM) to trust for the SMP, for a test SMP only')
    .option('--timeout <ms>', 'timeout per DNS try and per SMP request', '3000')
    .action(async (participant: string, options: LookupOptions) => {
      code = await lookup(participant, options, io);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return code;
}

async function lookup(participant: string, options: LookupOptions, io: PeppolCliIo): Promise<number> {
  if (!isValidPeppolId(participant)) {
    io.err(`peppol: "${participant}" is not of the form scheme:value (e.g. 0106:12345678)`);
    return 2;
  }
  const document: PeppolDocument = options.creditNote ? 'creditNote' : 'invoice';
  const timeoutMs = Number(options.timeout ?? 3000);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    io.err(`peppol: --timeout must be a number of milliseconds`);
    return 2;
  }
  const sandbox = options.dns ? null : await startPeppolSandbox({ timeoutMs });
  try {
    const network: PeppolNetworkOptions = sandbox
      ? sandbox.directoryOptions()
      : {
          zone: options.zone ?? PEPPOL_ZONES.production,
          dnsServers: options.dns!.split(',').map((s) => s.trim()),
          smpCa: options.ca ? readFileSync(options.ca, 'utf8') : undefined,
          timeoutMs,
        };
    const found = await createPeppolDirectory(network).lookup(participant, document);
    io.out(`network:   ${sandbox ? `local sandbox (zone ${sandbox.zone})` : `zone ${network.zone}`}`);
    io.out(`document:  BIS Billing 3.0 ${document === 'creditNote' ? 'CreditNote' : 'Invoice'}`);
    io.out(`DNS name:  ${found.path.dnsName}`);
    io.out(`NAPTR URL: ${found.path.naptrUrl ?? '(none)'}`);
    for (const url of found.path.smpUrls) io.out(`SMP:       ${url}`);
    const detail = found.answer.kind === 'unknown' ? ` (${found.answer.detail}; retry later)` : '';
    io.out(`answer:    ${found.answer.kind}${detail}`);
    return found.answer.kind === 'unknown' ? 1 : 0;
  } finally {
    await sandbox?.close();
  }
}

if (require.main === module) {
  runPeppolCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`peppol: ${err instanceof Error ? err.message : 'failed'}\n`);
      process.exitCode = 1;
    },
  );
}
