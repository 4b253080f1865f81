// Alerts to one action group (e-mail): failed invoices, dead letters, a lost Exact connection, a licence
// about to expire. Log alerts query the custom telemetry named in infra/telemetry.json.
param name string
param tags object = {}
param appInsightsName string
param serviceBusNamespaceName string
@description('E-mail addresses notified; empty: the action group exists and notifies nobody until addresses are added.')
param alertEmails array = []

var t = loadJsonContent('../telemetry.json')
var outcomes = 'customEvents | where name == "${t.events.outcome}" | extend outcome = tostring(customDimensions.${t.dimensions.outcome}), reason = tostring(customDimensions.${t.dimensions.reason}), tenant = tostring(customDimensions.${t.dimensions.tenant}), administration = tostring(customDimensions.${t.dimensions.administration})'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}
resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource group 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${name}-ops'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'autoinvoice'
    enabled: true
    emailReceivers: [for (address, i) in alertEmails: {
      name: 'email-${i}'
      emailAddress: address
      useCommonAlertSchema: true
    }]
  }
}

var logAlerts = [
  {
    key: 'failed-invoices'
    title: 'AutoInvoice: invoices failed'
    severity: 2
    window: 'PT15M'
    query: '${outcomes} | where outcome == "failed" and reason != "${t.reasons.connectionLost}" | summarize failed = count() by tenant, administration, reason'
  }
  {
    key: 'exact-connection-lost'
    title: 'AutoInvoice: Exact connection lost (reconnect with /api/exact/connect)'
    severity: 1
    window: 'PT15M'
    query: '${outcomes} | where reason == "${t.reasons.connectionLost}" | summarize failed = count() by tenant, administration'
  }
  {
    key: 'licence-expiring'
    title: 'AutoInvoice: licence expires within ${t.licenceNoticeDays} days'
    severity: 3
    window: 'P1D'
    query: 'customMetrics | where name == "${t.metrics.licenceDaysLeft}" | extend tenant = tostring(customDimensions.${t.dimensions.tenant}) | summarize daysLeft = min(value) by tenant | where daysLeft <= ${t.licenceNoticeDays}'
  }
]

resource logRules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for a in logAlerts: {
  name: '${name}-${a.key}'
  location: appInsights.location
  tags: tags
  properties: {
    displayName: a.title
    severity: a.severity
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: a.window == 'P1D' ? 'PT1H' : 'PT5M'
    windowSize: a.window
    criteria: {
      allOf: [
        {
          query: a.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [group.id] }
  }
}]

// A dead letter on either queue: a message the connector gave up on (metric of the namespace, per queue).
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${name}-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'AutoInvoice: messages in a dead-letter queue (dispatch or dataverse-events); see docs/RELIABILITY.md'
    severity: 2
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'deadLettered'
          metricName: 'DeadletteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [{ actionGroupId: group.id }]
  }
}

output actionGroupId string = group.id
