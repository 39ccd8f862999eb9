import { errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import { ForbiddenError, UnauthenticatedError } from "../../shared/errors";
import { canonicalVendor, vendorIdProblem } from "../../shared/vendor";
import type { Identity } from "./review-queue";

/** Claims Spotcheck reads, named as Cognito issues them. */
export const CLAIMS = {
  groups: "cognito:groups",
  vendor: "custom:vendor",
  tokenUse: "token_use",
} as const;

/**
 * Cognito marks its ID tokens `token_use: "id"` and its access tokens `"access"`. Only ID tokens
 * carry the groups and `custom:vendor` this app authorises with.
 */
export const ID_TOKEN_USE = "id";

const ROLE_ORDER = ["reviewer", "manager", "admin"] as const;

/**
 * Verifies bearer tokens against an issuer's keys (Cognito's JWKS, or the local issuer's). A
 * token must be signed by the issuer for the audience, unexpired, carry `exp` (a token without
 * one would never expire) and be an ID token (`token_use: "id"`); anything else is an
 * UnauthenticatedError (401).
 */
export function createTokenVerifier(options: {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}) {
  return async (authorization: string | undefined): Promise<Identity> => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? "")?.[1];
    if (!token) throw new UnauthenticatedError("sign in: send 'Authorization: Bearer <token>'");
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["exp", CLAIMS.tokenUse],
      }));
    } catch (error) {
      if (error instanceof errors.JWTClaimValidationFailed && error.reason === "missing")
        throw new UnauthenticatedError(`the token has no '${error.claim}' claim: sign in again`);
      throw new UnauthenticatedError("the token is invalid or expired: sign in again");
    }
    if (payload[CLAIMS.tokenUse] !== ID_TOKEN_USE)
      throw new UnauthenticatedError(
        `the token is not an ID token (token_use must be "${ID_TOKEN_USE}"): send the ID token from sign-in`,
      );
    const groups = Array.isArray(payload[CLAIMS.groups])
      ? (payload[CLAIMS.groups] as unknown[]).map(String)
      : [];
    const role = [...ROLE_ORDER].reverse().find((r) => groups.includes(r));
    if (!role)
      throw new ForbiddenError(
        "your account is in no Spotcheck group (reviewer, manager or admin)",
      );
    if (typeof payload.sub !== "string" || payload.sub === "")
      throw new UnauthenticatedError("the token has no subject");
    const vendor = affiliation(payload[CLAIMS.vendor]);
    return { sub: payload.sub, role, ...(vendor !== undefined ? { vendor } : {}) };
  };
}

/**
 * The canonical vendor of a `custom:vendor` claim; undefined when it is absent or blank (staff).
 * A claim that is present but not a vendor id is refused, never ignored: ignoring it would
 * turn a vendor's manager into an unaffiliated one, who sees every vendor.
 */
function affiliation(claim: unknown): string | undefined {
  if (claim === undefined || claim === null) return undefined;
  const vendor = typeof claim === "string" ? canonicalVendor(claim) : undefined;
  if (vendor === "") return undefined;
  const problem = vendor === undefined ? "is not a string" : vendorIdProblem(vendor);
  if (problem !== undefined)
    throw new ForbiddenError(
      `your account's vendor affiliation (${CLAIMS.vendor}) ${problem}: ask an administrator to fix it`,
    );
  return vendor;
}
