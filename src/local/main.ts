/**
 * `npm start`: the whole connector in one process (PRODUCT.md §10). HTTP endpoints on 127.0.0.1:7071/api/…,
 * the in-process queue feeding the real dispatch worker, the sweep timer, Table Storage. Against the built-in
 * sandboxes (the demo), or against the Dataverse and Exact that `local.settings.json` or the environment name
 * (decision 0066). Prints one line per invoice and a summary, then keeps serving.
 * `npm start -- --dry-run` decides every open invoice and prints, without printing in Exact or writing, and stops.
 */
import './quietTestMode';
import { startLocal } from './start';

const SWEEP_INTERVAL_MS = 5 * 60_000;

async function main(): Promise<void> {
  const dryRun = process.argv.slice(2).includes('--dry-run');
  const local = await startLocal({
    cwd: process.cwd(),
    env: process.env,
    out: (line) => console.log(line),
    dryRun,
  });
  if (dryRun) {
    console.log('\nDry run: nothing was printed in Exact and nothing was written. Stopping.');
    await local.stop();
    process.exit(0);
  }
  console.log(`\nServing on ${local.url}/api/ — sweep every 5 minutes. Ctrl-C stops everything.`);

  const timer = setInterval(() => void local.sweep(), SWEEP_INTERVAL_MS);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the connector, sandboxes and Azurite …`);
    clearInterval(timer);
    await local.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`AutoInvoice could not start: ${err.message}`);
  process.exit(1);
});
