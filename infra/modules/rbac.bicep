// Every role the app's managed identity needs, one assignment per data-plane call the code makes, scoped to
// the resource the call reaches. test/infra/roles.test.ts ties this list to the code.
param principalId string
param storageAccountName string
param serviceBusNamespaceName string
param dispatchQueueName string
param eventsQueueName string
param keyVaultName string
param appInsightsName string
@description('Who runs the deployment; gets Key Vault Secrets Officer (empty: nobody).')
param deployerPrincipalId string = ''
param deployerPrincipalType string = 'User'

// Built-in role definition ids by role name (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  'Azure Service Bus Data Owner': '090c5cfd-751d-490a-894a-3ce6f1109419'
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6'
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}
resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}
resource dispatch 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' existing = {
  parent: namespace
  name: dispatchQueueName
}
resource events 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' existing = {
  parent: namespace
  name: eventsQueueName
}
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}
resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Functions host: AzureWebJobsStorage by identity (blob leases for timers and singletons, the Flex deployment
// container) and its internal queues.
resource hostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, 'Storage Blob Data Owner')
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Storage Blob Data Owner'])
  }
}
resource hostQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, 'Storage Queue Data Contributor')
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Storage Queue Data Contributor'])
  }
}
// Ledger, Exact token store, OAuth states (src/adapters/store/tables.ts: TableClient with the identity).
resource tables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, 'Storage Table Data Contributor')
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Storage Table Data Contributor'])
  }
}
// Intake, sweep and retries send and schedule onto the dispatch queue (src/adapters/queue/serviceBusQueue.ts).
resource dispatchSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dispatch.id, principalId, 'Azure Service Bus Data Sender')
  scope: dispatch
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Azure Service Bus Data Sender'])
  }
}
// functions/dispatchWorker.ts is triggered by the dispatch queue (sessions).
resource dispatchReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dispatch.id, principalId, 'Azure Service Bus Data Receiver')
  scope: dispatch
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Azure Service Bus Data Receiver'])
  }
}
// functions/dataverseEvents.ts is triggered by the Dataverse events queue.
resource eventsReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(events.id, principalId, 'Azure Service Bus Data Receiver')
  scope: events
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Azure Service Bus Data Receiver'])
  }
}
// Scale monitoring: the platform reads each trigger queue's message count with the app's identity, which
// needs Manage on the entity; Data Owner on the two queues only, never on the namespace (decision 0061).
resource dispatchScale 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dispatch.id, principalId, 'Azure Service Bus Data Owner')
  scope: dispatch
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Azure Service Bus Data Owner'])
  }
}
resource eventsScale 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(events.id, principalId, 'Azure Service Bus Data Owner')
  scope: events
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Azure Service Bus Data Owner'])
  }
}
// Key Vault references in app settings (TokenEncryptionKey, tenants' secrets) resolve with this identity.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, 'Key Vault Secrets User')
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Key Vault Secrets User'])
  }
}
// Telemetry with APPLICATIONINSIGHTS_AUTHENTICATION_STRING (Entra): App Insights has local auth off.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, 'Monitoring Metrics Publisher')
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Monitoring Metrics Publisher'])
  }
}
// The deployer creates token-encryption-key (postprovision hook) and sets the tenants' secrets.
resource deployerSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, 'Key Vault Secrets Officer')
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Key Vault Secrets Officer'])
  }
}
