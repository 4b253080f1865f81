import { settingNames } from '../../src/config/settings';
import { DISPATCH_MAX_DELIVERY_COUNT, QUEUES } from '../../src/config/queueLimits';
import { bicepFiles, moduleParams, objectAt, params, read, readRoot, resources } from './bicepText';

// No offline Bicep compiler exists on the build machine: these checks pin the structure users rely on.
const { $comment: _, ...queueJson } = JSON.parse(read('queue.json')) as typeof QUEUES & { $comment: string };
const byType = (file: string, type: string) => resources(read(file)).filter((r) => r.type === type);

describe('infra/*.bicep', () => {
  test('when deployed, then the dispatch queue has sessions, duplicate detection and 10 deliveries before dead-letter', () => {
    expect(queueJson.dispatch).toMatchObject({
      requiresSession: true,
      requiresDuplicateDetection: true,
      duplicateDetectionHistoryTimeWindow: 'PT10M',
      maxDeliveryCount: 10,
    });
    const sb = read('modules/servicebus.bicep');
    expect(sb).toMatch(/var queues = loadJsonContent\('\.\.\/queue\.json'\)/);
    expect(sb).toMatch(/sku: \{ name: 'Standard'/);
    const [dispatch] = byType('modules/servicebus.bicep', 'Microsoft.ServiceBus/namespaces/queues').filter(
      (q) => q.body.includes("name: 'dispatch'"),
    );
    for (const key of Object.keys(queueJson.dispatch))
      expect(dispatch!.body).toContain(`${key}: queues.dispatch.${key}`);
  });

  test('when the TypeScript reads the queue limits, then they are the values the Bicep deploys (one file, infra/queue.json)', () => {
    expect(QUEUES).toEqual(queueJson);
    const [events] = byType('modules/servicebus.bicep', 'Microsoft.ServiceBus/namespaces/queues').filter(
      (q) => q.body.includes("name: 'dataverse-events'"),
    );
    for (const key of Object.keys(queueJson.dataverseEvents))
      expect(events!.body).toContain(`${key}: queues.dataverseEvents.${key}`);
  });

  test('when the dispatch worker counts deliveries, then it gives up on the delivery the broker dead-letters after', async () => {
    const { workerDeps } = await import('../../src/composition/runtime');
    const rt = { settings: { DispatchLeaseMs: 1 }, log: {} } as unknown as Parameters<typeof workerDeps>[0];
    const tenant = { context: {} } as unknown as Parameters<typeof workerDeps>[1];
    expect(workerDeps(rt, tenant).maxDeliveryCount).toBe(DISPATCH_MAX_DELIVERY_COUNT);
    expect(DISPATCH_MAX_DELIVERY_COUNT).toBe(queueJson.dispatch.maxDeliveryCount);
  });

  test('when deployed, then shared keys are off for storage and the app reaches storage and Service Bus by managed identity', () => {
    expect(read('modules/storage.bicep')).toMatch(/allowSharedKeyAccess: false/);
    const settings = objectAt(read('app.bicep'), 'appSettings');
    expect(settings.get('ServiceBusConnection__credential')).toBe("'managedidentity'");
    expect(settings.get('ServiceBusConnection__fullyQualifiedNamespace')).toBe(
      'serviceBus.outputs.namespaceHost',
    );
    expect(settings.get('ManagedIdentityClientId')).toBe('identity.outputs.clientId');
    expect(settings.has('ServiceBusConnection')).toBe(false);
    expect(read('modules/keyvault.bicep')).toMatch(/enableRbacAuthorization: true/);
  });

  test('when Dataverse needs a shared access key, then local auth is on but the only rule is Send on dataverse-events, kept in Key Vault', () => {
    const sb = read('modules/servicebus.bicep');
    expect(sb).toMatch(/disableLocalAuth: false/);
    const rules = resources(sb).filter((r) => r.type.endsWith('/authorizationRules'));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.body).toMatch(/parent: events/);
    expect(rules[0]!.body).toMatch(/rights: \['Send'\]/);
    const [secret] = byType('modules/servicebus.bicep', 'Microsoft.KeyVault/vaults/secrets');
    expect(secret!.body).toContain(`value: ${rules[0]!.symbol}.listKeys().primaryConnectionString`);
    // The connection string never leaves through an output.
    for (const file of bicepFiles()) expect(read(file)).not.toMatch(/^output .*listKeys/m);
  });

  test('when the token encryption key is needed, then no template declares or carries it: the postprovision hook creates it once', () => {
    for (const file of bicepFiles()) {
      const secrets = resources(read(file)).filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets');
      for (const s of secrets) expect(s.body).not.toContain('token-encryption-key');
      expect(read(file)).not.toMatch(/newGuid\(\)/);
    }
    expect(objectAt(read('app.bicep'), 'appSettings').get('TokenEncryptionKey')).toBe(
      "'@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=token-encryption-key)'",
    );
    expect(readRoot('azure.yaml')).toMatch(/postprovision:[\s\S]*run: node infra\/hooks\/token-key\.js/);
  });

  test('when azd deploys, then the function app carries the azd-service-name of azure.yaml and the resource group the azd-env-name', () => {
    expect(read('main.bicep')).toMatch(/^targetScope = 'subscription'$/m);
    expect(read('main.bicep')).toMatch(/var tags = \{ 'azd-env-name': environmentName \}/);
    expect(moduleParams(read('app.bicep'), 'functionApp').get('tags')).toBe(
      "union(tags, { 'azd-service-name': 'api' })",
    );
    expect(readRoot('azure.yaml')).toMatch(/^services:\n {2}api:\n/m);
  });

  test('when azd reads infra/main.parameters.json, then it sets exactly the parameters main.bicep declares, and every one without a default', () => {
    const declared = params(read('main.bicep'));
    const file = JSON.parse(read('main.parameters.json')) as { parameters: Record<string, unknown> };
    const given = Object.keys(file.parameters);
    for (const name of given) expect(declared.has(name)).toBe(true);
    for (const [name, hasDefault] of declared) if (!hasDefault) expect(given).toContain(name);
  });

  test.each(['main.bicep', 'app.bicep'])(
    'when %s calls a module, then it passes every parameter the module requires and none it does not declare',
    (file) => {
      const caller = read(file);
      const calls = [...caller.matchAll(/^module (\w+) '([^']+)'/gm)];
      expect(calls.length).toBeGreaterThan(0);
      for (const m of calls) {
        const declared = params(read(m[2]!));
        const given = moduleParams(caller, m[1]!);
        expect(given.size).toBeGreaterThan(0);
        for (const name of given.keys()) expect([m[2], declared.has(name)]).toEqual([m[2], true]);
        for (const [name, hasDefault] of declared)
          if (!hasDefault) expect([m[2], name, given.has(name)]).toEqual([m[2], name, true]);
      }
    },
  );

  test('when the app settings are assembled, then every global setting the connector requires without a default is provided', () => {
    const settings = objectAt(read('app.bicep'), 'appSettings');
    for (const name of [
      'Storage__ConnectionString',
      'LicencePublicKey',
      'TokenEncryptionKey',
      'DispatchQueueName',
    ]) {
      expect(settingNames()).toContain(name);
      expect(settings.has(name)).toBe(true);
    }
  });

  test('when deployed, then people sign in to the console with Entra ID, the functions still accept anonymous callers, and the connector gets the issuer, audience and keys to verify tokens with', () => {
    const app = read('app.bicep');
    const auth = resources(app).find((r) => r.type === 'Microsoft.Web/sites/config')!;
    expect(auth.body).toMatch(/name: 'authsettingsV2'/);
    expect(auth.body).toMatch(/requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous'/);
    expect(auth.body).toMatch(/registration: \{ clientId: consoleClientId, openIdIssuer: consoleIssuer \}/);
    const settings = objectAt(app, 'appSettings');
    for (const name of ['ConsoleAuth__Issuer', 'ConsoleAuth__Audience', 'ConsoleAuth__JwksUrl']) {
      expect(settingNames()).toContain(name);
      expect(settings.has(name)).toBe(true);
    }
    expect(settings.get('ConsoleAuth__JwksUrl')).toMatch(/discovery\/v2\.0\/keys'$/);
  });

  test.each(bicepFiles())('when %s is read, then its braces, brackets and parentheses balance', (file) => {
    const text = read(file)
      .replace(/'[^'\n]*'/g, "''")
      .replace(/\/\/.*$/gm, '');
    for (const [o, c] of [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ]) {
      expect(text.split(o!).length).toBe(text.split(c!).length);
    }
  });
});
