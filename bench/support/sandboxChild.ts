/**
 * Child-process entry of the benchmark's sandboxes (forked by `sandboxes.ts`): starts a SandboxHost from
 * the first IPC message, answers with its addresses, then serves the host's operations one message each.
 * A new entry file, so no sandbox file changes to run out of process.
 */
import '../../src/local/quietTestMode';
import { SandboxHost, type SandboxOps, type SandboxStart } from './sandboxHost';

type Call = { id: number; op: keyof SandboxOps | 'close'; args: unknown[] };

let host: SandboxHost | undefined;

process.on('message', (msg: { start?: SandboxStart } & Partial<Call>) => {
  void (async () => {
    if (msg.start) {
      host = await SandboxHost.start(msg.start);
      return process.send!({ ready: host.addresses });
    }
    const { id, op, args = [] } = msg as Call;
    try {
      if (!host) throw new Error('sandboxes not started');
      if (op === 'close') {
        await host.close();
        process.send!({ id, result: null }, () => process.exit(0));
        return;
      }
      const fn = host[op] as (...a: unknown[]) => unknown;
      process.send!({ id, result: (await fn.apply(host, args)) ?? null });
    } catch (err) {
      process.send!({ id, error: err instanceof Error ? err.message : String(err) });
    }
  })().catch((err: unknown) => {
    console.error(`sandbox child: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
