// Maturity Pulse on Azure: a Storage account (Table Storage), a Linux App Service that runs the bot and the
// dashboard tab on one or more instances, a user-assigned managed identity, and the Azure Bot registration with
// its Teams channel. Layout as in the Agents Toolkit: this file + azure.parameters.json +
// botRegistration/azurebot.bicep; m365agents.yml deploys it (`atk provision --env dev`), or az does:
//
//   az deployment group create -g <rg> -f infra/azure.bicep -p infra/azure.parameters.json
//
// No secret by default: the bot signs in to the Bot Framework as the managed identity (UserAssignedMSI), and to
// Table Storage as the same identity, with shared-key access turned off on the account. Only with
// -p botAppType=SingleTenant botAadAppClientId=<app id> botAadAppClientSecret=<secret> is there a secret, and it
// goes into a Key Vault that only this identity can read, never into an app setting.
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

@description('How the bot authenticates to the Bot Framework. UserAssignedMSI (the default): the managed identity created here, no secret anywhere. SingleTenant: an Entra app registration with a client secret (botAadAppClientId + botAadAppClientSecret), which is kept in a Key Vault. New multi-tenant bots can no longer be created in Azure.')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param botAppType string = 'UserAssignedMSI'

@description('The bot\'s Entra app registration (client) id. Required for SingleTenant; ignored for UserAssignedMSI. Pass it on the command line.')
param botAadAppClientId string = ''

@secure()
@description('A client secret of that app registration. Required for SingleTenant (it is stored in a Key Vault, and the app setting only refers to it); ignored for UserAssignedMSI. Pass it on the command line, never in a file.')
param botAadAppClientSecret string = ''

@description('The Entra tenant of the app registration (SingleTenant) or of the identity (UserAssignedMSI).')
param botTenantId string = subscription().tenantId

@maxLength(42)
@description('The bot\'s name in the Azure Bot resource.')
param botDisplayName string = 'Maturity Pulse'

@description('App Service plan SKU. Basic or above: Always On, which the monthly pulse scheduler needs, is not available on F1. Basic scales out to 3 instances, Standard to 10, Premium v3 to 30.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param webAppSKU string = 'B1'

@minValue(1)
@maxValue(30)
@description('How many instances run the bot. Two (the default) keep it answering while App Service restarts or replaces one: the health check on /healthz takes an instance that stops answering out of the load balancer. Answers are ETag-guarded and pulse steps leased in Table Storage, so instances share one store safely.')
param instanceCount int = 2

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

@minValue(2)
@maxValue(3600)
@description('PULSE_LEASE_SECONDS: how long one instance holds a tenant\'s pulse fan-out without renewing it.')
param pulseLeaseSeconds int = 60

@description('SUPPORT_KEEP_UNANSWERED: keep the text of help-desk questions the bot could not answer, for CoE admins (support stats).')
param supportKeepUnanswered bool = false

var useManagedIdentity = botAppType == 'UserAssignedMSI'
// Stop the deployment, rather than start a bot with no app id: with an empty MicrosoftAppId the bot runs in local
// mode and accepts every request without authentication.
var botAppIdFromRegistration = !useManagedIdentity && empty(botAadAppClientId) ? fail('botAadAppClientId is required when botAppType is SingleTenant: pass -p botAadAppClientId=<app id>.') : botAadAppClientId
var botAppPassword = !useManagedIdentity && empty(botAadAppClientSecret) ? fail('botAadAppClientSecret is required when botAppType is SingleTenant: pass -p botAadAppClientSecret=<secret>.') : (useManagedIdentity ? '' : botAadAppClientSecret)
var botAppId = useManagedIdentity ? identity.properties.clientId : botAppIdFromRegistration
// The most instances each plan tier allows; more would fail late, at the plan's deployment.
var maxInstances = startsWith(webAppSKU, 'B') ? 3 : (startsWith(webAppSKU, 'S') ? 10 : 30)
var planCapacity = instanceCount <= maxInstances ? instanceCount : fail('instanceCount ${instanceCount} is more than ${webAppSKU} allows (${maxInstances}): pick a larger webAppSKU or fewer instances.')

// Built-in roles, the only two the identity holds: read and write table entities (and create the tables) on
// this account, and read secrets of this Key Vault (only when there is a secret, SingleTenant).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

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
    // No account keys: the bot signs in with the managed identity below (STORAGE_ACCOUNT_URL + AZURE_CLIENT_ID),
    // and the portal with the person's own Entra account.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

// The bot's identity: it signs in to Table Storage, to the Bot Framework (UserAssignedMSI) and to the Key Vault
// (SingleTenant).
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

// Only with a client secret (SingleTenant): a vault that holds it, readable by the bot's identity alone.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = if (!useManagedIdentity) {
  name: take('${replace(resourceBaseName, '-', '')}kv${uniqueString(resourceGroup().id)}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    publicNetworkAccess: 'Enabled'
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!useManagedIdentity) {
  parent: vault
  name: 'bot-app-password'
  properties: {
    value: botAppPassword
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!useManagedIdentity) {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
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
    capacity: planCapacity
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
    // Any instance can serve any request: conversation state is in Table Storage, not in memory.
    clientAffinityEnabled: false
    // Key Vault references in app settings are resolved as the bot's identity (the only one the vault trusts).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // The zip (`npm run stage`) carries the compiled dist/ and production dependencies: nothing builds at start-up.
      appCommandLine: 'npm run serve'
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
// because STORAGE_ACCOUNT_URL is set. STORAGE_CONNECTION_STRING is not set: there is no key to put in it.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    // Deployment settings of App Service itself: the zip is mounted read-only as the site and run as it is,
    // the same bits on every instance, swapped atomically; no build on the server.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    WEBSITE_RUN_FROM_PACKAGE: '1'
    WEBSITE_NODE_DEFAULT_VERSION: '~22' // read by Kudu; the Linux runtime itself comes from linuxFxVersion
    // The bot's configuration (src/config.ts).
    MicrosoftAppId: botAppId
    // A Key Vault reference, resolved by App Service as the bot's identity; empty with UserAssignedMSI.
    MicrosoftAppPassword: useManagedIdentity ? '' : '@Microsoft.KeyVault(SecretUri=${botSecret!.properties.secretUri})'
    MicrosoftAppType: botAppType
    MicrosoftAppTenantId: botTenantId
    STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.table
    AZURE_CLIENT_ID: identity.properties.clientId
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
    PULSE_LEASE_SECONDS: string(pulseLeaseSeconds)
    SUPPORT_KEEP_UNANSWERED: string(supportKeepUnanswered)
    // The dashboard tab's SSO tokens: v1 tokens carry the Application ID URI (the manifest's
    // webApplicationInfo.resource), v2 tokens the client id.
    TAB_SSO_AUDIENCE: 'api://${webApp.properties.defaultHostName}/${botAppId},${botAppId}'
    TAB_SSO_JWKS_URL: '${environment().authentication.loginEndpoint}common/discovery/v2.0/keys'
  }
  dependsOn: [
    tableDataContributor
    vaultSecretsUser
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

// The Agents Toolkit writes these into env/.env.<env> (arm/deploy); with az, copy BOT_DOMAIN and BOT_ID there
// and run `npm run package -- --env <env>`.
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = botAppId
output BOT_ENDPOINT string = azureBotRegistration.outputs.botEndpoint
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output WEB_APP_NAME string = webApp.name
output IDENTITY_CLIENT_ID string = identity.properties.clientId
output STORAGE_ACCOUNT_NAME string = storage.name
