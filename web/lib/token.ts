/** The claims the pages show: who is signed in and in which groups. */
export interface TokenClaims {
  sub?: string;
  "cognito:groups"?: string[];
  "custom:vendor"?: string;
}

/**
 * The payload of a JWT, decoded for display only (the API verifies the signature); null if
 * the token is not a readable JWT.
 */
export function readClaims(token: string): TokenClaims | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims: unknown = JSON.parse(json);
    return typeof claims === "object" && claims !== null ? (claims as TokenClaims) : null;
  } catch {
    return null;
  }
}

/** `sub · group, group`, as the page headers show the signed-in user. */
export function describeUser(claims: TokenClaims): string {
  return `${claims.sub ?? ""} · ${(claims["cognito:groups"] ?? []).join(", ")}`;
}
