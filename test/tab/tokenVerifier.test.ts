import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, TabAuthError } from '../../src/tab/tokenVerifier.js';
import { freePort } from '../support/ports.js';
import { AUDIENCE, OTHER_TENANT, serveKeySet, signToken, TENANT, type KeySet } from './tokens.js';

let keys: KeySet;
beforeAll(async () => {
  keys = await serveKeySet();
});
afterAll(async () => {
  await keys.close();
});

async function refusal(promise: Promise<unknown>): Promise<TabAuthError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TabAuthError)) throw new Error(`Expected a TabAuthError, got ${String(error)}`);
  return error;
}

describe('createTokenVerifier (against a local key set)', () => {
  const verifier = () => createTokenVerifier({ jwksUrl: keys.url, audiences: [AUDIENCE] });

  it('takes the tenant from tid and the member from oid, for v2.0 and v1.0 issuers', async () => {
    const v2 = await signToken({ key: keys.privateKey, kid: keys.kid, memberId: 'member-oid' });
    expect(await verifier().verify(v2)).toEqual({ tenantId: TENANT, memberId: 'member-oid' });
    const v1 = await signToken({ key: keys.privateKey, kid: keys.kid, issuer: `https://sts.windows.net/${TENANT}/` });
    expect((await verifier().verify(v1)).tenantId).toBe(TENANT);
  });

  it('accepts any of several audiences (Application ID URI for v1 tokens, client id for v2)', async () => {
    const token = await signToken({ key: keys.privateKey, kid: keys.kid, audience: 'client-id-guid' });
    const both = createTokenVerifier({ jwksUrl: keys.url, audiences: [AUDIENCE, 'client-id-guid'] });
    expect((await both.verify(token)).tenantId).toBe(TENANT);
  });

  it('refuses an issuer that belongs to another tenant than the token claims', async () => {
    const token = await signToken({
      key: keys.privateKey,
      kid: keys.kid,
      issuer: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`,
    });
    const error = await refusal(verifier().verify(token));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/issuer .* does not belong to its tenant/);
  });

  it('refuses a token without oid or tid', async () => {
    const noOid = await signToken({ key: keys.privateKey, kid: keys.kid, claims: { oid: undefined } });
    expect((await refusal(verifier().verify(noOid))).status).toBe(401);
    const noTid = await new SignJWT({ oid: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: keys.kid })
      .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(keys.privateKey);
    expect((await refusal(verifier().verify(noTid))).message).toMatch(/"tid" claim/);
  });

  it('refuses a token without an expiry', async () => {
    const token = await new SignJWT({ oid: 'x', tid: TENANT })
      .setProtectedHeader({ alg: 'RS256', kid: keys.kid })
      .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience(AUDIENCE)
      .sign(keys.privateKey);
    expect((await refusal(verifier().verify(token))).message).toMatch(/"exp" claim/);
  });

  it('refuses a symmetric (HS256) token, whatever its key', async () => {
    const token = await new SignJWT({ oid: 'x', tid: TENANT })
      .setProtectedHeader({ alg: 'HS256', kid: keys.kid })
      .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a shared secret that is long enough for HS256'));
    expect((await refusal(verifier().verify(token))).status).toBe(401);
  });

  it('refuses a token signed by a key that is not in the key set, even under a known key id', async () => {
    const other = await generateKeyPair('RS256');
    const sameKid = await signToken({ key: other.privateKey, kid: keys.kid });
    expect((await refusal(verifier().verify(sameKid))).message).toMatch(/signature verification failed/);
    const unknownKid = await signToken({ key: other.privateKey, kid: 'forged-kid' });
    expect((await refusal(verifier().verify(unknownKid))).status).toBe(401);
  });

  it('refuses garbage without fetching the key set', async () => {
    const fresh = createTokenVerifier({ jwksUrl: keys.url, audiences: [AUDIENCE] });
    const before = keys.fetches();
    expect((await refusal(fresh.verify('not-a-token'))).status).toBe(401);
    expect(keys.fetches()).toBe(before);
  });

  it('serves only the allowed tenants when there is a list (case does not matter)', async () => {
    const token = await signToken({ key: keys.privateKey, kid: keys.kid });
    const others = createTokenVerifier({ jwksUrl: keys.url, audiences: [AUDIENCE], allowedTenants: [OTHER_TENANT] });
    expect((await refusal(others.verify(token))).message).toMatch(/not available to your organisation \(tenant 11111111-/);
    const ours = createTokenVerifier({ jwksUrl: keys.url, audiences: [AUDIENCE], allowedTenants: [OTHER_TENANT, TENANT.toUpperCase()] });
    expect((await ours.verify(token)).tenantId).toBe(TENANT);
  });

  it('answers 503, not 401, when the key set cannot be read', async () => {
    const unreachable = createTokenVerifier({ jwksUrl: `http://127.0.0.1:${await freePort()}/keys`, audiences: [AUDIENCE] });
    const token = await signToken({ key: keys.privateKey, kid: keys.kid });
    const error = await refusal(unreachable.verify(token));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/signing keys at http:\/\/127\.0\.0\.1:\d+\/keys could not be read/);
  });
});
