import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { queryPeriodPartition } from "../../core/db/query-partition";
import { dayCountersFromItem, PERIOD, stratumDayFromItem } from "../../shared/items";
import type { QueueDepth, SamplingTotals, SeedProgress, StratumCounts } from "../../shared/status";
import type { LocalClients } from "../clients";
import type { Endpoints } from "../endpoints";
import type { BridgeStats } from "../event-bridge";

/**
 * What the local stack is doing: `seeding` uploads the demo, `sampling` waits for the
 * sampler to record every object, `closing` runs period close, and `ready` means all of that
 * is done.
 */
export type StackPhase = "starting" | "seeding" | "sampling" | "closing" | "ready";

/** A snapshot of the local stack for the status page and `/api/status`. */
export interface StackStatus {
  /** True once `phase` is `ready`. */
  ready: boolean;
  phase: StackPhase;
  seed: SeedProgress;
  objects: number;
  queues: QueueDepth[];
  events: BridgeStats;
  /** Present when the stack runs the sampler. */
  sampling?: SamplingSummary & { batches: number; retries: number };
  endpoints: Endpoints;
  uptimeSeconds: number;
}

/** Counts objects and queue depths with real SDK calls to the emulators. */
export async function collectCounts(
  clients: LocalClients,
  endpoints: Endpoints,
): Promise<Pick<StackStatus, "objects" | "queues">> {
  const queueEntries = Object.entries(endpoints.queues);
  const [objects, ...queues] = await Promise.all([
    countObjects(clients, endpoints.bucket),
    ...queueEntries.map(([name, url]) => queueDepth(clients, name, url)),
  ]);
  return { objects, queues };
}

async function countObjects(clients: LocalClients, bucket: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    count += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return count;
}

async function queueDepth(clients: LocalClients, name: string, url: string): Promise<QueueDepth> {
  const { Attributes = {} } = await clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    name,
    url,
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** What the sampler has recorded so far, from its counters (two queries, no scans). */
export interface SamplingSummary {
  strata: StratumCounts[];
  totals: SamplingTotals;
}

/** Sums the stratum-day rollups and the day counters the sampler keeps. */
export async function collectSampling(
  clients: LocalClients,
  table: string,
): Promise<SamplingSummary> {
  const [strata, counters] = await Promise.all([
    queryPeriodPartition(clients.doc, table, PERIOD.strata),
    queryPeriodPartition(clients.doc, table, PERIOD.counters),
  ]);
  const byStratum = new Map<string, StratumCounts>();
  for (const item of strata.map(stratumDayFromItem)) {
    const id = `${item.vendor}#${item.channel}`;
    const row = byStratum.get(id) ?? {
      vendor: item.vendor,
      channel: item.channel,
      ledger: 0,
      eligible: 0,
      sampled: 0,
      floor: 0,
      calibration: 0,
    };
    row.ledger += item.population ?? 0;
    row.eligible += item.eligible ?? 0;
    row.sampled += item.sampled ?? 0;
    row.floor += item.floor ?? 0;
    row.calibration += item.calibration ?? 0;
    byStratum.set(id, row);
  }
  const rows = [...byStratum.values()].sort((a, b) =>
    `${a.vendor}#${a.channel}`.localeCompare(`${b.vendor}#${b.channel}`),
  );
  const days = counters.map(dayCountersFromItem);
  const sum = (field: "quarantined" | "duplicates") =>
    days.reduce((n, day) => n + (day[field] ?? 0), 0);
  return {
    strata: rows,
    totals: {
      ledger: rows.reduce((n, r) => n + r.ledger, 0),
      sampled: rows.reduce((n, r) => n + r.sampled, 0),
      quarantined: sum("quarantined"),
      duplicates: sum("duplicates"),
    },
  };
}
