import '../../src/local/quietTestMode';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/local/stack';
import { createLogger, type LogLevel } from '../../src/composition/log';

/** Captured log lines of a stack (for secret scans and assertions). */
export interface CapturedLog {
  lines: Array<{ level: LogLevel; line: string }>;
}

/**
 * One local stack (Azurite, sandboxes, in-process queue, real runtime) per test file.
 * `useLocalStack()` registers beforeAll/afterAll; read `.stack` inside tests.
 */
export function useLocalStack(options: LocalStackOptions = {}): {
  readonly stack: LocalStack;
  readonly log: CapturedLog;
} {
  let stack: LocalStack | undefined;
  const log: CapturedLog = { lines: [] };
  beforeAll(async () => {
    stack = await startLocalStack({
      log: createLogger((level, line) => log.lines.push({ level, line }), 'debug'),
      onDispatch: () => undefined,
      ...options,
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);
  return {
    get stack() {
      if (!stack) throw new Error('local stack not started');
      return stack;
    },
    log,
  };
}
