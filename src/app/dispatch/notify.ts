/** Step 8 — notify: each failure once; many failures of one administration together as one digest. */
import type { FailureNotice, Notifier } from '../ports';

export async function notifyFailures(notifier: Notifier, failures: FailureNotice[]): Promise<void> {
  const byAdmin = new Map<string, FailureNotice[]>();
  for (const f of failures)
    byAdmin.set(f.administration.id, [...(byAdmin.get(f.administration.id) ?? []), f]);
  for (const list of byAdmin.values()) {
    if (list.length === 1) await notifier.notifyFailure(list[0]!);
    else await notifier.notifyDigest(list[0]!.administration, list);
  }
}
