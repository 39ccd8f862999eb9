import { type JWTVerifyGetKey, jwtVerify } from "jose";
import { ForbiddenError, UnauthenticatedError } from "./errors";
import type { Identity } from "./review-queue";

/** Claims Spotcheck reads, named as Cognito issues them. */
export const CLAIMS = { groups: "cognito:groups", vendor: "custom:vendor" } as const;

const ROLE_ORDER = ["reviewer", "manager", "admin"] as const;

/** Verifies bearer tokens against an issuer's keys (Cognito's JWKS, or the local issuer's). */
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
      }));
    } catch {
      throw new UnauthenticatedError("the token is invalid or expired: sign in again");
    }
    const groups = Array.isArray(payload[CLAIMS.groups])
      ? (payload[CLAIMS.groups] as unknown[]).map(String)
      : [];
    const role = [...ROLE_ORDER].reverse().find((r) => groups.includes(r));
    if (!role)
      throw new ForbiddenError(
        "your account is in no Spotcheck group (reviewer, manager or admin)",
      );
    const vendor = payload[CLAIMS.vendor];
    if (typeof payload.sub !== "string" || payload.sub === "")
      throw new UnauthenticatedError("the token has no subject");
    return {
      sub: payload.sub,
      role,
      ...(typeof vendor === "string" && vendor !== "" ? { vendor } : {}),
    };
  };
}
