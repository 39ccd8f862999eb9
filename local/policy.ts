import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../shared/errors";
import { parsePolicy, type SamplingPolicy } from "../shared/policy";

/** The sampling policy file the stack deploys, also used by the local stack and the CLI. */
export const DEFAULT_POLICY_PATH = resolve(import.meta.dirname, "../policy/sampling-policy.json");

/** Loads and validates a policy file; errors name the file and the path of the bad field. */
export async function loadPolicy(
  path = process.env.SPOTCHECK_POLICY ?? DEFAULT_POLICY_PATH,
): Promise<SamplingPolicy> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(`${path}: cannot read the sampling policy`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return parsePolicy(json, path);
}
