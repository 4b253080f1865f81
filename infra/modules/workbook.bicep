// The figures of issue 19 as a shared workbook on the App Insights component (content: infra/workbook.json).
param location string
param tags object = {}
param appInsightsName string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(appInsights.id, 'autoinvoice-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'AutoInvoice'
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: string(loadJsonContent('../workbook.json'))
  }
}
