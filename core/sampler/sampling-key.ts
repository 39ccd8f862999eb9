const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * The sampling key's bytes from the string stored in Secrets Manager.
 *
 * - Exactly 64 hex characters (after trimming) are read as the 32 bytes they encode, so a key
 *   made with `openssl rand -hex 32`, or copied from a local stack's `.local/sampling-key`,
 *   gives the same decisions in AWS as where it came from.
 * - Anything else is used as the UTF-8 bytes of the trimmed string. That covers the
 *   64-character alphanumeric secret the stack generates (about 380 bits of randomness),
 *   which Secrets Manager cannot produce as hex.
 *
 * HMAC accepts keys of any length, so both forms are sound keys; what matters for auditing is
 * that the same string always yields the same bytes. Throws on an empty secret.
 */
export function samplingKeyFromSecret(secret: string): Uint8Array {
  const trimmed = secret.trim();
  if (trimmed === "") throw new Error("the sampling key secret is empty");
  return HEX_KEY.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "utf8");
}
