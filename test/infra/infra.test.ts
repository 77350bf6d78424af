// Offline checks of infra/: no Bicep compiler can be installed here (neither npm nor Debian has one), so these
// tests read the Bicep text for the things that break a deployment silently: parameters, app settings,
// API versions, the bot endpoint and the runtime.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../scripts/app-manifest.js';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { maskStringsAndComments, objectAt, params, resources, topLevelKeys, valueOf, type BicepResource } from './bicep.js';

const INFRA = path.resolve('infra');
const mainBicep = readFileSync(path.join(INFRA, 'azure.bicep'), 'utf8');
const botBicep = readFileSync(path.join(INFRA, 'botRegistration', 'azurebot.bicep'), 'utf8');
const parametersFile = JSON.parse(readFileSync(path.join(INFRA, 'azure.parameters.json'), 'utf8')) as {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { value?: unknown; reference?: unknown }>;
};

/** Variables of src/config.ts that App Service must NOT get, each with the reason. */
const NOT_IN_AZURE: Readonly<Record<string, string>> = {
  PORT: 'App Service sets PORT itself and routes traffic to it; a fixed value could point the app at the wrong port.',
  AZURITE_LOCATION:
    'local-only: where the embedded Azurite emulator keeps data; Azure uses STORAGE_CONNECTION_STRING, so Azurite never starts.',
  AZURITE_PORT: "local-only: the embedded Azurite emulator's port; not started in Azure.",
  STORAGE_CONNECTION_STRING:
    'no keys in Azure: the bot signs in to the table endpoint (STORAGE_ACCOUNT_URL) as its managed identity, and the account refuses shared keys.',
  BOT_OPENID_METADATA_URL: "test-only: points token checks at a local key set; unset, botbuilder uses Bot Framework's own.",
  BOT_TOKEN_ISSUER: "test-only: the issuer of those local tokens; unset, botbuilder expects Bot Framework's.",
};
/** App Service's own settings, which no code of ours reads. */
const PLATFORM_SETTINGS: Readonly<Record<string, string>> = {
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false: the zip (npm run stage) is already built, nothing runs npm install on the server',
  WEBSITE_RUN_FROM_PACKAGE: 'mounts the deployed zip read-only as the site: the same bits on every instance, swapped atomically',
  WEBSITE_NODE_DEFAULT_VERSION: 'Node version for Kudu and tooling; the Linux runtime itself is linuxFxVersion',
};
/** Parameters with no place in the parameters file: passed on the az command line (see README and the header of azure.bicep). */
const COMMAND_LINE_PARAMS = ['botAadAppClientId', 'botAadAppClientSecret'];

/** Current, non-preview API versions we accept, per resource type. Update this list when moving to a newer version. */
const API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'Microsoft.Storage/storageAccounts': ['2023-05-01', '2024-01-01', '2025-01-01', '2025-06-01'],
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2023-01-31', '2024-11-30'],
  'Microsoft.Authorization/roleAssignments': ['2022-04-01'],
  'Microsoft.Web/serverfarms': ['2023-12-01', '2024-04-01', '2024-11-01', '2025-03-01'],
  'Microsoft.Web/sites': ['2023-12-01', '2024-04-01', '2024-11-01', '2025-03-01'],
  'Microsoft.Web/sites/config': ['2023-12-01', '2024-04-01', '2024-11-01', '2025-03-01'],
  'Microsoft.KeyVault/vaults': ['2023-07-01', '2024-11-01'],
  'Microsoft.KeyVault/vaults/secrets': ['2023-07-01', '2024-11-01'],
  'Microsoft.BotService/botServices': ['2022-09-15'],
  'Microsoft.BotService/botServices/channels': ['2022-09-15'],
};

/** The built-in roles the bot's identity may hold, each on one resource: what it needs, and nothing more. */
const ALLOWED_ROLES: Readonly<Record<string, { id: string; scope: string; why: string }>> = {
  storageTableDataContributor: {
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    scope: 'storage',
    why: 'read and write the answers (and create the tables) in this account only',
  },
  keyVaultSecretsUser: {
    id: '4633458b-17de-408a-b874-0445c86b69e6',
    scope: 'vault',
    why: "read the bot's client secret from its own vault, only when there is one (SingleTenant)",
  },
};

const mainResources = resources(mainBicep);
const botResources = resources(botBicep);
const resource = (list: BicepResource[], type: string): BicepResource => {
  const found = list.find((candidate) => candidate.type === type);
  if (!found) throw new Error(`no ${type} resource`);
  return found;
};
const appSettingsResource = resource(mainResources, 'Microsoft.Web/sites/config');
const appSettings = objectAt(appSettingsResource.body, 'properties');
const webApp = resource(mainResources, 'Microsoft.Web/sites');
const siteConfig = objectAt(objectAt(webApp.body, 'properties'), 'siteConfig');

/** Compares app settings to the config variables both ways; an empty result means they agree. */
function settingsMismatch(settingNames: readonly string[], configVariables: readonly string[]) {
  const expected = new Set([...configVariables.filter((name) => !(name in NOT_IN_AZURE)), ...Object.keys(PLATFORM_SETTINGS)]);
  const actual = new Set(settingNames);
  return {
    missing: [...expected].filter((name) => !actual.has(name)).sort(),
    unexpected: [...actual].filter((name) => !expected.has(name)).sort(),
  };
}

describe('azure.parameters.json', () => {
  const declared = params(mainBicep);

  it('is an ARM deployment parameters file', () => {
    expect(parametersFile.$schema).toMatch(/deploymentParameters\.json#$/);
    expect(parametersFile.contentVersion).toBe('1.0.0.0');
    expect(JSON.stringify(parametersFile)).not.toContain('${{');
  });

  it('sets only parameters that azure.bicep declares', () => {
    const names = new Set(declared.map((param) => param.name));
    for (const name of Object.keys(parametersFile.parameters)) expect(names, `parameter ${name}`).toContain(name);
  });

  it('gives every required parameter a value, or it is one passed on the command line', () => {
    const required = declared.filter((param) => !param.hasDefault).map((param) => param.name);
    expect(required).toContain('resourceBaseName');
    for (const name of required) {
      const inFile = parametersFile.parameters[name]?.value;
      expect(inFile !== undefined && inFile !== '' ? true : COMMAND_LINE_PARAMS.includes(name), `required parameter ${name}`).toBe(true);
    }
  });

  it('documents the command-line parameters and keeps secrets empty in the file', () => {
    for (const name of COMMAND_LINE_PARAMS) {
      expect(declared.map((param) => param.name)).toContain(name);
      expect(mainBicep.split('\n').slice(0, 10).join('\n'), `${name} in the usage comment`).toContain(`${name}=`);
    }
    for (const param of declared.filter((candidate) => candidate.secure)) {
      expect(parametersFile.parameters[param.name]?.value ?? '', `secure parameter ${param.name}`).toBe('');
    }
    expect(declared.find((param) => param.name === 'botAadAppClientSecret')?.secure).toBe(true);
  });

  it('uses values of the declared types', () => {
    for (const param of declared) {
      const value = parametersFile.parameters[param.name]?.value;
      if (value === undefined) continue;
      expect(typeof value, param.name).toBe(param.type === 'int' ? 'number' : param.type === 'bool' ? 'boolean' : 'string');
    }
  });
});

describe('App Service app settings', () => {
  const settingNames = topLevelKeys(appSettings);

  it('are exactly the config variables that matter in Azure, plus the platform settings', () => {
    expect(settingsMismatch(settingNames, CONFIG_VARIABLES)).toEqual({ missing: [], unexpected: [] });
    expect(new Set(settingNames).size).toBe(settingNames.length);
  });

  it('name only real config variables as local-only or platform-provided', () => {
    for (const name of Object.keys(NOT_IN_AZURE)) expect(CONFIG_VARIABLES, name).toContain(name);
    for (const name of Object.keys(PLATFORM_SETTINGS)) expect(CONFIG_VARIABLES, name).not.toContain(name);
  });

  it('catch a config variable that infra forgot, and a setting nobody reads', () => {
    const platform = Object.keys(PLATFORM_SETTINGS);
    expect(settingsMismatch(['A', ...platform], ['A', 'PORT', 'AZURITE_PORT'])).toEqual({ missing: [], unexpected: [] });
    expect(settingsMismatch(['A', ...platform], ['A', 'NEW_SETTING'])).toEqual({ missing: ['NEW_SETTING'], unexpected: [] });
    expect(settingsMismatch(['A', 'STALE_SETTING', 'PORT', ...platform], ['A', 'PORT'])).toEqual({
      missing: [],
      unexpected: ['PORT', 'STALE_SETTING'],
    });
    expect(settingsMismatch(['A'], ['A'])).toEqual({ missing: [...platform].sort(), unexpected: [] });
  });

  it('run the bot authenticated, signing in to storage as the managed identity, from the staged zip', () => {
    expect(valueOf(appSettings, 'MicrosoftAppId')).toBe('botAppId');
    expect(valueOf(appSettings, 'MicrosoftAppType')).toBe('botAppType');
    expect(valueOf(appSettings, 'STORAGE_ACCOUNT_URL')).toBe('storage.properties.primaryEndpoints.table');
    expect(valueOf(appSettings, 'AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(valueOf(appSettings, 'MIN_RESPONDENTS')).toBe('string(minRespondents)');
    expect(valueOf(appSettings, 'LOG_LEVEL')).toBe('logLevel');
    expect(valueOf(appSettings, 'SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe("'false'");
    expect(valueOf(appSettings, 'WEBSITE_RUN_FROM_PACKAGE')).toBe("'1'");
    expect(valueOf(appSettings, 'TAB_SSO_AUDIENCE')).toBe("'api://${webApp.properties.defaultHostName}/${botAppId},${botAppId}'");
    // An empty app id would put the bot in local mode (no authentication): the template stops the deployment instead.
    expect(mainBicep).toMatch(/empty\(botAadAppClientId\)\s*\?\s*fail\(/);
    expect(mainBicep).toMatch(/empty\(botAadAppClientSecret\)\s*\?\s*fail\(/);
  });
});

describe('resources', () => {
  const all = [...mainResources, ...botResources];
  const templates = [
    ['azure.bicep', mainBicep],
    ['botRegistration/azurebot.bicep', botBicep],
  ] as const;

  it('use current, non-preview API versions from the allow-list', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const { symbol, type, apiVersion } of all) {
      expect(API_VERSIONS[type], `${symbol}: ${type} is not in the allow-list`).toBeDefined();
      expect(API_VERSIONS[type], `${symbol}: ${type}@${apiVersion}`).toContain(apiVersion);
      expect(apiVersion >= '2022-01-01', `${symbol}: ${apiVersion} is older than 2022-01-01`).toBe(true);
      expect(apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('has a locked-down StorageV2 account for Table Storage', () => {
    const storage = resource(mainResources, 'Microsoft.Storage/storageAccounts');
    const props = objectAt(storage.body, 'properties');
    expect(valueOf(storage.body, 'kind')).toBe("'StorageV2'");
    expect(valueOf(objectAt(storage.body, 'sku'), 'name')).toBe("'Standard_LRS'");
    expect(valueOf(props, 'minimumTlsVersion')).toBe("'TLS1_2'");
    expect(valueOf(props, 'allowBlobPublicAccess')).toBe('false');
    // No account keys: a key in an app setting would open every answer to anyone who can read the configuration.
    expect(valueOf(props, 'allowSharedKeyAccess')).toBe('false');
    expect(valueOf(props, 'defaultToOAuthAuthentication')).toBe('true');
  });

  it('hold no storage key anywhere: no listKeys, no AccountKey, no connection string', () => {
    for (const [file, text] of templates) {
      const code = maskStringsAndComments(text);
      expect(code, file).not.toMatch(/listKeys|listAccountSas|listServiceSas/i);
      expect(text, file).not.toMatch(/AccountKey=|SharedAccessSignature=|STORAGE_CONNECTION_STRING\s*:/);
    }
  });

  it("gives the bot's identity only the roles it needs, each on its own resource", () => {
    const assignments = all.filter((candidate) => candidate.type === 'Microsoft.Authorization/roleAssignments');
    expect(assignments.length).toBeGreaterThan(0);
    const granted = assignments.map((assignment) => {
      const props = objectAt(assignment.body, 'properties');
      expect(valueOf(props, 'principalId'), assignment.symbol).toBe('identity.properties.principalId');
      expect(valueOf(props, 'principalType'), assignment.symbol).toBe("'ServicePrincipal'");
      const roleVar = /roleDefinitions',\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(valueOf(props, 'roleDefinitionId') ?? '')?.[1] ?? '';
      const allowed = ALLOWED_ROLES[roleVar];
      expect(allowed, `${assignment.symbol}: role ${roleVar} is not one the bot needs`).toBeDefined();
      // The role's id really is that built-in role, and it is held on that resource alone (not the group or subscription).
      expect(mainBicep).toMatch(new RegExp(`^var ${roleVar} = '${allowed?.id ?? ''}'$`, 'm'));
      expect(valueOf(assignment.body, 'scope'), assignment.symbol).toBe(allowed?.scope);
      return { role: roleVar, condition: assignment.condition };
    });
    expect(granted).toEqual([
      { role: 'storageTableDataContributor', condition: undefined },
      { role: 'keyVaultSecretsUser', condition: '(!useManagedIdentity)' },
    ]);
    expect(webApp.body).toMatch(/'\$\{identity\.id\}'/);
  });

  it('needs no secret by default, and keeps a client secret in Key Vault, never in an app setting', () => {
    expect(params(mainBicep).find((param) => param.name === 'botAppType')).toMatchObject({ hasDefault: true });
    expect(mainBicep).toMatch(/^param botAppType string = 'UserAssignedMSI'$/m);
    expect(parametersFile.parameters.botAppType?.value).toBe('UserAssignedMSI');
    // SingleTenant: the secret goes into a vault that authorises by RBAC, and the setting is a reference to it.
    const vault = resource(mainResources, 'Microsoft.KeyVault/vaults');
    expect(vault.condition).toBe('(!useManagedIdentity)');
    expect(valueOf(objectAt(vault.body, 'properties'), 'enableRbacAuthorization')).toBe('true');
    const secret = resource(mainResources, 'Microsoft.KeyVault/vaults/secrets');
    expect(valueOf(objectAt(secret.body, 'properties'), 'value')).toBe('botAppPassword');
    expect(valueOf(appSettings, 'MicrosoftAppPassword')).toBe(
      "useManagedIdentity ? '' : '@Microsoft.KeyVault(SecretUri=${botSecret!.properties.secretUri})'",
    );
    expect(valueOf(objectAt(webApp.body, 'properties'), 'keyVaultReferenceIdentity')).toBe('identity.id');
    const secureNames = params(mainBicep)
      .filter((param) => param.secure)
      .map((param) => param.name);
    for (const name of [...secureNames, 'botAppPassword']) expect(maskStringsAndComments(appSettings), name).not.toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('runs as many instances as the instanceCount parameter says, within what the plan allows', () => {
    const instanceCount = params(mainBicep).find((param) => param.name === 'instanceCount');
    expect(instanceCount).toMatchObject({ type: 'int', hasDefault: true });
    const defaultCount = Number(/^param instanceCount int = (\d+)$/m.exec(mainBicep)?.[1]);
    expect(defaultCount).toBeGreaterThanOrEqual(2);
    expect(mainBicep).toMatch(/@minValue\(1\)\s*@maxValue\(30\)\s*@description\(.*\)\s*param instanceCount int/);
    expect(parametersFile.parameters.instanceCount?.value).toBe(defaultCount);
    const plan = resource(mainResources, 'Microsoft.Web/serverfarms');
    expect(valueOf(objectAt(plan.body, 'sku'), 'capacity')).toBe('planCapacity');
    expect(mainBicep).toMatch(/^var planCapacity = instanceCount <= maxInstances \? instanceCount : fail\(/m);
    // Basic scales out to 3 instances: the default plan holds the default count.
    expect(mainBicep).toMatch(/^param webAppSKU string = 'B1'$/m);
    expect(mainBicep).toMatch(/^var maxInstances = startsWith\(webAppSKU, 'B'\) \? 3 :/m);
    expect(defaultCount).toBeLessThanOrEqual(3);
    // Any instance serves any request, and one that stops answering /healthz leaves the load balancer.
    expect(valueOf(objectAt(webApp.body, 'properties'), 'clientAffinityEnabled')).toBe('false');
    expect(valueOf(siteConfig, 'healthCheckPath')).toBe("'/healthz'");
  });

  it('runs a hardened Linux web app on Node 22 LTS or newer', () => {
    const plan = resource(mainResources, 'Microsoft.Web/serverfarms');
    expect(valueOf(objectAt(plan.body, 'properties'), 'reserved')).toBe('true');
    const linuxFx = /^'NODE\|(\d+)-lts'$/.exec(valueOf(siteConfig, 'linuxFxVersion') ?? '');
    expect(linuxFx, 'linuxFxVersion').not.toBeNull();
    expect(Number(linuxFx?.[1])).toBeGreaterThanOrEqual(22);
    expect(valueOf(objectAt(webApp.body, 'properties'), 'httpsOnly')).toBe('true');
    expect(valueOf(siteConfig, 'alwaysOn')).toBe('true');
    expect(valueOf(siteConfig, 'ftpsState')).toBe("'Disabled'");
    expect(valueOf(siteConfig, 'minTlsVersion')).toBe("'1.2'");
    // The staged zip has no TypeScript compiler: App Service runs the compiled bot with npm start's flags.
    expect(valueOf(siteConfig, 'appCommandLine')).toBe("'npm run serve'");
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.serve).toBe('node $npm_package_config_nodeFlags dist/main.js');
    expect(scripts.start).toContain(scripts.serve ?? 'serve');
  });

  it("registers an Azure Bot on F0 whose endpoint is the web app's /api/messages, with the Teams channel", () => {
    const bot = resource(botResources, 'Microsoft.BotService/botServices');
    expect(valueOf(bot.body, 'kind')).toBe("'azurebot'");
    expect(valueOf(bot.body, 'location')).toBe("'global'");
    const props = objectAt(bot.body, 'properties');
    for (const key of ['msaAppId', 'msaAppType', 'msaAppTenantId', 'endpoint']) expect(topLevelKeys(props)).toContain(key);
    expect(botBicep).toMatch(/param botServiceSku string = 'F0'/);
    const endpointVar = /^var endpoint = '(.*)'$/m.exec(botBicep)?.[1] ?? '';
    expect(valueOf(props, 'endpoint')).toBe('endpoint');
    expect(endpointVar).toBe('https://${botAppDomain}/api/messages');
    expect(endpointVar.endsWith('/api/messages')).toBe(true);
    const channel = resource(botResources, 'Microsoft.BotService/botServices/channels');
    expect(valueOf(channel.body, 'name')).toBe("'MsTeamsChannel'");
    expect(valueOf(objectAt(channel.body, 'properties'), 'channelName')).toBe("'MsTeamsChannel'");
  });

  it('passes the module exactly the parameters it declares, and every one it requires', () => {
    const masked = maskStringsAndComments(mainBicep);
    const start = mainBicep.search(/^module azureBotRegistration '\.\/botRegistration\/azurebot\.bicep'/m);
    expect(start).toBeGreaterThan(-1);
    expect(masked.startsWith('module', start), 'the module line is code, not a comment').toBe(true);
    const moduleBody = mainBicep.slice(masked.indexOf('{', start));
    const passed = topLevelKeys(objectAt(moduleBody, 'params'));
    const declared = params(botBicep);
    for (const name of passed)
      expect(
        declared.map((param) => param.name),
        `module param ${name}`,
      ).toContain(name);
    for (const param of declared.filter((candidate) => !candidate.hasDefault))
      expect(passed, `required module param ${param.name}`).toContain(param.name);
    expect(valueOf(objectAt(moduleBody, 'params'), 'botAppDomain')).toBe('webApp.properties.defaultHostName');
  });

  it('outputs what the Teams app package and the zip deploy need, under the names env/.env.dev uses', () => {
    const outputs = [...mainBicep.matchAll(/^output\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((match) => match[1]);
    const dev = parseEnvFile(readFileSync(path.resolve('env', '.env.dev'), 'utf8'));
    for (const name of ['BOT_DOMAIN', 'BOT_ID']) {
      expect(outputs).toContain(name);
      expect(Object.keys(dev)).toContain(name);
    }
    expect(outputs).toContain('AZURE_APP_SERVICE_RESOURCE_ID');
    expect(mainBicep).toMatch(/^output BOT_DOMAIN string = webApp\.properties\.defaultHostName$/m);
    expect(mainBicep).not.toMatch(/^output\s+\S+\s+\S+\s*=.*(Secret|Password|listKeys)/m);
  });
});

describe('the Bicep reader used by these tests', () => {
  it('ignores braces and keys inside strings and comments', () => {
    const text =
      "resource x 'A/b@2024-01-01' = {\n  // c: { not a key\n  name: 'a{b}:c'\n  properties: {\n    k: 'v' // trailing: comment\n  }\n}\n";
    const [found] = resources(text);
    expect(found).toMatchObject({ symbol: 'x', type: 'A/b', apiVersion: '2024-01-01', condition: undefined });
    expect(topLevelKeys(found?.body ?? '')).toEqual(['name', 'properties']);
    expect(valueOf(objectAt(found?.body ?? '', 'properties'), 'k')).toBe("'v'");
  });

  it('reads the condition of a conditional resource', () => {
    const [found] = resources("resource v 'A/b@2024-01-01' = if (!useManagedIdentity) {\n  name: 'v'\n}\n");
    expect(found?.condition).toBe('(!useManagedIdentity)');
    expect(topLevelKeys(found?.body ?? '')).toEqual(['name']);
  });

  it('reads defaults and @secure() of params', () => {
    const text = "@secure()\nparam s string\n\n@allowed([\n  'a'\n])\nparam t string = 'a'\nparam n int\n";
    expect(params(text)).toEqual([
      { name: 's', type: 'string', hasDefault: false, secure: true },
      { name: 't', type: 'string', hasDefault: true, secure: false },
      { name: 'n', type: 'int', hasDefault: false, secure: false },
    ]);
  });
});
