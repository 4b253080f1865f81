import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsSchema, TenantSettingsSchema } from '../../src/config/settings';
import { block, objectAt, read, readRoot, ROOT, topLevel } from './bicepText';

/** Every setting the code reads is either set by the Bicep or documented as the partner's to set. */
const app = read('app.bicep');
const functionApp = read('modules/functionapp.bicep');
const bicepSettings = new Set([
  ...objectAt(app, 'appSettings').keys(),
  ...topLevel(
    block(functionApp, functionApp.indexOf('properties: union({') + 'properties: union('.length),
  ).keys(),
]);
const tenantSecrets = JSON.parse(
  (/var tenantSecrets = (\[[^\]]*\])/.exec(functionApp)?.[1] ?? '[]').replace(/'/g, '"'),
) as string[];
const functionsCode = readdirSync(join(ROOT, 'functions'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(ROOT, 'functions', f), 'utf8'))
  .join('\n');
const optional = (schema: { safeParse(v: unknown): { success: boolean } }) =>
  schema.safeParse(undefined).success;

/** Rows of a Markdown table under `heading` in `text`: first cell's back-ticked names → the row. */
function tableRows(text: string, heading: string): Map<string, string> {
  const from = text.indexOf(heading);
  if (from < 0) throw new Error(`no section ${heading}`);
  const rows = new Map<string, string>();
  const lines = text.slice(from).split('\n').slice(1);
  let started = false;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      if (started) break;
      continue;
    }
    started = true;
    const first = line.split('|')[1] ?? '';
    let prefix = '';
    for (const [, name] of first.matchAll(/`([^`]+)`/g)) {
      const full = name!.startsWith('__') ? `${prefix}${name}` : name!;
      prefix = full.slice(0, full.lastIndexOf('__'));
      rows.set(full, line);
    }
  }
  return rows;
}

describe('app settings: code ↔ Bicep ↔ documentation', () => {
  const readme = tableRows(readRoot('README.md'), '## Configuration');
  const tenantTable = tableRows(read('README.md'), '### Per-tenant settings');

  test('when a global setting is not set by the Bicep, then it is optional in the schema and documented in the README configuration table', () => {
    const unset = Object.keys(SettingsSchema.shape).filter((k) => k !== 'Tenants' && !bicepSettings.has(k));
    expect(unset.length).toBeGreaterThan(0);
    for (const name of unset) {
      const schema = SettingsSchema.shape[name as keyof typeof SettingsSchema.shape];
      expect([name, optional(schema), readme.has(name)]).toEqual([name, true, true]);
    }
  });

  test('when a tenant setting exists in the schema, then infra/README.md says where it comes from, and says "yes" exactly when the schema requires it', () => {
    expect(Object.keys(TenantSettingsSchema.shape).sort()).toEqual([...tenantTable.keys()].sort());
    for (const [name, schema] of Object.entries(TenantSettingsSchema.shape)) {
      const row = tenantTable.get(name)!;
      const required = / \| yes \| /.test(row);
      const defaultedByBicep = functionApp.includes(`'Tenants__\${t.key}__${name}'`);
      expect([name, required]).toEqual([name, !optional(schema) && !defaultedByBicep]);
    }
  });

  test('when a tenant setting is a secret, then the Bicep sets it as a Key Vault reference and the table names that secret', () => {
    expect(tenantSecrets.sort()).toEqual([
      'ClientSecret',
      'ExactClientSecret',
      'ExactWebhookSecret',
      'WebhookSecret',
    ]);
    expect(functionApp).toContain(
      "'@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${t.key}-${s})'",
    );
    for (const name of tenantSecrets) {
      expect(TenantSettingsSchema.shape).toHaveProperty(name);
      expect(tenantTable.get(name)).toContain(`Key Vault secret \`<name>-${name}\``);
    }
  });

  test('when a function binding names an app setting (%Name%) or a connection, then the Bicep sets it (the host resolves these, not the schema defaults)', () => {
    const expressions = [...functionsCode.matchAll(/'%(\w+)%'/g)].map((m) => m[1]!);
    expect(expressions.length).toBeGreaterThan(0);
    for (const name of expressions) expect([name, bicepSettings.has(name)]).toEqual([name, true]);
    const connections = [...functionsCode.matchAll(/connection: '(\w+)'/g)].map((m) => m[1]!);
    for (const name of connections)
      expect([name, bicepSettings.has(`${name}__fullyQualifiedNamespace`)]).toEqual([name, true]);
  });

  test('when the Bicep sets a connector setting, then the code reads it (a misspelt name would be ignored silently)', () => {
    const connections = [...functionsCode.matchAll(/connection: '(\w+)'/g)].map((m) => `${m[1]}__`);
    for (const name of objectAt(app, 'appSettings').keys()) {
      const known = name in SettingsSchema.shape || connections.some((c) => name.startsWith(c));
      expect([name, known]).toEqual([name, true]);
    }
  });
});
