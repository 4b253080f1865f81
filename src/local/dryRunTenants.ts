/** `npm start -- --dry-run`: the dry-run use case for every tenant connected to Exact (decision 0066). */
import { dryRun } from '../app/dryRun';
import type { DispatchLine } from '../app/dispatch';
import type { BuiltRuntime } from '../composition/createRuntime';
import { redact } from '../composition/log';
import type { Out } from './console';

export async function dryRunTenants(
  runtime: BuiltRuntime,
  report: (line: DispatchLine) => void,
  out: Out,
): Promise<void> {
  for (const t of runtime.tenants) {
    if (!(await t.connection.isConnected())) {
      out(`${t.name.padEnd(10)} not decided: not connected to Exact`);
      continue;
    }
    try {
      await dryRun(
        {
          tenant: t.context,
          exact: t.exact,
          records: t.records,
          directory: t.directory,
          ledger: runtime.ledger,
          clock: runtime.clock,
          peppol: runtime.peppol,
        },
        report,
      );
    } catch (err) {
      out(`${t.name.padEnd(10)} dry run stopped: ${redact((err as Error).message)}`);
    }
  }
}
