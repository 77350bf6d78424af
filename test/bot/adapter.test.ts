import { AuthenticationConstants } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { authenticationSettings } from '../../src/bot/adapter.js';
import type { BotCredentials } from '../../src/config.js';

const credentials: BotCredentials = { appId: 'app', appPassword: 'secret', appType: 'MultiTenant', tenantId: undefined };
const none = { openIdMetadataUrl: undefined, tokenIssuer: undefined };

describe('authenticationSettings', () => {
  it('is empty in local mode (no app id), which turns authentication off', () => {
    expect(authenticationSettings(undefined, { openIdMetadataUrl: 'http://127.0.0.1/x', tokenIssuer: 'x' })).toEqual({});
  });

  it('passes only the credentials by default, so botbuilder picks the public cloud itself', () => {
    expect(authenticationSettings(credentials, none)).toEqual({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppTenantId: '',
    });
  });

  it('with a local OpenID configuration, gives every endpoint (botbuilder then takes all as given) and keeps the outgoing ones public', () => {
    const settings = authenticationSettings(credentials, { openIdMetadataUrl: 'http://127.0.0.1:4000/oidc', tokenIssuer: undefined });
    expect(settings).toMatchObject({
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:4000/oidc',
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ValidateAuthority: true,
    });
  });
});
