import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { isTenantAllowed } from '../model/tenants.js';
import { messageOf } from '../errors.js';

/** Who is asking, from a verified Microsoft Entra token: never from the query string. */
export interface TabIdentity {
  tenantId: string;
  memberId: string;
}

/** 401: the token is missing or not acceptable. 503: the server cannot check tokens right now (or is not set up to). */
export class TabAuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'TabAuthError';
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<TabIdentity>;
}

export interface TokenVerifierOptions {
  jwksUrl: string;
  /** Accepted "aud" values: the tab's Application ID URI (v1 tokens) and/or its client id (v2 tokens). */
  audiences: readonly string[];
  /** Tenants whose members may use the tab; empty allows every tenant. */
  allowedTenants?: readonly string[];
}

/** Entra signs with RS256; accepting nothing else rules out algorithm confusion. */
const ALGORITHMS = ['RS256'];
/** Small clock differences between Entra and this server should not lock people out. */
const CLOCK_TOLERANCE_SECONDS = 60;

/** Failures that say the token is bad (as opposed to the key set being unreachable). */
const TOKEN_ERRORS = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
];

/** v2.0 tokens name the tenant in a login.microsoftonline.com issuer, v1.0 tokens in an sts.windows.net one. */
export function acceptedIssuers(tenantId: string): string[] {
  return [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

function text(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Checks a Teams SSO token (from `authentication.getAuthToken()`): signature against the key set,
 * audience, expiry, and an issuer that belongs to the token's own tenant. The key set is fetched once
 * and cached; an unknown key id refetches it (rotation), rate-limited by jose's cooldown.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl));
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          audience: [...options.audiences],
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'iss', 'tid', 'oid'],
        }));
      } catch (error) {
        if (TOKEN_ERRORS.some((type) => error instanceof type)) {
          throw new TabAuthError(401, `The sign-in token was refused (${messageOf(error)}). Reload the tab to sign in again.`);
        }
        throw new TabAuthError(
          503,
          `Could not check the sign-in token: the signing keys at ${options.jwksUrl} could not be read (${messageOf(error)}). Try again shortly.`,
        );
      }
      const tenantId = text(payload, 'tid');
      const memberId = text(payload, 'oid');
      if (!tenantId || !memberId) throw new TabAuthError(401, 'The sign-in token names no tenant (tid) or user (oid).');
      if (!acceptedIssuers(tenantId).includes(String(payload.iss))) {
        throw new TabAuthError(401, `The sign-in token's issuer (${String(payload.iss)}) does not belong to its tenant ${tenantId}.`);
      }
      if (!isTenantAllowed(tenantId, options.allowedTenants ?? [])) {
        throw new TabAuthError(401, `This app is not available to your organisation (tenant ${tenantId}). Ask your Teams administrator.`);
      }
      return { tenantId, memberId };
    },
  };
}
