param name string
param location string
param tags object = {}

// RBAC only (no access policies). The secret token-encryption-key is NOT declared here: a template would
// either carry the key or regenerate it on every deployment (and every stored Exact token would become
// unreadable). infra/hooks/token-key.js creates it once, after provisioning (decision 0060).
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
