// Maturity Pulse on Azure: a Storage account (Table Storage), a Linux App Service that runs the bot and the
// dashboard tab, a user-assigned managed identity, and the Azure Bot registration with its Teams channel.
// Layout as in the Teams Toolkit: this file + azure.parameters.json + botRegistration/azurebot.bicep.
//
//   az deployment group create -g <rg> -f infra/azure.bicep -p infra/azure.parameters.json \
//     -p botAadAppClientId=<app id> botAadAppClientSecret=<secret>
//
// The app settings below are exactly the variables src/config.ts reads (CONFIG_VARIABLES) that matter in Azure,
// plus App Service's own deployment settings; test/infra/infra.test.ts keeps the two lists in step.

@minLength(4)
@maxLength(20)
@description('Used to name every resource: lower-case letters and digits, e.g. maturitypulse. A hash of the resource group is appended where names must be globally unique.')
param resourceBaseName string

// Resource names. Web app, bot and storage names must be unique across Azure, so they carry a hash of the resource group.
@description('The web app; its host name <webAppName>.azurewebsites.net is the BOT_DOMAIN output.')
param webAppName string = '${resourceBaseName}-${uniqueString(resourceGroup().id)}'
param serverfarmsName string = resourceBaseName
param identityName string = resourceBaseName
@description('The Azure Bot resource (its bot handle).')
param botServiceName string = '${resourceBaseName}-${uniqueString(resourceGroup().id)}'
@minLength(3)
@maxLength(24)
@description('Lower-case letters and digits only.')
param storageAccountName string = take(toLower('${replace(resourceBaseName, '-', '')}${uniqueString(resourceGroup().id)}'), 24)

@description('How the bot authenticates to the Bot Framework. SingleTenant: an Entra app registration with a client secret (botAadAppClientId + botAadAppClientSecret). UserAssignedMSI: the managed identity created here, no secret. New multi-tenant bots can no longer be created in Azure.')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param botAppType string = 'SingleTenant'

@description('The bot\'s Entra app registration (client) id. Required for SingleTenant; ignored for UserAssignedMSI. Pass it on the command line.')
param botAadAppClientId string = ''

@secure()
@description('A client secret of that app registration. Required for SingleTenant; ignored for UserAssignedMSI. Pass it on the command line, never in a file.')
param botAadAppClientSecret string = ''

@description('The Entra tenant of the app registration (SingleTenant) or of the identity (UserAssignedMSI).')
param botTenantId string = subscription().tenantId

@maxLength(42)
@description('The bot\'s name in the Azure Bot resource.')
param botDisplayName string = 'Maturity Pulse'

@description('App Service plan SKU. B1 or above: Always On, which the monthly pulse scheduler needs, is not available on F1.')
param webAppSKU string = 'B1'

param location string = resourceGroup().location

@minValue(1)
@maxValue(1000)
@description('MIN_RESPONDENTS: a team result is withheld until this many members have answered.')
param minRespondents int = 3

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
@description('LOG_LEVEL of the bot\'s JSON logs (shown in App Service log stream).')
param logLevel string = 'info'

@description('TABLE_PREFIX: prefix of the table names, letters and digits, starting with a letter, at most 20 characters.')
param tablePrefix string = 'pulse'

@description('COE_ADMINS: Microsoft Entra object ids of CoE admins, separated by commas.')
param coeAdmins string = ''

@description('COE_TEAM_ID: members of this team (its Teams id, 19:…@thread.tacv2) are CoE admins too.')
param coeTeamId string = ''

@description('ALLOWED_TENANTS: Microsoft Entra tenant ids allowed to use the bot, separated by commas; empty allows every tenant.')
param allowedTenants string = ''

@description('PULSE_SCHEDULE: cron pattern of the monthly pulse.')
param pulseSchedule string = '0 9 * * 1#1'

@description('PULSE_TIMEZONE: IANA time zone of the schedule, e.g. Europe/Oslo.')
param pulseTimeZone string = 'UTC'

@minValue(1)
@maxValue(27)
@description('PULSE_WINDOW_DAYS: how many days a pulse round stays open.')
param pulseWindowDays int = 7

@minValue(5)
@maxValue(3600)
@description('PULSE_TICK_SECONDS: how often the scheduler checks for due pulses.')
param pulseTickSeconds int = 60

@minValue(1)
@maxValue(1000)
@description('TEAMS_APP_RATE_PER_SECOND: Teams\' limit per app per tenant.')
param teamsAppRatePerSecond int = 50

@minValue(1)
@maxValue(100)
@description('TEAMS_CONVERSATION_RATE_PER_SECOND: Teams\' limit per bot per conversation.')
param teamsConversationRatePerSecond int = 7

var useManagedIdentity = botAppType == 'UserAssignedMSI'
// Stop the deployment, rather than start a bot with no app id: with an empty MicrosoftAppId the bot runs in local
// mode and accepts every request without authentication.
var botAppIdFromRegistration = !useManagedIdentity && empty(botAadAppClientId) ? fail('botAadAppClientId is required when botAppType is SingleTenant: pass -p botAadAppClientId=<app id>.') : botAadAppClientId
var botAppPassword = !useManagedIdentity && empty(botAadAppClientSecret) ? fail('botAadAppClientSecret is required when botAppType is SingleTenant: pass -p botAadAppClientSecret=<secret>.') : (useManagedIdentity ? '' : botAadAppClientSecret)
var botAppId = useManagedIdentity ? identity.properties.clientId : botAppIdFromRegistration

// Storage Table Data Contributor, a built-in role.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The bot connects with a connection string (STORAGE_CONNECTION_STRING), which needs shared-key access.
    // Set this to false once the code authenticates with the managed identity below.
    allowSharedKeyAccess: true
    publicNetworkAccess: 'Enabled'
  }
}

// The bot's identity. Today it is used for the bot itself only when botAppType is UserAssignedMSI, but it is
// attached to the web app and already holds Storage Table Data Contributor on the account, so moving the table
// client from the connection string to managed identity needs no new resource or role assignment here: only
// the app setting(s) the code will then read, which the infra test will ask for.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: identityName
  location: location
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: serverfarmsName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSKU
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2024-11-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // `npm start` runs src/main.ts with tsx. tsx is a devDependency, so the build must install devDependencies
      // (Oryx's `npm install` does, as long as NODE_ENV is not set to production).
      appCommandLine: 'npm start'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/healthz'
    }
  }
}

// App settings live in their own resource so they can name the web app's real host name (TAB_SSO_AUDIENCE).
// PORT is not set: App Service tells the container which port to listen on through PORT itself.
// AZURITE_LOCATION and AZURITE_PORT are not set: they configure the local emulator, which Azure never starts
// because STORAGE_CONNECTION_STRING is set.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    // Deployment settings of App Service itself.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true' // run `npm install` (Oryx) when the code is zip-deployed
    WEBSITE_NODE_DEFAULT_VERSION: '~22' // read by Kudu; the Linux runtime itself comes from linuxFxVersion
    // The bot's configuration (src/config.ts).
    MicrosoftAppId: botAppId
    MicrosoftAppPassword: botAppPassword
    MicrosoftAppType: botAppType
    MicrosoftAppTenantId: botTenantId
    STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
    TABLE_PREFIX: tablePrefix
    MIN_RESPONDENTS: string(minRespondents)
    LOG_LEVEL: logLevel
    COE_ADMINS: coeAdmins
    COE_TEAM_ID: coeTeamId
    ALLOWED_TENANTS: allowedTenants
    PULSE_SCHEDULE: pulseSchedule
    PULSE_TIMEZONE: pulseTimeZone
    PULSE_WINDOW_DAYS: string(pulseWindowDays)
    PULSE_TICK_SECONDS: string(pulseTickSeconds)
    TEAMS_APP_RATE_PER_SECOND: string(teamsAppRatePerSecond)
    TEAMS_CONVERSATION_RATE_PER_SECOND: string(teamsConversationRatePerSecond)
    // The dashboard tab's SSO tokens: v1 tokens carry the Application ID URI (the manifest's
    // webApplicationInfo.resource), v2 tokens the client id.
    TAB_SSO_AUDIENCE: 'api://${webApp.properties.defaultHostName}/${botAppId},${botAppId}'
    TAB_SSO_JWKS_URL: '${environment().authentication.loginEndpoint}common/discovery/v2.0/keys'
  }
  dependsOn: [
    tableDataContributor
  ]
}

// Register the web app as a bot with the Bot Framework and connect it to Teams.
module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    botServiceName: botServiceName
    botDisplayName: botDisplayName
    botAppDomain: webApp.properties.defaultHostName
    botAppId: botAppId
    botAppType: botAppType
    botTenantId: botTenantId
    identityResourceId: useManagedIdentity ? identity.id : ''
  }
}

// Put these in manifest/env/.env.<env> and run `npm run package -- --env <env>`.
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = botAppId
output BOT_ENDPOINT string = azureBotRegistration.outputs.botEndpoint
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output WEB_APP_NAME string = webApp.name
output IDENTITY_CLIENT_ID string = identity.properties.clientId
output STORAGE_ACCOUNT_NAME string = storage.name
