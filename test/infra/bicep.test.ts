import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { settingNames } from '../../src/config/settings';

// No offline Bicep compiler exists on the build machine: these checks pin the structure users rely on.
const dir = join(__dirname, '../../infra');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const files = ['main.bicep', ...readdirSync(join(dir, 'modules')).map((f) => `modules/${f}`)];

describe('infra/main.bicep', () => {
  test('when deployed, then the dispatch queue has sessions, duplicate detection and 10 deliveries before dead-letter', () => {
    const sb = read('modules/servicebus.bicep');
    expect(sb).toMatch(/name: 'dispatch'[\s\S]*requiresSession: true/);
    expect(sb).toMatch(/requiresDuplicateDetection: true/);
    expect(sb).toMatch(/maxDeliveryCount: 10/);
    expect(sb).toMatch(/sku: \{ name: 'Standard'/);
  });

  test('when deployed, then shared keys are off and the app reaches storage and Service Bus by managed identity', () => {
    expect(read('modules/storage.bicep')).toMatch(/allowSharedKeyAccess: false/);
    expect(read('modules/servicebus.bicep')).toMatch(/disableLocalAuth: true/);
    expect(read('main.bicep')).toMatch(/ServiceBusConnection__fullyQualifiedNamespace/);
    expect(read('main.bicep')).toMatch(/ManagedIdentityClientId: identity.outputs.clientId/);
    expect(read('modules/keyvault.bicep')).toMatch(/enableRbacAuthorization: true/);
  });

  test('when the app settings are assembled, then every global setting the connector requires without a default is provided', () => {
    for (const name of ['Storage__ConnectionString', 'LicencePublicKey', 'TokenEncryptionKey', 'DispatchQueueName']) {
      expect(settingNames()).toContain(name);
      expect(read('main.bicep')).toContain(`${name}:`);
    }
  });

  test.each(files)('when %s is read, then its braces, brackets and parentheses balance', (file) => {
    const text = read(file).replace(/'[^'\n]*'/g, "''").replace(/\/\/.*$/gm, '');
    for (const [o, c] of [['{', '}'], ['[', ']'], ['(', ')']]) {
      expect(text.split(o!).length).toBe(text.split(c!).length);
    }
  });
});
