import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCredentials, AuthenticationConstants } from 'botframework-connector';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A local stand-in for Bot Framework's token service: an OpenID configuration and its key set (one RSA key
 * the test generates), and tokens signed with it as the Bot Connector signs the requests it sends a bot.
 * Each instance has its own URLs: botbuilder caches OpenID metadata per URL for the life of the process.
 */
export interface BotFrameworkKeys {
  metadataUrl: string;
  issuer: string;
  /** Signs a Bot Connector token; every claim can be overridden to make a bad one. */
  sign(options: TokenOptions): Promise<string>;
  /** A key nobody published, for forged tokens (signed with it but naming the published key id). */
  forgerKey: CryptoKey;
  /** How many times the bot fetched the key set. */
  keyFetches(): number;
  close(): Promise<void>;
}

export interface TokenOptions {
  audience: string;
  serviceUrl: string;
  issuer?: string;
  /** Seconds from now; negative for a token that expired that long ago. */
  expiresIn?: number;
  key?: CryptoKey;
  kid?: string;
  claims?: JWTPayload;
}

export async function serveBotFrameworkKeys(): Promise<BotFrameworkKeys> {
  const [{ publicKey, privateKey }, forger] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256'),
  ]);
  const id = randomUUID();
  const kid = `bf-${id}`;
  // Bot Framework's keys carry the channels that endorse them; botbuilder checks the activity's channelId against them.
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] };
  let fetches = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === `/${id}/.well-known/openidconfiguration`) {
      return send(200, { issuer: `${base}/${id}`, jwks_uri: `${base}/${id}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.url === `/${id}/keys`) {
      fetches += 1;
      return send(200, { keys: [jwk] });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/${id}`;
  return {
    metadataUrl: `${base}/${id}/.well-known/openidconfiguration`,
    issuer,
    forgerKey: forger.privateKey,
    keyFetches: () => fetches,
    async sign(options) {
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresIn ?? 3600;
      return new SignJWT({ serviceurl: options.serviceUrl, ...options.claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience)
        .setIssuedAt(now - 60 + Math.min(0, expiresIn))
        .setNotBefore(now - 60 + Math.min(0, expiresIn))
        .setExpirationTime(now + expiresIn)
        .sign(options.key ?? privateKey);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * The bot's replies need a token from Microsoft Entra (login.microsoftonline.com), which MSAL only fetches over
 * https from a real authority: unreachable from a test. botbuilder keeps the tokens it got in one process-wide
 * cache (AppCredentials.cache, keyed by app id and scope) and uses a cached token while it is valid, so the test
 * puts one there, as if Entra had just issued it. Everything after that (signing the reply, sending it to the
 * connector) is botbuilder's real code, and the connector sees exactly this token.
 */
export function pretendEntraIssuedToken(appId: string, accessToken: string): () => void {
  // The cache is private in botbuilder's typings; its key format is AppCredentials' tokenCacheKey.
  const { cache } = AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> };
  const key = `${appId}${AuthenticationConstants.ToChannelFromBotOAuthScope}-cache`;
  cache.set(key, { accessToken, expiresOn: new Date(Date.now() + 3_600_000) });
  return () => void cache.delete(key);
}

/** The configuration of a bot with an app id that trusts these keys (its token issuer and OpenID metadata). */
export function authenticatedBotEnv(keys: BotFrameworkKeys, appId: string, password = 'secret'): Record<string, string> {
  return {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: password,
    BOT_OPENID_METADATA_URL: keys.metadataUrl,
    BOT_TOKEN_ISSUER: keys.issuer,
  };
}
