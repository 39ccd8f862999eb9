/**
 * What the status page reads from `/api/status`: the local stack's `StackStatus` is checked
 * against this shape where the status app answers (local/status/app.ts).
 */
export interface StatusView {
  ready: boolean;
  phase: string;
  seed: {
    state: "off" | "seeding" | "done" | "failed";
    uploaded: number;
    total: number;
    detail?: string;
  };
  objects: number;
  queues: ReadonlyArray<{ name: string; url: string; visible: number; inFlight: number }>;
  events: { delivered: number; retried: number; deadLettered: number; failed: number };
  sampling?: {
    strata: ReadonlyArray<{
      vendor: string;
      channel: string;
      ledger: number;
      eligible: number;
      sampled: number;
      floor: number;
      calibration: number;
    }>;
    totals: { ledger: number; sampled: number; quarantined: number; duplicates: number };
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
