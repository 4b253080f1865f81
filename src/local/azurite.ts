/**
 * Starts the Azurite Table service as a child process for local runs and tests.
 * Only the table service: the connector uses Table Storage (ledger, token store); Service Bus has
 * no emulator here, so blob/queue would only cost start-up time and ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Azurite's well-known development account key (public, documented by Microsoft; not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** `node -e` leaves argv as [node, main, ...flags], exactly what Azurite's parser expects. */
const EXIT_WITH_PARENT = "process.on('disconnect', () => process.exit(0)); require(process.argv[1]);";

export interface AzuriteOptions {
  /** Fixed port; default: a free port chosen by the OS. */
  port?: number;
  /** Default true: Azurite's output is not forwarded to this process. */
  silent?: boolean;
  /** How long to wait for the port to open; default 30 s (a busy CI machine can be slow). */
  startTimeoutMs?: number;
}

export interface RunningAzurite {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

export function azuriteConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`
  );
}

export async function startAzurite(opts: AzuriteOptions = {}): Promise<RunningAzurite> {
  // Picking a free port then handing it over is racy; a fixed port is taken as given, a chosen one is retried.
  const attempts = opts.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = opts.port ?? (await freePort());
    try {
      return await launch(port, opts);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function launch(port: number, opts: AzuriteOptions): Promise<RunningAzurite> {
  const root = path.dirname(require.resolve('azurite/package.json'));
  const main = path.join(root, 'dist', 'src', 'table', 'main.js');
  // --location is refused with --inMemoryPersistence; a private cwd keeps any stray file out of the repo.
  const location = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
  const args = [
    main,
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(port),
    '--inMemoryPersistence',
    '--disableTelemetry',
    '--skipApiVersionCheck',
  ];
  const silent = opts.silent ?? true;
  if (silent) args.push('--silent');
  // Run Azurite behind a one-line wrapper holding an IPC channel to us: when this process dies in any way
  // (SIGKILL of a jest worker included, where no 'exit' handler runs) the channel closes and Azurite exits.
  const child = spawn(process.execPath, ['-e', EXIT_WITH_PARENT, ...args], {
    cwd: location,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (!silent) {
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
  } else {
    // Drain so a chatty child never blocks on a full pipe.
    child.stdout?.resume();
  }
  // Keep the tail of stderr: when Azurite refuses to start, its reason is the useful part of our error.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-1000);
  });

  // Belt and braces with the IPC channel: a normal exit kills it synchronously.
  const killOnExit = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const cleanup = (): void => {
    process.removeListener('exit', killOnExit);
    fs.rmSync(location, { recursive: true, force: true });
  };

  try {
    await waitForPort(child, port, opts.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stopChild(child);
    cleanup();
    const detail = stderrTail.trim();
    throw detail ? new Error(`${(err as Error).message}: ${detail}`, { cause: err }) : err;
  }

  let stopped: Promise<void> | undefined;
  return {
    connectionString: azuriteConnectionString(port),
    port,
    stop: () => {
      stopped ??= stopChild(child).then(cleanup);
      return stopped;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      child.removeListener('exit', onExit);
      if (err) reject(err);
      else resolve();
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`azurite exited before listening (code ${code})`));
    child.once('exit', onExit);
    const probe = (): void => {
      if (done) return;
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        finish();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline)
          finish(new Error(`azurite did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`));
        else setTimeout(probe, 100);
      });
    };
    probe();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
