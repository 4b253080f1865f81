import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { moduleParams, objectAt, read, resources, ROOT, topLevel } from './bicepText';

/**
 * Every data-plane call the code makes is matched to a role assignment on the resource it reaches, for the
 * identity the function app runs as. The calls are read from the code, not listed by hand.
 */
const app = read('app.bicep');
const rbac = read('modules/rbac.bicep');
const rbacParams = moduleParams(app, 'rbac');
const settings = objectAt(app, 'appSettings');
const roleIds = objectAt(rbac, 'roles');
const code = (dir: string) =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(ROOT, dir, f), 'utf8'))
    .join('\n');
const functionsCode = code('functions');
const srcCode = code('src');

/** The resources rbac.bicep refers to, by symbol: the rbac parameter naming each. */
const existing = new Map(
  resources(rbac)
    .filter((r) => r.existing)
    .map((r) => [r.symbol, { type: r.type, name: topLevel(r.body).get('name')! }]),
);
interface Assignment {
  role: string;
  scopeType: string;
  scopeName: string;
  principal: string;
}
const assignments: Assignment[] = resources(rbac)
  .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
  .map((r) => {
    const top = topLevel(r.body);
    const props = topLevel(r.body.slice(r.body.indexOf('properties: {') + 'properties: {'.length));
    const scope = existing.get(top.get('scope')!)!;
    return {
      role: /roles\['([^']+)'\]/.exec(props.get('roleDefinitionId') ?? '')?.[1] ?? '(none)',
      scopeType: scope.type,
      scopeName: scope.name,
      principal: props.get('principalId')!,
    };
  });
const appRoles = assignments.filter((a) => a.principal === 'principalId');

/** Which app.bicep expression an rbac parameter is wired to, e.g. dispatchQueueName → serviceBus.outputs.dispatchQueue. */
const wiredTo = (rbacParam: string) => rbacParams.get(rbacParam);
function hasRole(role: string, scopeType: string, wiring: string | undefined): boolean {
  return appRoles.some(
    (a) => a.role === role && a.scopeType === scopeType && wiredTo(a.scopeName) === wiring,
  );
}

describe('infra/modules/rbac.bicep', () => {
  test('when a role is assigned, then it is named and its id is the built-in role definition id of that name', () => {
    const builtIn: Record<string, string> = {
      'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
      'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
      'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
      'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
      'Azure Service Bus Data Owner': '090c5cfd-751d-490a-894a-3ce6f1109419',
      'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
      'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
      'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
    };
    expect(assignments.length).toBeGreaterThan(0);
    for (const a of assignments)
      expect(`${a.role} ${roleIds.get(a.role)}`).toBe(`${a.role} '${builtIn[a.role]}'`);
  });

  test('when the app runs, then its roles are held by the identity the function app runs as', () => {
    expect(rbacParams.get('principalId')).toBe('identity.outputs.principalId');
    const fn = moduleParams(app, 'functionApp');
    expect(fn.get('identityId')).toBe('identity.outputs.id');
    expect(settings.get('ManagedIdentityClientId')).toBe('identity.outputs.clientId');
    expect(settings.get('ServiceBusConnection__clientId')).toBe('identity.outputs.clientId');
  });

  test('when a function is triggered by a queue, then the identity may receive from the queue its binding names', () => {
    const triggers = [...functionsCode.matchAll(/app\.serviceBusQueue\([\s\S]*?queueName: '%(\w+)%'/g)].map(
      (m) => m[1]!,
    );
    expect(triggers.sort()).toEqual(['DataverseEventsQueueName', 'DispatchQueueName']);
    for (const setting of triggers)
      expect([
        setting,
        hasRole(
          'Azure Service Bus Data Receiver',
          'Microsoft.ServiceBus/namespaces/queues',
          settings.get(setting),
        ),
      ]).toEqual([setting, true]);
  });

  test('when the code sends or schedules a message, then the identity may send to that queue and to no other', () => {
    const sent = [...srcCode.matchAll(/ServiceBusQueue\.connect\([\s\S]*?settings\.(\w+QueueName)\)/g)].map(
      (m) => m[1]!,
    );
    expect(new Set(sent)).toEqual(new Set(['DispatchQueueName']));
    expect(
      hasRole(
        'Azure Service Bus Data Sender',
        'Microsoft.ServiceBus/namespaces/queues',
        settings.get('DispatchQueueName'),
      ),
    ).toBe(true);
    const senders = appRoles.filter((a) => a.role === 'Azure Service Bus Data Sender');
    expect(senders.map((a) => wiredTo(a.scopeName))).toEqual([settings.get('DispatchQueueName')]);
  });

  test('when the code reads and writes tables by identity, then the identity is Table Data Contributor on the account behind Storage__ConnectionString', () => {
    expect(srcCode).toMatch(/new TableClient\(connection\.endpoint, table, connection\.credential/);
    expect(settings.get('Storage__ConnectionString')).toBe('storage.outputs.tableEndpoint');
    expect(rbacParams.get('storageAccountName')).toBe('storage.outputs.name');
    expect(
      hasRole('Storage Table Data Contributor', 'Microsoft.Storage/storageAccounts', 'storage.outputs.name'),
    ).toBe(true);
  });

  test('when the Functions host uses AzureWebJobsStorage by identity, then the identity owns blobs and may use queues of that account', () => {
    const fn = read('modules/functionapp.bicep');
    expect(fn).toMatch(/AzureWebJobsStorage__credential: 'managedidentity'/);
    expect(moduleParams(app, 'functionApp').get('storageAccountName')).toBe('storage.outputs.name');
    expect(
      hasRole('Storage Blob Data Owner', 'Microsoft.Storage/storageAccounts', 'storage.outputs.name'),
    ).toBe(true);
    expect(
      hasRole('Storage Queue Data Contributor', 'Microsoft.Storage/storageAccounts', 'storage.outputs.name'),
    ).toBe(true);
  });

  test('when an app setting is a Key Vault reference, then the identity is Key Vault Secrets User on that vault and resolves references with it', () => {
    const fn = read('modules/functionapp.bicep');
    expect(`${app}\n${fn}`).toMatch(/@Microsoft\.KeyVault\(VaultName=\$\{keyVault(\.outputs\.name|Name)\}/);
    expect(fn).toMatch(/keyVaultReferenceIdentity: identityId/);
    expect(moduleParams(app, 'functionApp').get('keyVaultName')).toBe('keyVault.outputs.name');
    expect(hasRole('Key Vault Secrets User', 'Microsoft.KeyVault/vaults', 'keyVault.outputs.name')).toBe(
      true,
    );
  });

  test('when telemetry authenticates with Entra (local auth off), then the identity is Monitoring Metrics Publisher on the component', () => {
    expect(read('modules/monitoring.bicep')).toMatch(/DisableLocalAuth: true/);
    expect(read('modules/functionapp.bicep')).toMatch(
      /APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=\$\{identityClientId\};Authorization=AAD'/,
    );
    expect(
      hasRole(
        'Monitoring Metrics Publisher',
        'Microsoft.Insights/components',
        'monitoring.outputs.appInsightsName',
      ),
    ).toBe(true);
  });

  test('when the deployer runs the postprovision hook, then only the deployer may write secrets, and the app holds no namespace-wide Service Bus role', () => {
    const officers = assignments.filter((a) => a.role === 'Key Vault Secrets Officer');
    expect(officers.map((a) => a.principal)).toEqual(['deployerPrincipalId']);
    expect(rbacParams.get('deployerPrincipalId')).toBe('principalId');
    expect(appRoles.filter((a) => a.scopeType === 'Microsoft.ServiceBus/namespaces')).toEqual([]);
  });
});
