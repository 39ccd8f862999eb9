import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, describeIssues } from "../shared/errors";

/** Where a running local stack can be reached; written by `npm start`, read by the CLI. */
export const EndpointsSchema = z.object({
  pid: z.number().int(),
  startedAt: z.iso.datetime(),
  region: z.string(),
  web: z.url(),
  s3: z.url(),
  sqs: z.url(),
  dynamodb: z.url(),
  /** Identifies the data set the stack holds (see `StackData.id`). */
  dataId: z.string().min(1),
  /** Where that data is kept; absent when the stack runs in memory. */
  dataDir: z.string().optional(),
  bucket: z.string(),
  table: z.string(),
  queues: z.object({
    ingest: z.url(),
    ingestDlq: z.url(),
    review: z.url(),
    reviewDlq: z.url(),
  }),
});
export type Endpoints = z.infer<typeof EndpointsSchema>;

/** `.local/` under the repo (or SPOTCHECK_HOME): generated keys, endpoints, scratch data. */
export function localDir(): string {
  return resolve(process.env.SPOTCHECK_HOME ?? ".local");
}

export const endpointsPath = (): string => resolve(localDir(), "endpoints.json");

export async function writeEndpoints(endpoints: Endpoints, path = endpointsPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(endpoints, null, 2)}\n`);
}

/** Removes the endpoints file if it still describes this process's stack. */
export async function removeEndpoints(pid: number, path = endpointsPath()): Promise<void> {
  try {
    const current = EndpointsSchema.parse(JSON.parse(await readFile(path, "utf8")));
    if (current.pid === pid) await rm(path, { force: true });
  } catch {
    // Missing or foreign file: nothing of ours to remove.
  }
}

/** Reads the running stack's endpoints; the error says to run `npm start` first. */
export async function readEndpoints(path = endpointsPath()): Promise<Endpoints> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(
      `no local stack found (${path} is missing): start one with 'npm start' in another terminal`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON: restart the stack with 'npm start'`);
  }
  const result = EndpointsSchema.safeParse(parsed);
  if (!result.success) {
    throw new ConfigError(`${path} is malformed (${describeIssues(result.error)})`);
  }
  if (!isAlive(result.data.pid)) {
    throw new ConfigError(
      `the local stack in ${path} (pid ${result.data.pid}) is no longer running: start it with 'npm start'`,
    );
  }
  return result.data;
}

/** Whether a process with this id is running (ours or someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
