import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { localDir } from "./endpoints";

/** Where the local stack keeps its sampling key (Secrets Manager holds it in AWS). */
export const samplingKeyPath = (): string => resolve(localDir(), "sampling-key");

/**
 * Reads the local sampling key, creating a random 256-bit key on first use. It stays across
 * restarts so `sample verify` and `explain` keep re-deriving the same decisions.
 */
export async function loadOrCreateSamplingKey(path = samplingKeyPath()): Promise<Uint8Array> {
  try {
    return Buffer.from((await readFile(path, "utf8")).trim(), "hex");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" }).catch(
    async (error: NodeJS.ErrnoException) => {
      // Another process created it first: use theirs.
      if (error.code !== "EEXIST") throw error;
    },
  );
  return Buffer.from((await readFile(path, "utf8")).trim(), "hex");
}
