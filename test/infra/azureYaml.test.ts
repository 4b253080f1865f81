import { validate } from './jsonSchema';
import { parseYamlSubset } from './yamlSubset';
import { read, readRoot } from './bicepText';
import schema from './azd-schema.subset.json';

const azureYaml = parseYamlSubset(readRoot('azure.yaml'));

describe('azure.yaml', () => {
  test("when azd reads azure.yaml, then it satisfies azd's published schema (checked-in subset, no network)", () => {
    expect(validate(schema, azureYaml)).toEqual([]);
  });

  test('when the schema subset is applied to files azd refuses, then it reports them (the check can fail)', () => {
    expect(validate(schema, { name: 'AutoInvoice' })).toEqual([expect.stringContaining('must match')]);
    expect(
      validate(schema, { name: 'autoinvoice', services: { api: { host: 'function', language: 'js' } } }),
    ).toEqual(['$.services.api: project is required']);
    expect(validate(schema, { name: 'autoinvoice', hooks: { afterprovision: { run: 'x' } } })).toEqual([
      '$.hooks.afterprovision: not allowed',
    ]);
    expect(
      validate(schema, { name: 'autoinvoice', hooks: { postprovision: { shell: 'bash', run: 'x' } } }).length,
    ).toBeGreaterThan(0);
    expect(
      validate(schema, {
        name: 'autoinvoice',
        hooks: { postprovision: { run: 'x', posix: { run: 'x' }, windows: { run: 'x' } } },
      }).length,
    ).toBeGreaterThan(0);
  });

  test('when azd deploys, then the one service is the whole project as a Functions app, named as the Bicep tags it', () => {
    expect(azureYaml.services).toEqual({ api: { project: '.', language: 'js', host: 'function' } });
    expect(read('modules/functionapp.bicep')).toMatch(/tags: tags/);
    expect(read('app.bicep')).toContain("'azd-service-name': 'api'");
  });

  test('when provisioning ends, then the hook that creates the token encryption key runs on both shells', () => {
    const hook = (azureYaml.hooks as Record<string, Record<string, Record<string, string>>>).postprovision!;
    expect(hook.posix).toEqual({ shell: 'sh', run: 'node infra/hooks/token-key.js' });
    expect(hook.windows).toEqual({ shell: 'pwsh', run: 'node infra/hooks/token-key.js' });
  });
});
