/**
 * `npm run autoinvoice -- <command>` (issue 18): the operator's CLI over the operator API of a running
 * connector — local (`npm start`, loopback) or in Azure (`--token`, an Entra ID access token with the role
 * AutoInvoice.Operator). One code path for both; `--json` prints the API's answer instead of text.
 */
import { Command, CommanderError } from 'commander';
import { addPeppolLookup } from '../peppol';
import { ApiError, client, type Connection } from './client';
import { commands, type CliIo } from './commands';

export type { CliIo } from './commands';

export interface Globals {
  url: string;
  token?: string;
  tenant?: string;
  json?: boolean;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('autoinvoice')
    .description('Operate a running AutoInvoice connector (its operator API).')
    .option('--url <url>', 'the connector', io.env.AUTOINVOICE_URL ?? 'http://127.0.0.1:7071')
    .option('--token <token>', 'Entra ID access token (Azure); default $AUTOINVOICE_TOKEN')
    .option('--tenant <name>', 'tenant (default: the first configured)')
    .option('--json', 'print the answer as JSON')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const api = () => {
    const g = program.opts<Globals>();
    const token = g.token ?? io.env.AUTOINVOICE_TOKEN;
    const c: Connection = {
      url: g.url,
      ...(token ? { token } : {}),
      ...(g.tenant ? { tenant: g.tenant } : {}),
    };
    return { api: client(c), json: g.json === true, io };
  };
  commands(program, api);
  // The Peppol lookup asks the network from this process, not the operator API (decision 0135).
  let code = 0;
  const peppol = program.command('peppol').description('the Peppol receiver lookup (no connector needed)');
  addPeppolLookup(peppol, io, { done: (c) => (code = c), json: () => program.opts<Globals>().json === true });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof ApiError) {
      io.err(err.message);
      return 1;
    }
    io.err(`autoinvoice: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  // `… | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  void runCli(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
    stream: process.stderr,
  }).then((code) => (process.exitCode = code));
}
