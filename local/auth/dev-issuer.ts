import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { CLAIMS, createTokenVerifier, ID_TOKEN_USE } from "../../core/review-api/auth";
import type { Identity } from "../../core/review-api/review-queue";
import { localDir } from "../endpoints";

/** The local stand-in for the Cognito user pool: one signing key, kept under `.local/`. */
export interface DevIssuer {
  issuer: string;
  audience: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export const devIssuerPath = (): string => resolve(localDir(), "dev-issuer.json");

/** Loads the local issuer's key, creating an ES256 key pair on first use. */
export async function loadOrCreateDevIssuer(path = devIssuerPath()): Promise<DevIssuer> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as DevIssuer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const issuer: DevIssuer = {
    issuer: "https://spotcheck.local/dev-issuer",
    audience: "spotcheck-local",
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "ES256" },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" },
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(issuer, null, 2)}\n`, { mode: 0o600, flag: "wx" }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    },
  );
  return JSON.parse(await readFile(path, "utf8")) as DevIssuer;
}

/**
 * Signs a token with the claims Cognito would put in an ID token for this person, `token_use`
 * and `exp` included (the verifier refuses tokens without them).
 */
export async function issueDevToken(
  dev: DevIssuer,
  who: Identity,
  ttlSeconds = 8 * 3600,
): Promise<string> {
  const key = await importJWK(dev.privateJwk, "ES256");
  return new SignJWT({
    [CLAIMS.tokenUse]: ID_TOKEN_USE,
    [CLAIMS.groups]: [who.role],
    ...(who.vendor ? { [CLAIMS.vendor]: who.vendor } : {}),
  })
    .setProtectedHeader({ alg: "ES256", kid: String(dev.privateJwk.kid) })
    .setSubject(who.sub)
    .setIssuer(dev.issuer)
    .setAudience(dev.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

/** Verifies tokens of the local issuer exactly as the app verifies Cognito's. */
export function devVerifier(dev: DevIssuer) {
  return createTokenVerifier({
    keys: createLocalJWKSet({ keys: [dev.publicJwk] }),
    issuer: dev.issuer,
    audience: dev.audience,
  });
}
