// AutoInvoice on Azure: Flex Consumption Functions (Node 22), Service Bus Standard with a session-enabled
// dispatch queue and the Dataverse events queue, Storage (ledger + token tables, shared keys off),
// Key Vault (RBAC) for secrets, Application Insights. Everything reaches everything by one user-assigned
// managed identity. Local modules only (no registry restore needed to build).
targetScope = 'resourceGroup'

@description('Short name used in resource names.')
param name string = 'autoinvoice'
param location string = resourceGroup().location
@description('Vendor Ed25519 public key (PEM) that licences are verified with.')
param licencePublicKey string
@description('Tenant settings as app settings (Tenants__<name>__…); secrets as Key Vault references.')
param tenantSettings object = {}

var suffix = uniqueString(resourceGroup().id, name)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: '${name}-id-${suffix}', location: location }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: '${name}-${suffix}', location: location }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: take('${name}${suffix}', 24), location: location, principalId: identity.outputs.principalId }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: { name: '${name}-sb-${suffix}', location: location, principalId: identity.outputs.principalId }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { name: take('${name}-kv-${suffix}', 24), location: location, principalId: identity.outputs.principalId }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${name}-fn-${suffix}'
    location: location
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainer: storage.outputs.deploymentContainer
    appInsightsConnectionString: monitoring.outputs.connectionString
    appSettings: union({
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
    }, tenantSettings)
  }
}

output functionAppName string = functionApp.outputs.name
output webhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/dataverse/webhook'
output exactRedirectUri string = 'https://${functionApp.outputs.defaultHostName}/api/exact/callback'
