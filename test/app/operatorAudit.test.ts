import { audited } from '../../src/app/operator/audit';
import type { AuditEntry } from '../../src/app/operator/ports';

const AT = new Date('2026-12-02T05:00:00Z');

function log() {
  const entries: AuditEntry[] = [];
  return {
    entries,
    deps: {
      clock: { now: () => AT },
      audit: { record: async (e: AuditEntry) => void entries.push(e), list: async () => entries },
    },
  };
}

const action = { who: 'jan@contoso.example', action: 'activate' as const, tenant: 'demo', target: '100003' };

describe('every operator action is audited (decision 0091)', () => {
  test('when an action succeeds, then who, what, when and its counts are recorded as ok', async () => {
    const { entries, deps } = log();
    const result = await audited(
      deps,
      { ...action, detail: { since: '2026-11-25' } },
      async () => 3,
      (n) => ({
        backlog: n,
      }),
    );
    expect(result).toBe(3);
    expect(entries).toEqual([
      { ...action, at: AT, outcome: 'ok', detail: { since: '2026-11-25', backlog: 3 } },
    ]);
  });

  test('when an action fails, then it is recorded as error with the error’s class name only, and the error is rethrown', async () => {
    const { entries, deps } = log();
    class ExactUnavailableError extends Error {
      override name = 'ExactUnavailableError';
    }
    const failing = () => Promise.reject(new ExactUnavailableError('refused for facturen@dehoek.example'));
    await expect(audited(deps, action, failing)).rejects.toThrow(ExactUnavailableError);
    expect(entries).toEqual([
      { ...action, at: AT, outcome: 'error', detail: { error: 'ExactUnavailableError' } },
    ]);
    expect(JSON.stringify(entries)).not.toContain('dehoek');
  });

  test('when the audit cannot be written, then the action’s answer fails instead of going unrecorded', async () => {
    const deps = {
      clock: { now: () => AT },
      audit: { record: () => Promise.reject(new Error('table storage down')), list: async () => [] },
    };
    await expect(audited(deps, action, async () => 'done')).rejects.toThrow('table storage down');
  });
});
