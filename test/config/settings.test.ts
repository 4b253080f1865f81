import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings, SettingsError, settingNames } from '../../src/config/settings';
import { PEPPOL_ZONES } from '../../src/domain/peppol';

const PEM =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA0000000000000000000000000000000000000000000=\n-----END PUBLIC KEY-----';

/** n bytes that are not all the same, base64. */
const varied = (n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256)).toString('base64');

function valid(): Record<string, string> {
  return {
    Mode: 'azure',
    Storage__ConnectionString: 'UseDevelopmentStorage=true',
    ServiceBusConnection:
      'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=very-secret-key',
    LicencePublicKey: PEM,
    TokenEncryptionKey: varied(32),
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

  test('when no Peppol setting is given, then the production SML zone is asked through the system’s DNS servers', () => {
    const s = parseSettings(valid());
    expect(s.PeppolZone).toBe(PEPPOL_ZONES.production);
    expect(s.PeppolDnsServers).toBeUndefined();
    const test = parseSettings({
      ...valid(),
      PeppolZone: PEPPOL_ZONES.test,
      PeppolDnsServers: ' 10.0.0.53, 10.0.0.54:5353 ',
    });
    expect([test.PeppolZone, test.PeppolDnsServers]).toEqual([
      PEPPOL_ZONES.test,
      ['10.0.0.53', '10.0.0.54:5353'],
    ]);
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
    const env = {
      ...valid(),
      TokenEncryptionKey: 'c2hvcnQtc2VjcmV0LWtleQ==',
      Tenants__contoso__OrganizationId: 'not-a-guid',
      Tenants__contoso__WebhookSecret: 'short',
    };
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
    const example = JSON.parse(
      readFileSync(join(__dirname, '../../local.settings.example.json'), 'utf8'),
    ) as { Values: Record<string, string> };
    const documented = Object.keys(example.Values).map((k) =>
      k.replace(/^Tenants__[^_]+__/, 'Tenants__<name>__'),
    );
    for (const name of settingNames()) expect(documented).toContain(name);
  });
});

describe('settings that look present but cannot work', () => {
  const ED25519_PEM = (() => {
    return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  })();

  test.each([
    [
      'all zeros',
      Buffer.alloc(32).toString('base64'),
      /^TokenEncryptionKey: must be 32 random bytes, not one repeated byte/,
    ],
    ['31 bytes', varied(31), /^TokenEncryptionKey: must be 32 bytes, base64-encoded/],
    ['33 bytes', varied(33), /^TokenEncryptionKey: must be 32 bytes, base64-encoded/],
    [
      '48 characters (32 bytes, then more after the padding)',
      `${varied(32)}AAAA`,
      /^TokenEncryptionKey: must be 32 bytes, base64-encoded/,
    ],
  ])('when TokenEncryptionKey is %s, then start-up stops naming it', (_what, value, message) => {
    const list = problems({ ...valid(), LicencePublicKey: ED25519_PEM, TokenEncryptionKey: value });
    expect(list).toEqual([expect.stringMatching(message)]);
    expect(list.join('\n')).not.toContain(value);
  });

  test.each([
    ['a PEM header around garbage', '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----'],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 1024 })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
    ],
  ])('when LicencePublicKey is %s, then start-up stops naming it', (_what, value) => {
    expect(problems({ ...valid(), LicencePublicKey: value })).toEqual([
      expect.stringMatching(/^LicencePublicKey: must be an Ed25519 public key/),
    ]);
  });

  test.each([
    ['a sentence', 'not a connection string', /is not a connection string/],
    [
      'a string without a key',
      'DefaultEndpointsProtocol=https;AccountName=acct;EndpointSuffix=core.windows.net',
      /has no AccountKey and no SharedAccessSignature/,
    ],
    [
      'a string without an account',
      'DefaultEndpointsProtocol=https;AccountKey=a2V5',
      /names no AccountName and no TableEndpoint/,
    ],
  ])('when Storage__ConnectionString is %s, then start-up stops naming it', (_what, value, message) => {
    const list = problems({ ...valid(), LicencePublicKey: ED25519_PEM, Storage__ConnectionString: value });
    expect(list).toEqual([expect.stringMatching(/^Storage__ConnectionString: /)]);
    expect(list[0]).toMatch(message);
  });

  test.each([
    ['the development storage', 'UseDevelopmentStorage=true'],
    [
      'an account key',
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net',
    ],
    [
      'a SAS token with a table endpoint',
      'TableEndpoint=https://acct.table.core.windows.net/;SharedAccessSignature=sv=2024&sig=x',
    ],
    ['a table endpoint URL', 'https://acct.table.core.windows.net/'],
  ])('when Storage__ConnectionString is %s, then it is accepted', (_what, value) => {
    expect(problems({ ...valid(), LicencePublicKey: ED25519_PEM, Storage__ConnectionString: value })).toEqual(
      [],
    );
  });
});
