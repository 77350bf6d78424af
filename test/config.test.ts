import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const TENANT = '72F988BF-0000-4000-8000-000000000001';

describe('loadConfig: the hardening settings', () => {
  it('leaves the allow-list empty and Bot Framework authentication at its own endpoints by default', () => {
    const config = loadConfig({});
    expect(config.allowedTenants).toEqual([]);
    expect(config.channelAuth).toEqual({ openIdMetadataUrl: undefined, tokenIssuer: undefined });
  });

  it('reads ALLOWED_TENANTS as lower-case GUIDs separated by commas or spaces', () => {
    expect(loadConfig({ ALLOWED_TENANTS: ` ${TENANT}, 5ec0d000-0000-4000-8000-000000000002 ` }).allowedTenants).toEqual([
      TENANT.toLowerCase(),
      '5ec0d000-0000-4000-8000-000000000002',
    ]);
  });

  it("accepts the Agents Playground's user and tenant ids, whose last group has 13 digits, and nothing else of that length", () => {
    const playgroundUser = '00000000-0000-0000-0000-0000000000020';
    const config = loadConfig({ COE_ADMINS: playgroundUser, ALLOWED_TENANTS: '00000000-0000-0000-0000-0000000000001' });
    expect(config.admins.objectIds).toEqual([playgroundUser]);
    expect(config.allowedTenants).toEqual(['00000000-0000-0000-0000-0000000000001']);
    expect(() => loadConfig({ COE_ADMINS: '6f1c0000-0000-4000-8000-00000000a0010' })).toThrow(/COE_ADMINS/);
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ ALLOWED_TENANTS: 'contoso.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ ALLOWED_TENANTS: 'contoso.com' })).toThrow(/ALLOWED_TENANTS.*tenant ids \(GUIDs\)/);
    // Keys over plain http only from this machine: a remote key set must come over https.
    expect(() => loadConfig({ BOT_OPENID_METADATA_URL: 'http://keys.example.com/.well-known/openidconfiguration' })).toThrow(
      /BOT_OPENID_METADATA_URL.*https/,
    );
  });

  it('accepts a local OpenID configuration and issuer (for tests)', () => {
    const config = loadConfig({
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:4000/.well-known/openidconfiguration',
      BOT_TOKEN_ISSUER: 'http://127.0.0.1:4000/',
    });
    expect(config.channelAuth).toEqual({
      openIdMetadataUrl: 'http://127.0.0.1:4000/.well-known/openidconfiguration',
      tokenIssuer: 'http://127.0.0.1:4000/',
    });
  });
});

describe('loadConfig: storage', () => {
  const ACCOUNT_URL = 'https://contosopulse.table.core.windows.net';
  const CLIENT_ID = '5EC0D000-0000-4000-8000-0000000000C1';
  const KEY_STRING = 'DefaultEndpointsProtocol=https;AccountName=contosopulse;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net';
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error('loadConfig accepted the settings');
  };

  it('runs on the embedded Azurite when nothing is set', () => {
    expect(loadConfig({}).storage).toEqual({ kind: 'azurite', location: '.data/azurite', port: 10002 });
  });

  it('uses a connection string when one is set (an account key, a SAS or the emulator)', () => {
    expect(loadConfig({ STORAGE_CONNECTION_STRING: KEY_STRING }).storage).toEqual({ kind: 'azure', connectionString: KEY_STRING });
    const sas = 'TableEndpoint=https://contosopulse.table.core.windows.net/;SharedAccessSignature=sv=2024-11-04&sig=x';
    expect(loadConfig({ STORAGE_CONNECTION_STRING: sas }).storage).toEqual({ kind: 'azure', connectionString: sas });
    expect(loadConfig({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).storage).toMatchObject({ kind: 'azure' });
  });

  it('signs in to a table endpoint with the managed identity its client id names, and needs no key', () => {
    expect(loadConfig({ STORAGE_ACCOUNT_URL: `${ACCOUNT_URL}/`, AZURE_CLIENT_ID: CLIENT_ID }).storage).toEqual({
      kind: 'azure',
      accountUrl: ACCOUNT_URL,
      managedIdentityClientId: CLIENT_ID.toLowerCase(),
    });
    // No client id: the developer's own sign-in (Azure CLI and the like).
    expect(loadConfig({ STORAGE_ACCOUNT_URL: ACCOUNT_URL }).storage).toEqual({
      kind: 'azure',
      accountUrl: ACCOUNT_URL,
      managedIdentityClientId: undefined,
    });
    // Azurite's path-style endpoint, as the token test uses it.
    expect(loadConfig({ STORAGE_ACCOUNT_URL: 'https://127.0.0.1:10002/devstoreaccount1' }).storage).toMatchObject({
      accountUrl: 'https://127.0.0.1:10002/devstoreaccount1',
    });
  });

  it('refuses a connection string and an account URL together', () => {
    expect(problems({ STORAGE_CONNECTION_STRING: KEY_STRING, STORAGE_ACCOUNT_URL: ACCOUNT_URL })).toMatch(
      /STORAGE_ACCOUNT_URL and STORAGE_CONNECTION_STRING are both set: set one/,
    );
  });

  it('refuses an account URL that is not an https table endpoint, saying what to set instead', () => {
    expect(problems({ STORAGE_ACCOUNT_URL: 'http://contosopulse.table.core.windows.net' })).toMatch(
      /STORAGE_ACCOUNT_URL must be an https URL/,
    );
    expect(problems({ STORAGE_ACCOUNT_URL: 'contosopulse.table.core.windows.net' })).toMatch(
      /STORAGE_ACCOUNT_URL must be a URL such as https:/,
    );
    expect(problems({ STORAGE_ACCOUNT_URL: 'https://contosopulse.blob.core.windows.net' })).toMatch(
      /STORAGE_ACCOUNT_URL is the account's blob endpoint; use its table endpoint/,
    );
    expect(problems({ STORAGE_ACCOUNT_URL: `${ACCOUNT_URL}?sv=2024-11-04&sig=abc` })).toMatch(
      /STORAGE_ACCOUNT_URL must be the bare table endpoint.*set STORAGE_CONNECTION_STRING instead/,
    );
  });

  it('refuses a client id that is not a GUID', () => {
    expect(problems({ STORAGE_ACCOUNT_URL: ACCOUNT_URL, AZURE_CLIENT_ID: 'maturitypulse' })).toMatch(
      /AZURE_CLIENT_ID must be the client id \(a GUID\) of the user-assigned managed identity \(got "maturitypulse"\)/,
    );
  });

  it('refuses a connection string that is not one, and never repeats a secret in the error', () => {
    expect(problems({ STORAGE_CONNECTION_STRING: ACCOUNT_URL })).toMatch(
      /STORAGE_CONNECTION_STRING must be a connection string.*set STORAGE_ACCOUNT_URL instead/,
    );
    const leaked = problems({ STORAGE_CONNECTION_STRING: 'AccountKey=c2VjcmV0LWtleQ==' });
    expect(leaked).toMatch(/STORAGE_CONNECTION_STRING must be a connection string .*\(got a value of 27 characters, not shown\)/);
    expect(leaked).not.toContain('c2VjcmV0LWtleQ');
    const both = problems({ STORAGE_CONNECTION_STRING: KEY_STRING, STORAGE_ACCOUNT_URL: ACCOUNT_URL });
    expect(both).not.toContain('c2VjcmV0LWtleQ');
  });
});
