import type { AuditEntry, OperatorDeps } from './ports';

type Action = Omit<AuditEntry, 'at' | 'outcome' | 'detail'> & { detail?: AuditEntry['detail'] };

/**
 * Runs an operator action and audits it (who, what, when, how it ended): a failed action is recorded as
 * `error` with its error's name (never its message, which may carry data) and then rethrown.
 */
export async function audited<T>(
  deps: Pick<OperatorDeps, 'audit' | 'clock'>,
  action: Action,
  run: () => Promise<T>,
  summary: (result: T) => AuditEntry['detail'] = () => ({}),
): Promise<T> {
  const at = deps.clock.now();
  try {
    const result = await run();
    await deps.audit.record({
      ...action,
      at,
      outcome: 'ok',
      detail: { ...action.detail, ...summary(result) },
    });
    return result;
  } catch (err) {
    const error = err instanceof Error ? err.name : 'Error';
    await deps.audit.record({ ...action, at, outcome: 'error', detail: { ...action.detail, error } });
    throw err;
  }
}
