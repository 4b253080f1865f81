/**
 * Cold start of the functions bundle: a fresh node process requires every dist/functions/*.js (what the
 * Functions host does on a cold instance before the first invocation) and reports how long that took.
 * The runtime itself is built lazily on the first invocation, so it is not part of this figure.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { median } from './stats';

const SCRIPT = `
const t0 = process.hrtime.bigint();
const fs = require('fs'), path = require('path');
const dir = process.argv[1];
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) require(path.join(dir, f));
process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
`;

export function measureColdStart(runs: number): { requireMs: number; processMs: number; runs: number } {
  const dir = path.resolve(__dirname, '../../functions');
  const requires: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const out = execFileSync(process.execPath, ['-e', SCRIPT, dir], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    }).toString();
    processes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    requires.push((JSON.parse(out) as { ms: number }).ms);
  }
  return { requireMs: median(requires), processMs: median(processes), runs };
}
