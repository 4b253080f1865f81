param name string
param location string
param tags object = {}
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainer string
param appInsightsConnectionString string
param keyVaultName string
@description('Connector settings that are the same for every tenant.')
param appSettings object
@description('Tenants by name: their non-secret settings, e.g. { contoso: { OrganizationId: "…", DataverseUrl: "…" } }.')
param tenants object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainer
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '22' }
    }
  }
}

// A tenant's secrets are never parameters: each is a Key Vault reference to the secret <tenant>-<Setting>,
// which the partner sets once (infra/README.md). Everything else comes from the tenants parameter as given;
// ExactRedirectUri defaults to this app's callback.
var tenantSecrets = ['ClientSecret', 'WebhookSecret', 'ExactClientSecret', 'ExactWebhookSecret']
var callback = 'https://${site.properties.defaultHostName}/api/exact/callback'
var tenantSettings = reduce(items(tenants), {}, (all, t) => union(
  all,
  { 'Tenants__${t.key}__ExactRedirectUri': callback },
  toObject(items(t.value), s => 'Tenants__${t.key}__${s.key}', s => string(s.value)),
  toObject(tenantSecrets, s => 'Tenants__${t.key}__${s}', s => '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${t.key}-${s})')
))

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union({
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  }, appSettings, tenantSettings)
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
