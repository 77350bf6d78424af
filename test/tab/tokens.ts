import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const OTHER_TENANT = '99999999-8888-7777-6666-555555555555';
export const AUDIENCE = 'api://pulse.example.com/00000000-aaaa-bbbb-cccc-000000000001';

export interface KeySet {
  url: string;
  kid: string;
  privateKey: CryptoKey;
  /** How many times the key set was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

/** A local JWKS endpoint with a freshly generated RS256 key, standing in for Entra's. */
export async function serveKeySet(): Promise<KeySet> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/discovery/v2.0/keys`,
    kid,
    privateKey,
    fetches: () => fetches,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export interface TokenOptions {
  key: CryptoKey;
  kid: string;
  tenantId?: string;
  memberId?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for a token that has expired. */
  expiresIn?: number;
  claims?: JWTPayload;
}

/** A token shaped like a Teams SSO (Entra v2) access token. */
export async function signToken(options: TokenOptions): Promise<string> {
  const tenantId = options.tenantId ?? TENANT;
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { tid: tenantId, scp: 'access_as_user', ...options.claims };
  if (options.memberId !== undefined) claims.oid = options.memberId;
  else if (!('oid' in claims)) claims.oid = 'aaaaaaaa-0000-0000-0000-000000000001';
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${tenantId}/v2.0`)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(options.key);
}
