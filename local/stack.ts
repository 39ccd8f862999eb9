import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { createReviewApp, type ReviewApiDeps } from "../core/review-api/app";
import type { ClaimLimits } from "../core/review-api/review-queue";
import { reviewDeps } from "../functions/review-api/compose";
import { QUEUES } from "../shared/resources";
import { builtWebBundles } from "../web/build";
import type { DevIssuer } from "./auth/dev-issuer";
import { createDevSignInApp } from "./auth/sign-in";
import { destroyClients, type LocalClients, localClients } from "./clients";
import { type LocalData, openDataDir } from "./data-dir";
import { checkJava, type DynamoDbLocal, startDynamoDbLocal } from "./emulators/dynamodb-local";
import { type S3SqsEmulator, startS3Sqs } from "./emulators/fauxqs";
import { claimPort } from "./emulators/ports";
import { type Endpoints, removeEndpoints, writeEndpoints } from "./endpoints";
import { createLocalEventBridge, type LocalEventBridge } from "./event-bridge";
import { localNames, provisionDataPlane } from "./provision";
import { type Recovery, recoverQueues } from "./recover";
import { type LocalSamplerOptions, startLocalSampler } from "./runners/sampler";
import type { SqsPoller } from "./runners/sqs-poller";
import { createStatusApp } from "./status/app";
import {
  collectCounts,
  collectSampling,
  type StackPhase,
  type StackStatus,
} from "./status/collect";

/** Ports of the local stack; 0 picks a free port (tests). */
export interface LocalPorts {
  web: number;
  aws: number;
  dynamodb: number;
}

/** Default ports, each overridable by its environment variable. */
export function defaultPorts(env: Record<string, string | undefined> = process.env): LocalPorts {
  const port = (name: string, fallback: number) => {
    const value = env[name];
    return value === undefined || value === "" ? fallback : Number(value);
  };
  return {
    web: port("SPOTCHECK_PORT", 4000),
    aws: port("SPOTCHECK_AWS_PORT", 4566),
    dynamodb: port("SPOTCHECK_DYNAMODB_PORT", 8000),
  };
}

/** Where a stack's data lives and what it found there at start. */
export interface StackData {
  /** Identifies the data set; a new one for every in-memory stack and after `--reset`. */
  id: string;
  /** The folder it is kept in; absent when everything is in memory. */
  dir?: string;
  /** True when this start began with no data (always, in memory). */
  fresh: boolean;
  /** Loaded back from the folder: objects, and queue messages saved at `savedAt`. */
  restored: { objects: number; messages: number; savedAt?: string };
  /** When the last run did not stop cleanly: what was put back on the queues. */
  recovered?: Recovery;
}

/** Emulators already running that a stack uses instead of starting its own. */
export interface RunningEmulators {
  /** DynamoDB Local's endpoint, e.g. `http://127.0.0.1:8000`; the stack neither starts nor stops it. */
  dynamodb: string;
}

/** A running local stack: emulators, provisioned resources, event delivery and status page. */
export interface LocalStack {
  endpoints: Endpoints;
  clients: LocalClients;
  bridge: LocalEventBridge;
  data: StackData;
  /** What the stack is busy with; the status page and `/healthz` say ready only at `ready`. */
  phase: StackPhase;
  /** The sampler's stand-in event source mapping, when the stack runs it. */
  sampler?: SqsPoller;
  /** Seeding progress shown on the status page. */
  seed: StackStatus["seed"];
  status(): Promise<StackStatus>;
  /** Puts one object into the stack's bucket (tests, demos). */
  s3Put(key: string, body: string | Uint8Array, metadata: Record<string, string>): Promise<void>;
  /** Stops the web server and both emulators (DynamoDB Local's Java process included). */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local and fauxqs on 127.0.0.1, creates the data plane from the shared
 * resource definitions, wires the local EventBridge stand-in and serves the status page.
 * With `writeEndpointsFile`, other terminals find the stack through `.local/endpoints.json`.
 *
 * Everything is in memory unless `dataDir` is given. Then the table, the objects and the
 * queue contents are kept there across restarts (`reset` starts over): the table and the
 * objects are on disk before a write is acknowledged, queue contents are saved every 2 s
 * while they change and at stop, and a start after a crash derives the messages of those
 * last seconds again ({@link recoverQueues}).
 *
 * With `emulators.dynamodb`, the stack uses that DynamoDB Local instead of starting one (no
 * Java needed here), and with `namespace` its table, bucket and queues get names of their
 * own, so several stacks can share one DynamoDB Local without seeing each other's data: the
 * integration tests start one for the whole run. Such a stack deletes its table at stop.
 * fauxqs always runs in this process: its S3 write hook is what feeds this stack's event bridge.
 */
export async function startLocalStack(options: {
  ports?: LocalPorts;
  region?: string;
  writeEndpointsFile?: boolean;
  /** Keep the stack's data in this folder across restarts. */
  dataDir?: string;
  /** With `dataDir`: delete the data kept there first. */
  reset?: boolean;
  /** Use these running emulators instead of starting them; `ports.dynamodb` is then unused. */
  emulators?: RunningEmulators;
  /** Prefix of the table, bucket and queue names (see {@link localNames}). @default none */
  namespace?: string;
  /** The phase the stack reports until its owner moves it on. @default "ready" */
  phase?: StackPhase;
  onEventError?: (error: unknown) => void;
  /** One-line warnings about the set-up (e.g. DynamoDB Local not bound to loopback). */
  onWarning?: (line: string) => void;
  /** Run the sampler on the ingest queue, as its Lambda event source mapping would. */
  sampler?: LocalSamplerOptions;
  /** Serve the review API on the web port, verifying tokens with `verify`. */
  reviewApi?: {
    verify: ReviewApiDeps["verify"];
    leaseSeconds?: number;
    devIssuer?: DevIssuer;
    /** The policy's claim limits. @default DEFAULT_CLAIM_LIMITS */
    limits?: ClaimLimits;
  };
}): Promise<LocalStack> {
  const region = options.region ?? "us-east-1";
  const requested = options.ports ?? defaultPorts();
  const shared = options.emulators;
  if (shared && options.dataDir) {
    throw new Error("a stack with a data folder keeps its table in a DynamoDB Local of its own");
  }
  const names = localNames(options.namespace);
  if (!shared) await checkJava();
  // Port 0 is left to the server that binds it: a free port claimed now and bound later
  // could be taken in between by another process (other test files start stacks too).
  const claim = (port: number, purpose: string, envVar: string) =>
    port === 0 ? 0 : claimPort(port, purpose, envVar);
  const ports = {
    web: await claim(requested.web, "status page", "SPOTCHECK_PORT"),
    aws: await claim(requested.aws, "S3 and SQS emulator", "SPOTCHECK_AWS_PORT"),
  };
  const dynamodb: { endpoint: string } | { port: number } = shared
    ? { endpoint: shared.dynamodb }
    : { port: await claim(requested.dynamodb, "DynamoDB Local", "SPOTCHECK_DYNAMODB_PORT") };

  const local: LocalData | undefined = options.dataDir
    ? await openDataDir(options.dataDir, { reset: options.reset ?? false })
    : undefined;
  // Cleanups run last-in, first-out: the web server and the sampler stop before the
  // emulators they use, the queues are saved before fauxqs closes, and DynamoDB Local goes
  // last of all.
  const cleanups: Array<() => Promise<void> | void> = [];
  // Until the messages a crash lost are derived again, no stop counts as clean.
  let recoveryPending = local?.uncleanStop !== undefined;
  const stopAll = async () => {
    let clean = true;
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep stopping the rest: a half-stopped stack would leave processes behind.
        clean = false;
      }
    }
    // Only a stop that saved everything is clean; otherwise the next start recovers.
    if (clean && !recoveryPending) await local?.close();
  };

  try {
    let bridge: LocalEventBridge | undefined;
    let dynamodbEndpoint: string;
    if ("endpoint" in dynamodb) {
      dynamodbEndpoint = dynamodb.endpoint;
    } else {
      const dynamo: DynamoDbLocal = await startDynamoDbLocal({
        port: dynamodb.port,
        region,
        ...(local ? { dataDir: join(local.dir, "dynamodb") } : {}),
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      });
      cleanups.push(() => dynamo.stop());
      dynamodbEndpoint = dynamo.endpoint;
    }
    const s3sqs: S3SqsEmulator = await startS3Sqs({
      port: ports.aws,
      region,
      onObjectCreated: (object) => bridge?.objectCreated(object),
      ...(local ? { dataDir: local.dir } : {}),
    });
    cleanups.push(() => s3sqs.stop());
    const awsEndpoint = s3sqs.endpoint;

    const clients = localClients({
      region,
      s3: awsEndpoint,
      sqs: awsEndpoint,
      dynamodb: dynamodbEndpoint,
    });
    cleanups.push(() => destroyClients(clients));
    const provisioned = await provisionDataPlane(clients, names);
    if (shared) {
      // The shared DynamoDB Local outlives this stack: leave nothing of ours in it.
      cleanups.push(async () => {
        await clients.dynamodb.send(new DeleteTableCommand({ TableName: provisioned.table }));
      });
    }
    const restoredMessages = s3sqs.restoreQueues();
    const recovered = local?.uncleanStop
      ? await recoverQueues({
          clients,
          provisioned,
          region,
          queueBodies: (name) => s3sqs.queueBodies(name),
        })
      : undefined;
    recoveryPending = false;
    const data: StackData = {
      id: local?.id ?? randomUUID(),
      ...(local ? { dir: local.dir } : {}),
      fresh: local?.fresh ?? true,
      restored: { objects: s3sqs.restoredObjects, ...restoredMessages },
      ...(recovered ? { recovered } : {}),
    };
    bridge = createLocalEventBridge({
      s3: clients.s3,
      sqs: clients.sqs,
      bucket: provisioned.bucket,
      ingestQueueUrl: provisioned.queues.ingest,
      ingestDlqUrl: provisioned.queues.ingestDlq,
      region,
      ...(options.onEventError ? { onError: options.onEventError } : {}),
    });
    const activeBridge = bridge;
    cleanups.push(() => activeBridge.drain());
    const sampler = options.sampler
      ? startLocalSampler({ clients, provisioned, ...options.sampler })
      : undefined;
    if (sampler) cleanups.push(() => sampler.stop());

    const endpoints: Endpoints = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      region,
      web: `http://127.0.0.1:${ports.web}`,
      s3: awsEndpoint,
      sqs: awsEndpoint,
      dynamodb: dynamodbEndpoint,
      dataId: data.id,
      ...(data.dir ? { dataDir: data.dir } : {}),
      ...provisioned,
    };
    const started = Date.now();
    const stack: LocalStack = {
      endpoints,
      clients,
      bridge,
      data,
      phase: options.phase ?? "ready",
      ...(sampler ? { sampler } : {}),
      seed: { state: "off", uploaded: 0, total: 0 },
      async status() {
        const [counts, sampling] = await Promise.all([
          collectCounts(clients, endpoints),
          sampler ? collectSampling(clients, endpoints.table) : undefined,
        ]);
        return {
          ...(sampling && sampler
            ? {
                sampling: {
                  ...sampling,
                  batches: sampler.stats.batches,
                  retries: sampler.stats.failures,
                },
              }
            : {}),
          ready: stack.phase === "ready",
          phase: stack.phase,
          seed: { ...stack.seed },
          events: { ...activeBridge.stats },
          endpoints,
          uptimeSeconds: Math.round((Date.now() - started) / 1000),
          ...counts,
        };
      },
      async s3Put(key, body, metadata) {
        await clients.s3.send(
          new PutObjectCommand({
            Bucket: provisioned.bucket,
            Key: key,
            Body: body,
            Metadata: metadata,
          }),
        );
      },
      stop: stopAll,
    };

    // Built from web/ at every start: the pages never run an older bundle than the source.
    const webBundles = await builtWebBundles();
    const app = new Hono();
    // First: the review API authenticates every /api path it meets, and the status page's
    // /api/status is public.
    app.route("/", createStatusApp({ status: () => stack.status(), webBundles }));
    if (options.reviewApi) {
      app.route(
        "/",
        createReviewApp({
          review: reviewDeps(clients, {
            table: provisioned.table,
            queueUrl: provisioned.queues.review,
            leaseSeconds: options.reviewApi.leaseSeconds ?? QUEUES.review.visibilityTimeoutSeconds,
            ...(options.reviewApi.limits ? { limits: options.reviewApi.limits } : {}),
          }),
          verify: options.reviewApi.verify,
          webBundles,
        }),
      );
      if (options.reviewApi.devIssuer)
        app.route("/", createDevSignInApp(options.reviewApi.devIssuer, webBundles));
    }
    // Mounted apps' notFound handlers do not apply to the parent: every unknown path is JSON here.
    app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: ports.web, hostname: "127.0.0.1" }, () =>
        resolve(s),
      );
      s.once("error", reject);
    });
    const address = server.address();
    if (typeof address === "object" && address) endpoints.web = `http://127.0.0.1:${address.port}`;
    server.on("clientError", answerClientError);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Browsers keep status-page connections alive; do not wait for them to go idle.
          if ("closeAllConnections" in server) server.closeAllConnections();
        }),
    );

    if (options.writeEndpointsFile) {
      await writeEndpoints(endpoints);
      cleanups.push(() => removeEndpoints(process.pid));
    }
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Node's HTTP parser refuses some requests before any handler runs (headers over its 16 KiB
 * limit, malformed requests) and by default answers with an empty body. Answer in JSON, as
 * every other API error is.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [
          431,
          "Request Header Fields Too Large",
          "the request headers are too large (16 KiB at most)",
        ]
      : [400, "Bad Request", "the request could not be parsed"];
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
