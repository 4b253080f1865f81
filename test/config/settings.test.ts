import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings, SettingsError, settingNames } from '../../src/config/settings';

const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA0000000000000000000000000000000000000000000=\n-----END PUBLIC KEY-----';

function valid(): Record<string, string> {
  return {
    Mode: 'azure',
    Storage__ConnectionString: 'UseDevelopmentStorage=true',
    ServiceBusConnection: 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=very-secret-key',
    LicencePublicKey: PEM,
    TokenEncryptionKey: Buffer.alloc(32, 7).toString('base64'),
    Tenants__contoso__OrganizationId: '045b6c90-0e82-4717-a5bc-4117c840959b',
    Tenants__contoso__DataverseUrl: 'https://contoso.crm4.dynamics.com/',
    Tenants__contoso__Authority: 'https://login.microsoftonline.com/11111111-1111-4111-8111-111111111111',
    Tenants__contoso__ClientId: 'client',
    Tenants__contoso__ClientSecret: 'a-client-secret-value',
    Tenants__contoso__WebhookSecret: 'a-long-webhook-secret',
    Tenants__contoso__ExactClientId: 'exact-client',
    Tenants__contoso__ExactClientSecret: 'an-exact-secret-value',
    Tenants__contoso__ExactRedirectUri: 'https://app.example/api/exact/callback',
  };
}

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseSettings(env);
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  return [];
}

describe('settings', () => {
  test('when every required setting is present, then they parse with defaults and nested tenants', () => {
    const s = parseSettings(valid());
    expect(s.DispatchQueueName).toBe('dispatch');
    expect(s.DispatchLeaseMs).toBe(120_000);
    expect(s.Tenants.contoso?.ExactRegion).toBe('nl');
    expect(s.Tenants.contoso?.WebhookSecret).toBe('a-long-webhook-secret');
  });

  test.each([
    ['Storage__ConnectionString', /^Storage__ConnectionString: is missing$/],
    ['LicencePublicKey', /^LicencePublicKey: is missing$/],
    ['Tenants__contoso__ClientSecret', /^Tenants__contoso__ClientSecret: is missing$/],
    ['ServiceBusConnection', /^ServiceBusConnection: is missing/],
  ])('when %s is missing, then start-up stops with a message naming it', (name, message) => {
    const env = valid();
    delete env[name];
    expect(problems(env)).toEqual([expect.stringMatching(message)]);
  });

  test('when no tenant is configured, then the message says how to configure one', () => {
    const env = Object.fromEntries(Object.entries(valid()).filter(([k]) => !k.startsWith('Tenants__')));
    expect(problems(env).join('\n')).toMatch(/Tenants: at least one tenant/);
  });

  test('when values are invalid, then each problem names the setting and never echoes the value', () => {
    const env = { ...valid(), TokenEncryptionKey: 'c2hvcnQtc2VjcmV0LWtleQ==', Tenants__contoso__OrganizationId: 'not-a-guid', Tenants__contoso__WebhookSecret: 'short' };
    const list = problems(env);
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^TokenEncryptionKey: must be 32 bytes/),
        expect.stringMatching(/^Tenants__contoso__OrganizationId: must be a GUID/),
        expect.stringMatching(/^Tenants__contoso__WebhookSecret: /),
      ]),
    );
    expect(list.join('\n')).not.toContain('c2hvcnQtc2VjcmV0LWtleQ==');
    expect(list.join('\n')).not.toContain('short"');
  });

  test('when local.settings.example.json is read, then it documents every setting the schema knows', () => {
    const example = JSON.parse(readFileSync(join(__dirname, '../../local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
    const documented = Object.keys(example.Values).map((k) => k.replace(/^Tenants__[^_]+__/, 'Tenants__<name>__'));
    for (const name of settingNames()) expect(documented).toContain(name);
  });
});
