import { read } from './bicepText';

/**
 * The alert rules and the workbook query custom telemetry by name; those names live in infra/telemetry.json
 * (decision 0062). A query naming an event, metric or dimension that is not there would never fire or show.
 */
interface Names {
  events: Record<string, string>;
  dimensions: Record<string, string>;
  metrics: Record<string, string>;
  reasons: Record<string, string>;
  licenceNoticeDays: number;
}
const names = JSON.parse(read('telemetry.json')) as Names;
const workbook = JSON.parse(read('workbook.json')) as {
  version: string;
  items: Array<{ type: number; name: string; content: { query?: string } }>;
};
const queries = workbook.items.flatMap((i) =>
  i.content.query ? [{ name: i.name, query: i.content.query }] : [],
);

const usedNames = (q: string) => ({
  events: [...q.matchAll(/customEvents \| where name == "(\w+)"/g)].map((m) => m[1]!),
  metrics: [...q.matchAll(/customMetrics \| where name == "(\w+)"/g)].map((m) => m[1]!),
  dimensions: [...q.matchAll(/customDimensions\.(\w+)/g)].map((m) => m[1]!),
});

describe('infra/telemetry.json ↔ alerts and workbook', () => {
  test('when the workbook is deployed, then it is a Notebook/1.0 with a query for each figure of issue 19', () => {
    expect(workbook.version).toBe('Notebook/1.0');
    const metrics = queries.flatMap((q) => usedNames(q.query).metrics);
    for (const m of ['exactCallsPerInvoice', 'exact429', 'queueLagSeconds'])
      expect(metrics).toContain(names.metrics[m]);
    expect(
      queries.some((q) => /outcome in \("sent", "failed"\)[\s\S]*by outcome, reason/.test(q.query)),
    ).toBe(true);
  });

  test('when a workbook query names telemetry, then the name is one telemetry.json declares', () => {
    for (const { name, query } of queries) {
      const used = usedNames(query);
      expect(used.events.length + used.metrics.length).toBeGreaterThan(0);
      for (const e of used.events)
        expect([name, Object.values(names.events)]).toEqual([name, expect.arrayContaining([e])]);
      for (const m of used.metrics)
        expect([name, Object.values(names.metrics)]).toEqual([name, expect.arrayContaining([m])]);
      for (const d of used.dimensions)
        expect([name, Object.values(names.dimensions)]).toEqual([name, expect.arrayContaining([d])]);
    }
  });

  test('when the alerts are deployed, then the log alerts take every name from telemetry.json and cover failed invoices, a lost connection and licence expiry', () => {
    const alerts = read('modules/alerts.bicep');
    expect(alerts).toMatch(/var t = loadJsonContent\('\.\.\/telemetry\.json'\)/);
    // No telemetry name is typed into a query by hand.
    const literal = [
      ...Object.values(names.events),
      ...Object.values(names.metrics),
      names.reasons.connectionLost!,
    ];
    for (const n of literal) expect(alerts).not.toContain(`"${n}"`);
    for (const key of ['failed-invoices', 'exact-connection-lost', 'licence-expiring'])
      expect(alerts).toContain(`key: '${key}'`);
    expect(alerts).toContain('t.metrics.licenceDaysLeft');
    expect(alerts).toContain('<= ${t.licenceNoticeDays}');
    expect(alerts).toContain("metricName: 'DeadletteredMessages'");
    expect(alerts).toMatch(/actions: \{ actionGroups: \[group\.id\] \}/);
    expect(alerts).toMatch(/actions: \[\{ actionGroupId: group\.id \}\]/);
  });

  test('when a licence expiry is announced, then the alert uses the same notice period as the licence rule (14 days, PRODUCT.md §9)', async () => {
    const { LICENCE_NOTICE_DAYS } = await import('../../src/domain/licence');
    expect(names.licenceNoticeDays).toBe(LICENCE_NOTICE_DAYS);
  });

  test('when an alert filters on a reason, then it is a reason code the connector writes', async () => {
    const { ALL_REASONS } = await import('../../src/domain/reasons');
    for (const reason of Object.values(names.reasons)) expect(ALL_REASONS).toContain(reason);
  });
});
