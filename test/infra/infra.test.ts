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
  BOT_OPENID_METADATA_URL: "test-only: points token checks at a local key set; unset, botbuilder uses Bot Framework's own.",
  BOT_TOKEN_ISSUER: "test-only: the issuer of those local tokens; unset, botbuilder expects Bot Framework's.",
};
/** App Service's own settings, which no code of ours reads. */
const PLATFORM_SETTINGS: Readonly<Record<string, string>> = {
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'tells the zip deploy to run the Oryx build (npm install)',
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
  'Microsoft.BotService/botServices': ['2022-09-15'],
  'Microsoft.BotService/botServices/channels': ['2022-09-15'],
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

  it("run the bot authenticated, with storage from the account's keys and the deployment settings", () => {
    expect(valueOf(appSettings, 'MicrosoftAppId')).toBe('botAppId');
    expect(valueOf(appSettings, 'MicrosoftAppType')).toBe('botAppType');
    expect(valueOf(appSettings, 'STORAGE_CONNECTION_STRING')).toMatch(/AccountKey=\$\{storage\.listKeys\(\)\.keys\[0\]\.value\}/);
    expect(valueOf(appSettings, 'MIN_RESPONDENTS')).toBe('string(minRespondents)');
    expect(valueOf(appSettings, 'LOG_LEVEL')).toBe('logLevel');
    expect(valueOf(appSettings, 'SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe("'true'");
    expect(valueOf(appSettings, 'TAB_SSO_AUDIENCE')).toBe("'api://${webApp.properties.defaultHostName}/${botAppId},${botAppId}'");
    // An empty app id would put the bot in local mode (no authentication): the template stops the deployment instead.
    expect(mainBicep).toMatch(/empty\(botAadAppClientId\)\s*\?\s*fail\(/);
    expect(mainBicep).toMatch(/empty\(botAadAppClientSecret\)\s*\?\s*fail\(/);
  });
});

describe('resources', () => {
  const all = [...mainResources, ...botResources];

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
    expect(valueOf(props, 'allowSharedKeyAccess')).toBe('true'); // the code connects with a connection string
  });

  it('grants the managed identity Storage Table Data Contributor on the account', () => {
    const role = resource(mainResources, 'Microsoft.Authorization/roleAssignments');
    expect(valueOf(role.body, 'scope')).toBe('storage');
    const props = objectAt(role.body, 'properties');
    expect(valueOf(props, 'principalId')).toBe('identity.properties.principalId');
    expect(valueOf(props, 'principalType')).toBe("'ServicePrincipal'");
    expect(mainBicep).toContain("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(webApp.body).toMatch(/'\$\{identity\.id\}'/);
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
    expect(valueOf(siteConfig, 'appCommandLine')).toBe("'npm start'");
    expect(valueOf(siteConfig, 'healthCheckPath')).toBe("'/healthz'");
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

  it('outputs what the Teams app package needs: BOT_DOMAIN and BOT_ID, as in manifest/env', () => {
    const outputs = [...mainBicep.matchAll(/^output\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((match) => match[1]);
    const sample = parseEnvFile(readFileSync(path.resolve('manifest', 'env', '.env.dev.sample'), 'utf8'));
    for (const name of ['BOT_DOMAIN', 'BOT_ID']) {
      expect(outputs).toContain(name);
      expect(Object.keys(sample)).toContain(name);
    }
    expect(mainBicep).toMatch(/^output BOT_DOMAIN string = webApp\.properties\.defaultHostName$/m);
    expect(mainBicep).not.toMatch(/^output\s+\S+\s+\S+\s*=.*(Secret|Password|listKeys)/m);
  });
});

describe('the Bicep reader used by these tests', () => {
  it('ignores braces and keys inside strings and comments', () => {
    const text =
      "resource x 'A/b@2024-01-01' = {\n  // c: { not a key\n  name: 'a{b}:c'\n  properties: {\n    k: 'v' // trailing: comment\n  }\n}\n";
    const [found] = resources(text);
    expect(found).toMatchObject({ symbol: 'x', type: 'A/b', apiVersion: '2024-01-01' });
    expect(topLevelKeys(found?.body ?? '')).toEqual(['name', 'properties']);
    expect(valueOf(objectAt(found?.body ?? '', 'properties'), 'k')).toBe("'v'");
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
