/**
 * The benchmark's view of its sandboxes, wherever they run: in a child process (default; the connector's
 * CPU and memory are then measured apart from the sandboxes', decision 0101) or in this process
 * (`--in-process`, today's whole-process figures). Every operation is async either way.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { SandboxHost, type SandboxAddresses, type SandboxOps, type SandboxStart } from './sandboxHost';

type Async<T> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never;
};

export interface Sandboxes extends Async<SandboxOps> {
  readonly addresses: SandboxAddresses;
  /** The child's pid, or null in process. */
  readonly pid: number | null;
  close(): Promise<void>;
}

export async function startSandboxes(start: SandboxStart, inProcess: boolean): Promise<Sandboxes> {
  return inProcess ? local(await SandboxHost.start(start)) : child(start);
}

function local(host: SandboxHost): Sandboxes {
  const ops = {} as Async<SandboxOps>;
  for (const op of OPS)
    (ops as Record<string, unknown>)[op] = async (...a: unknown[]) =>
      (host[op] as (...x: unknown[]) => unknown).apply(host, a);
  return { ...ops, addresses: host.addresses, pid: null, close: () => host.close() };
}

const OPS: Array<keyof SandboxOps> = [
  'window',
  'callsOf',
  'rate',
  'http429',
  'row',
  'setLatency',
  'setClock',
  'usage',
];

async function child(start: SandboxStart): Promise<Sandboxes> {
  const proc = fork(path.join(__dirname, 'sandboxChild.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 1;
  const addresses = await new Promise<SandboxAddresses>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`sandbox child exited (${code})`)));
    proc.on('message', (m: { ready?: SandboxAddresses; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) return resolve(m.ready);
      const p = pending.get(m.id!);
      pending.delete(m.id!);
      if (m.error !== undefined) p?.reject(new Error(`sandbox child: ${m.error}`));
      else p?.resolve(m.result);
    });
    proc.send({ start });
  });
  const call = (op: string, args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      proc.send({ id, op, args });
    });
  const ops = {} as Async<SandboxOps>;
  for (const op of OPS) (ops as Record<string, unknown>)[op] = (...a: unknown[]) => call(op, a);
  return {
    ...ops,
    addresses,
    pid: proc.pid ?? null,
    close: async () => {
      proc.removeAllListeners('exit');
      await call('close', []).catch(() => undefined);
    },
  };
}
