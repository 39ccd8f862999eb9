import type { QueueDepth, SamplingTotals, SeedProgress, StratumCounts } from "../../shared/status";

/**
 * What the status page reads from `/api/status`: the local stack's `StackStatus` is checked
 * against this shape where the status app answers (local/status/app.ts).
 */
export interface StatusView {
  ready: boolean;
  phase: string;
  seed: SeedProgress;
  objects: number;
  queues: ReadonlyArray<QueueDepth>;
  events: { delivered: number; retried: number; deadLettered: number; failed: number };
  sampling?: {
    strata: ReadonlyArray<StratumCounts>;
    totals: SamplingTotals;
    batches: number;
    retries: number;
  };
  endpoints: {
    web: string;
    s3: string;
    sqs: string;
    dynamodb: string;
    bucket: string;
    table: string;
    region: string;
  };
  uptimeSeconds: number;
}
