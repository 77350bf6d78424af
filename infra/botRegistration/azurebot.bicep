// Registers the web app as a bot with the Bot Framework (an Azure Bot resource) and connects it to Microsoft Teams.
// Used by ../azure.bicep, as in the Teams Toolkit layout.

@description('The Azure Bot resource name (bot handle): unique across Azure.')
param botServiceName string

@maxLength(42)
param botDisplayName string

@description('F0 is free (standard channels such as Teams are not metered); S1 is the paid tier.')
@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@description('Host name of the web app that serves /api/messages, without https://.')
param botAppDomain string

@description('The Microsoft App Id: the app registration\'s client id (SingleTenant) or the managed identity\'s client id (UserAssignedMSI).')
param botAppId string

@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param botAppType string

param botTenantId string

@description('Resource id of the user-assigned managed identity; only for UserAssignedMSI.')
param identityResourceId string = ''

var endpoint = 'https://${botAppDomain}/api/messages'

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: endpoint
    msaAppId: botAppId
    msaAppType: botAppType
    msaAppTenantId: botTenantId
    msaAppMSIResourceId: botAppType == 'UserAssignedMSI' ? identityResourceId : null
  }
}

resource botServiceMsTeamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output botId string = botAppId
output botEndpoint string = endpoint
