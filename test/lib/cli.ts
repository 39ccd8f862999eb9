import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The repository root, where `cli/main.ts` lives. */
export const repo = resolve(import.meta.dirname, "../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `spotcheck <args>` with `SPOTCHECK_HOME` set to `home`, as a user would; never rejects. */
export function runSpotcheck(
  home: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; maxBuffer?: number } = {},
): Promise<CliResult> {
  return new Promise<CliResult>((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(repo, "cli/main.ts"), ...args],
      {
        cwd: repo,
        env: { ...process.env, SPOTCHECK_HOME: home, ...options.env },
        ...(options.maxBuffer ? { maxBuffer: options.maxBuffer } : {}),
      },
      (error, stdout, stderr) =>
        done({ code: error && typeof error.code === "number" ? error.code : 0, stdout, stderr }),
    );
  });
}

/** A fresh SPOTCHECK_HOME for one test file, also set in this process's environment. */
export async function createSpotcheckHome(name: string): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), `spotcheck-${name}-`));
  process.env.SPOTCHECK_HOME = home;
  return home;
}

/** Undoes createSpotcheckHome: unsets SPOTCHECK_HOME and removes the folder. */
export async function removeSpotcheckHome(home: string | undefined): Promise<void> {
  delete process.env.SPOTCHECK_HOME;
  if (home) await rm(home, { recursive: true, force: true });
}

/** A file's teardown: stops its stack (if it started), then removes its SPOTCHECK_HOME. */
export async function stopStackAndHome(
  stack: { stop(): Promise<unknown> } | undefined,
  home: string | undefined,
): Promise<void> {
  await stack?.stop();
  await removeSpotcheckHome(home);
}
