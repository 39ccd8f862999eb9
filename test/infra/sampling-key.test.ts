import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { samplingKeyFromSecret } from "../../core/sampler/sampling-key";
import { loadOrCreateSamplingKey } from "../../local/sampling-key";
import { keyFingerprint, rank } from "../../shared/sampling";

/** What Secrets Manager generates for the stack: 64 characters, letters and digits. */
const GENERATED = "k7QpZ2mXv9RtL4wNb8YsHc3JfD6gUa1eKq5VzT0oPiWnMr2ExBy7CuSj9hGdLfAa";

describe("sampling key from the Secrets Manager string", () => {
  it("reads exactly 64 hex characters as the 32 bytes they encode, whatever the case or surrounding whitespace", () => {
    const bytes = randomBytes(32);
    const hex = bytes.toString("hex");

    expect(Buffer.from(samplingKeyFromSecret(hex)).equals(bytes)).toBe(true);
    expect(Buffer.from(samplingKeyFromSecret(` ${hex.toUpperCase()}\n`)).equals(bytes)).toBe(true);
  });

  it("uses the UTF-8 bytes of the trimmed string for the generated alphanumeric secret", () => {
    expect(GENERATED).toHaveLength(64);
    const key = samplingKeyFromSecret(`${GENERATED}\n`);

    expect(Buffer.from(key).toString("utf8")).toBe(GENERATED);
    expect(key).toHaveLength(64);
  });

  it("does not read hex of another length as hex", () => {
    const short = `${"ab".repeat(31)}a`; // 63 hex characters
    expect(Buffer.from(samplingKeyFromSecret(short)).toString("utf8")).toBe(short);
    expect(Buffer.from(samplingKeyFromSecret(`${"cd".repeat(32)}e`)).length).toBe(65);
  });

  it("refuses an empty secret", () => {
    expect(() => samplingKeyFromSecret("  \n")).toThrow(/empty/);
  });

  it("gives the same ranks in AWS as a local stack whose key file was copied into the secret", async () => {
    const home = await mkdtemp(join(tmpdir(), "spotcheck-key-"));
    try {
      const path = join(home, "sampling-key");
      const localKey = await loadOrCreateSamplingKey(path);
      const secretString = await readFile(path, "utf8");
      const awsKey = samplingKeyFromSecret(secretString);

      expect(keyFingerprint(awsKey)).toBe(keyFingerprint(localKey));
      expect(rank(awsKey, "crm-2026-11-06-000318")).toBe(rank(localKey, "crm-2026-11-06-000318"));
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
