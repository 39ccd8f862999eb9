import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { SpotcheckError } from "../shared/errors";
import { isAlive, localDir } from "./endpoints";

/** `.local/data` (or under SPOTCHECK_HOME): where `npm start` keeps the stack's data. */
export const dataDirPath = (): string => resolve(localDir(), "data");

/** Another running stack holds the data folder. */
export class DataDirBusyError extends SpotcheckError {
  override name = "DataDirBusyError";
}

const IdentitySchema = z.object({ id: z.string().min(1), createdAt: z.iso.datetime() });
const RunningSchema = z.object({ pid: z.number().int(), startedAt: z.iso.datetime() });

/** A data folder opened by one running stack. */
export interface LocalData {
  dir: string;
  /** Identifies this data set: a new one after `--reset` (or the first start). */
  id: string;
  createdAt: string;
  /** True when this start created the data set. */
  fresh: boolean;
  /** The run before this one ended without stopping cleanly (a crash, SIGKILL, power loss). */
  uncleanStop?: z.infer<typeof RunningSchema>;
  /** Records a clean stop; call after everything was saved. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the folder the local stack keeps its data in. `reset` deletes
 * its contents first. While a stack runs, `running.json` names it: a second stack is refused
 * the folder, and a start that finds the file left by a process that is gone knows the last
 * run did not stop cleanly.
 */
export async function openDataDir(
  dir: string,
  options: { reset?: boolean } = {},
): Promise<LocalData> {
  const runningFile = join(dir, "running.json");
  const identityFile = join(dir, "data.json");
  const previous = await readJson(runningFile, RunningSchema);
  if (previous && previous.pid !== process.pid && isAlive(previous.pid)) {
    throw new DataDirBusyError(
      `${dir} is in use by the stack with pid ${previous.pid}: stop it first, or set SPOTCHECK_HOME to another folder (if no stack runs, delete ${runningFile})`,
    );
  }
  const existing = await readJson(identityFile, IdentitySchema);
  if (existing === undefined && (await readdir(dir).catch(() => [])).length > 0) {
    // Never delete or mix into a folder Spotcheck did not create.
    throw new SpotcheckError(
      `${dir} exists but holds no Spotcheck data (no data.json): move it away, or set SPOTCHECK_HOME to another folder`,
    );
  }
  if (options.reset) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let identity = options.reset ? undefined : existing;
  const fresh = identity === undefined;
  if (identity === undefined) {
    identity = { id: randomUUID(), createdAt: new Date().toISOString() };
    await writeFile(identityFile, `${JSON.stringify(identity, null, 2)}\n`);
  }
  await writeFile(
    runningFile,
    `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`,
  );
  return {
    dir,
    id: identity.id,
    createdAt: identity.createdAt,
    fresh,
    ...(!fresh && previous && !options.reset ? { uncleanStop: previous } : {}),
    async close() {
      const current = await readJson(runningFile, RunningSchema);
      if (current?.pid === process.pid) await rm(runningFile, { force: true });
    },
  };
}

async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
