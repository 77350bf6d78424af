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
