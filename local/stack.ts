import type { Duplex } from "node:stream";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { createReviewApp, type ReviewApiDeps } from "../functions/review-api/app";
import type { ClaimLimits } from "../functions/review-api/review-queue";
import { QUEUES } from "../shared/resources";
import type { DevIssuer } from "./auth/dev-issuer";
import { createDevSignInApp } from "./auth/sign-in";
import { destroyClients, type LocalClients, localClients } from "./clients";
import { checkJava, type DynamoDbLocal, startDynamoDbLocal } from "./emulators/dynamodb-local";
import { type S3SqsEmulator, startS3Sqs } from "./emulators/fauxqs";
import { claimPort } from "./emulators/ports";
import { type Endpoints, removeEndpoints, writeEndpoints } from "./endpoints";
import { createLocalEventBridge, type LocalEventBridge } from "./event-bridge";
import { provisionDataPlane } from "./provision";
import { type LocalSamplerOptions, startLocalSampler } from "./runners/sampler";
import type { SqsPoller } from "./runners/sqs-poller";
import { createStatusApp } from "./status/app";
import { collectCounts, collectSampling, type StackStatus } from "./status/collect";

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

/** A running local stack: emulators, provisioned resources, event delivery and status page. */
export interface LocalStack {
  endpoints: Endpoints;
  clients: LocalClients;
  bridge: LocalEventBridge;
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
 */
export async function startLocalStack(options: {
  ports?: LocalPorts;
  region?: string;
  writeEndpointsFile?: boolean;
  onEventError?: (error: unknown) => void;
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
  await checkJava();
  const ports: LocalPorts = {
    web: await claimPort(requested.web, "status page", "SPOTCHECK_PORT"),
    aws: await claimPort(requested.aws, "S3 and SQS emulator", "SPOTCHECK_AWS_PORT"),
    dynamodb: await claimPort(requested.dynamodb, "DynamoDB Local", "SPOTCHECK_DYNAMODB_PORT"),
  };

  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep stopping the rest: a half-stopped stack would leave processes behind.
      }
    }
  };

  try {
    let bridge: LocalEventBridge | undefined;
    const dynamo: DynamoDbLocal = await startDynamoDbLocal(ports.dynamodb, region);
    cleanups.push(() => dynamo.stop());
    const awsEndpoint = `http://127.0.0.1:${ports.aws}`;
    const s3sqs: S3SqsEmulator = await startS3Sqs(ports.aws, region, (object) =>
      bridge?.objectCreated(object),
    );
    cleanups.push(() => s3sqs.stop());

    const clients = localClients({
      region,
      s3: awsEndpoint,
      sqs: awsEndpoint,
      dynamodb: dynamo.endpoint,
    });
    cleanups.push(() => destroyClients(clients));
    const provisioned = await provisionDataPlane(clients);
    bridge = createLocalEventBridge({
      s3: clients.s3,
      sqs: clients.sqs,
      bucket: provisioned.bucket,
      ingestQueueUrl: provisioned.queues.ingest,
      region,
      onError: options.onEventError,
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
      dynamodb: dynamo.endpoint,
      ...provisioned,
    };
    const started = Date.now();
    const stack: LocalStack = {
      endpoints,
      clients,
      bridge,
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
          ready: true,
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

    const app = new Hono();
    if (options.reviewApi) {
      app.route(
        "/",
        createReviewApp({
          review: {
            sqs: clients.sqs,
            db: clients.doc,
            s3: clients.s3,
            table: provisioned.table,
            queueUrl: provisioned.queues.review,
            leaseSeconds: options.reviewApi.leaseSeconds ?? QUEUES.review.visibilityTimeoutSeconds,
            ...(options.reviewApi.limits ? { limits: options.reviewApi.limits } : {}),
            now: () => new Date(),
          },
          verify: options.reviewApi.verify,
        }),
      );
      if (options.reviewApi.devIssuer)
        app.route("/", createDevSignInApp(options.reviewApi.devIssuer));
    }
    app.route("/", createStatusApp({ status: () => stack.status() }));
    // Mounted apps' notFound handlers do not apply to the parent: every unknown path is JSON here.
    app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: ports.web, hostname: "127.0.0.1" }, () =>
        resolve(s),
      );
      s.once("error", reject);
    });
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
