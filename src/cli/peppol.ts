/**
 * `npm run autoinvoice -- peppol lookup <scheme:value> [--credit-note] [--zone …] [--dns host:port,…] [--ca file]`
 * (and `npm run peppol -- lookup …`, the same command on its own): the Peppol receiver lookup (issue 16) for one
 * identifier, printing the answer and the path it took (DNS name, NAPTR URL, SMP URLs). With neither `--dns` nor
 * `--zone` it runs against the loopback sandbox (sandbox/peppol) with the demo's participants; with `--zone`
 * (`production`, `test` or a zone name) against that SML through the system's DNS servers, or through `--dns`.
 * It runs in the CLI's own process: it asks public DNS and the SMP, no connector, tenant or Exact (decision 0135).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createPeppolDirectory, type PeppolNetworkOptions } from '../adapters/peppol';
import type { ParticipantLookup } from '../app/peppol/ports';
import { isValidPeppolId } from '../domain/addresses';
import { PEPPOL_ZONES, type PeppolDocument } from '../domain/peppol';

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

/** How a finished lookup reports: its exit code (0 a definitive answer, 1 unknown, 2 a usage error). */
export interface LookupCommandOptions {
  done(code: number): void;
  /** Print the lookup as JSON (the autoinvoice CLI's global `--json`). */
  json?: () => boolean;
}

/** Adds `lookup` to `parent` (a `peppol` command), inheriting the parent's output and exit settings. */
export function addPeppolLookup(parent: Command, io: PeppolCliIo, options: LookupCommandOptions): Command {
  parent
    .command('lookup')
    .description('ask the Peppol network whether a participant can receive a BIS Billing 3.0 invoice')
    .argument('<participant>', 'scheme:value, e.g. 0106:12345678')
    .option('--credit-note', 'check the CreditNote document type instead of Invoice')
    .option('--zone <zone>', `SML zone: production (${PEPPOL_ZONES.production}), test, or a zone name`)
    .option(
      '--dns <servers>',
      'DNS servers, host[:port] separated by commas (default with --zone: the system’s)',
    )
    .option('--ca <file>', 'extra CA (PEM) to trust for the SMP, for a test SMP only')
    .option('--timeout <ms>', 'timeout per DNS try and per SMP request', '3000')
    .action(async (participant: string, o: LookupOptions) => {
      options.done(await lookup(participant, o, io, options.json?.() === true));
    });
  return parent;
}

export async function runPeppolCli(argv: string[], io: PeppolCliIo): Promise<number> {
  let code = 0;
  const program = new Command('peppol')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  addPeppolLookup(program, io, { done: (c) => (code = c) });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return code;
}

const ZONE_NAMES: Readonly<Record<string, string>> = PEPPOL_ZONES;

async function lookup(
  participant: string,
  options: LookupOptions,
  io: PeppolCliIo,
  json: boolean,
): Promise<number> {
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
  const real = options.dns !== undefined || options.zone !== undefined;
  // Loaded only when asked for: the sandbox needs dev dependencies (dns-packet, selfsigned, xml-crypto), which an
  // install without them (`npm ci --omit=dev`) lacks; the operator CLI's other commands must not need them.
  const sandbox = real
    ? null
    : await (await import('../../sandbox/peppol')).startPeppolSandbox({ timeoutMs });
  try {
    const network: PeppolNetworkOptions = sandbox
      ? sandbox.directoryOptions()
      : {
          zone: ZONE_NAMES[options.zone ?? 'production'] ?? options.zone!,
          ...(options.dns ? { dnsServers: options.dns.split(',').map((s) => s.trim()) } : {}),
          smpCa: options.ca ? readFileSync(options.ca, 'utf8') : undefined,
          timeoutMs,
        };
    const found = await createPeppolDirectory(network).lookup(participant, document);
    const where = sandbox
      ? `local sandbox (zone ${sandbox.zone})`
      : `zone ${network.zone}${options.dns ? ` via ${options.dns}` : ' via the system’s DNS servers'}`;
    if (json) io.out(JSON.stringify({ network: where, document, ...found }, null, 2));
    else print(found, where, document, io);
    return found.answer.kind === 'unknown' ? 1 : 0;
  } finally {
    await sandbox?.close();
  }
}

function print(found: ParticipantLookup, where: string, document: PeppolDocument, io: PeppolCliIo): void {
  io.out(`network:   ${where}`);
  io.out(`document:  BIS Billing 3.0 ${document === 'creditNote' ? 'CreditNote' : 'Invoice'}`);
  io.out(`DNS name:  ${found.path.dnsName}`);
  io.out(`NAPTR URL: ${found.path.naptrUrl ?? '(none)'}`);
  for (const url of found.path.smpUrls) io.out(`SMP:       ${url}`);
  const detail = found.answer.kind === 'unknown' ? ` (${found.answer.detail}; retry later)` : '';
  io.out(`answer:    ${found.answer.kind}${detail}`);
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
