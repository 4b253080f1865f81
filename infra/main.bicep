// Entry point for `azd up` (and `az deployment sub create`): one resource group per azd environment, everything
// else in app.bicep. Subscription scope because azd's resource-group-scoped deployments are still beta
// (learn.microsoft.com/azure/developer/azure-developer-cli/resource-group-scoped-deployments).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name (AZURE_ENV_NAME): names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (AZURE_LOCATION).')
param location string

@description('Resource group to create or reuse; default rg-<environmentName>.')
param resourceGroupName string = ''

@description('Object id of who runs the deployment (azd: AZURE_PRINCIPAL_ID). Gets Key Vault Secrets Officer so the postprovision hook can create token-encryption-key and the tenant secrets can be set. Empty: no assignment.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('Kind of principalId: User for a person running azd, ServicePrincipal for a pipeline.')
param principalType string = 'User'

@description('Vendor Ed25519 public key (PEM) that licences are verified with.')
param licencePublicKey string

@description('Tenants by name ([A-Za-z0-9-]): their non-secret settings (see infra/README.md). Secrets come from Key Vault.')
param tenants object = {}

@description('E-mail addresses the alert action group notifies.')
param alertEmails array = []

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'app.bicep' = {
  name: 'autoinvoice-${environmentName}'
  scope: rg
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    principalId: principalId
    principalType: principalType
    licencePublicKey: licencePublicKey
    tenants: tenants
    alertEmails: alertEmails
  }
}

// azd stores these outputs in the environment (.azure/<env>/.env); hooks and `azd env get-value` read them.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_KEY_VAULT_NAME string = app.outputs.keyVaultName
output AZURE_KEY_VAULT_ENDPOINT string = app.outputs.keyVaultUri
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output SERVICE_BUS_NAMESPACE string = app.outputs.serviceBusNamespace
output DATAVERSE_EVENTS_SAS_SECRET_NAME string = app.outputs.dataverseEventsSasSecretName
output WEBHOOK_URL string = app.outputs.webhookUrl
output EXACT_REDIRECT_URI string = app.outputs.exactRedirectUri
