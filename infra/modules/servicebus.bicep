param name string
param location string
param tags object = {}
@description('Vault that receives the send-only connection string for Dataverse.')
param keyVaultName string

// Queue properties live in infra/queue.json, which src/config/queueLimits.ts reads too.
var queues = loadJsonContent('../queue.json')

// Standard tier: duplicate detection and sessions (Basic has neither).
// Local (SAS) authentication stays ON: Dataverse's Service Bus service endpoint can only authenticate with a
// shared access key (serviceendpoint authtype 2 SAS Key / 3 SAS Token / 7 connection string), and
// disableLocalAuth switches off every SAS rule, entity-level ones included. The app itself never uses SAS: it
// connects by managed identity (ServiceBusConnection__credential), and the only rule created here is Send on
// dataverse-events (decision 0061).
resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { disableLocalAuth: false, minimumTlsVersion: '1.2' }
}

resource dispatch 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'dispatch'
  properties: {
    requiresSession: queues.dispatch.requiresSession
    requiresDuplicateDetection: queues.dispatch.requiresDuplicateDetection
    duplicateDetectionHistoryTimeWindow: queues.dispatch.duplicateDetectionHistoryTimeWindow
    maxDeliveryCount: queues.dispatch.maxDeliveryCount
    lockDuration: queues.dispatch.lockDuration
    deadLetteringOnMessageExpiration: queues.dispatch.deadLetteringOnMessageExpiration
  }
}

// Dataverse's own Service Bus integration posts here (message format JSON); no sessions on its side.
resource events 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'dataverse-events'
  properties: {
    requiresSession: queues.dataverseEvents.requiresSession
    requiresDuplicateDetection: queues.dataverseEvents.requiresDuplicateDetection
    maxDeliveryCount: queues.dataverseEvents.maxDeliveryCount
    lockDuration: queues.dataverseEvents.lockDuration
    deadLetteringOnMessageExpiration: queues.dataverseEvents.deadLetteringOnMessageExpiration
  }
}

// Send only, on this one queue: all Dataverse's service endpoint may do (decision 0021: the queue is the
// trust boundary). Its connection string goes to Key Vault, never to an output.
resource dataverseSend 'Microsoft.ServiceBus/namespaces/queues/authorizationRules@2022-10-01-preview' = {
  parent: events
  name: 'dataverse-send'
  properties: { rights: ['Send'] }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource sasSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'dataverse-events-send'
  properties: {
    contentType: 'Service Bus connection string, Send on dataverse-events, for npm run dataverse -- register-service-bus'
    value: dataverseSend.listKeys().primaryConnectionString
  }
}

output namespaceName string = namespace.name
output namespaceHost string = '${namespace.name}.servicebus.windows.net'
output dispatchQueue string = dispatch.name
output eventsQueue string = events.name
output sasSecretName string = sasSecret.name
