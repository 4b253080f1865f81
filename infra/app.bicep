// AutoInvoice on Azure, inside one resource group: Flex Consumption Functions (Node 22), Service Bus Standard with
// the session-enabled dispatch queue and the Dataverse events queue, Storage (ledger + token tables, shared keys
// off), Key Vault (RBAC) for secrets, Application Insights with alerts and a workbook. The app reaches everything
// by one user-assigned managed identity (roles in modules/rbac.bicep). Local modules only (no registry restore).
targetScope = 'resourceGroup'

param environmentName string
param location string = resourceGroup().location
param tags object = {}
@description('Deployer (user or pipeline) that gets Key Vault Secrets Officer; empty: none.')
param principalId string = ''
param principalType string = 'User'
@description('Vendor Ed25519 public key (PEM) that licences are verified with.')
param licencePublicKey string
@description('Tenants by name: non-secret settings; ClientSecret, WebhookSecret, ExactClientSecret, ExactWebhookSecret are Key Vault references.')
param tenants object = {}
param alertEmails array = []
@description('Client id of the Entra ID app registration people sign in to the operator console with (app role AutoInvoice.Operator); empty: the console refuses everyone.')
param consoleClientId string = ''
@description('Entra ID tenant of the console app registration.')
param consoleTenantId string = tenant().tenantId

var name = 'autoinvoice'
var suffix = take(uniqueString(resourceGroup().id, environmentName), 8)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: '${name}-id-${suffix}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: '${name}-${suffix}', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: take('${name}${suffix}', 24), location: location, tags: tags }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { name: take('${name}-kv-${suffix}', 24), location: location, tags: tags }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: { name: '${name}-sb-${suffix}', location: location, tags: tags, keyVaultName: keyVault.outputs.name }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    dispatchQueueName: serviceBus.outputs.dispatchQueue
    eventsQueueName: serviceBus.outputs.eventsQueue
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // Key Vault references and identity connections resolve at start-up: roles first.
  dependsOn: [rbac]
  params: {
    name: '${name}-fn-${suffix}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainer: storage.outputs.deploymentContainer
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    tenants: tenants
    appSettings: {
      Mode: 'azure'
      Storage__ConnectionString: storage.outputs.tableEndpoint
      ManagedIdentityClientId: identity.outputs.clientId
      ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.namespaceHost
      ServiceBusConnection__clientId: identity.outputs.clientId
      ServiceBusConnection__credential: 'managedidentity'
      DispatchQueueName: serviceBus.outputs.dispatchQueue
      DataverseEventsQueueName: serviceBus.outputs.eventsQueue
      LicencePublicKey: licencePublicKey
      TokenEncryptionKey: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=token-encryption-key)'
      SweepSchedule: '0 */5 * * * *'
      MasterDataSyncSchedule: '0 30 3 * * *'
      // The operator console's sign-in (decision 0092): the connector verifies the token itself.
      ConsoleAuth__Issuer: consoleIssuer
      ConsoleAuth__Audience: consoleClientId
      ConsoleAuth__JwksUrl: '${environment().authentication.loginEndpoint}${consoleTenantId}/discovery/v2.0/keys'
    }
  }
}

var consoleIssuer = '${environment().authentication.loginEndpoint}${consoleTenantId}/v2.0'

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: '${name}-fn-${suffix}'
}

// App Service Authentication signs people in for the console page (its /.auth/me hands the page the token);
// anonymous requests still reach the functions: the webhook, the Exact callback and the Service Bus
// triggers authenticate their own way, and every console request is checked by the connector.
resource consoleAuth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(consoleClientId)) {
  parent: site
  name: 'authsettingsV2'
  dependsOn: [functionApp]
  properties: {
    platform: { enabled: true }
    globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: { clientId: consoleClientId, openIdIssuer: consoleIssuer }
        validation: { allowedAudiences: [consoleClientId] }
      }
    }
    login: { tokenStore: { enabled: true } }
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    name: '${name}-${suffix}'
    tags: tags
    appInsightsName: monitoring.outputs.appInsightsName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    alertEmails: alertEmails
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: { location: location, tags: tags, appInsightsName: monitoring.outputs.appInsightsName }
}

output functionAppName string = functionApp.outputs.name
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.uri
output serviceBusNamespace string = serviceBus.outputs.namespaceHost
output dataverseEventsSasSecretName string = serviceBus.outputs.sasSecretName
output webhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/dataverse/webhook'
output consoleUrl string = 'https://${functionApp.outputs.defaultHostName}/api/console'
output exactRedirectUri string = 'https://${functionApp.outputs.defaultHostName}/api/exact/callback'
