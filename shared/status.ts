/**
 * The parts of the local stack's status that the status page shows as they are collected:
 * local/status/collect.ts fills them, web/status reads them from `/api/status`.
 */

/** Depth of one queue, as SQS reports it. */
export interface QueueDepth {
  name: string;
  url: string;
  visible: number;
  inFlight: number;
}

/** How far the demo upload has got. */
export interface SeedProgress {
  state: "off" | "seeding" | "done" | "failed";
  uploaded: number;
  total: number;
  detail?: string;
}

/** Ledger and sample counts of one vendor × channel stratum. */
export interface StratumCounts {
  vendor: string;
  channel: string;
  ledger: number;
  eligible: number;
  sampled: number;
  /** Floor top-ups added at period close. */
  floor: number;
  calibration: number;
}

/** What the sampler has recorded so far, over every stratum. */
export interface SamplingTotals {
  ledger: number;
  sampled: number;
  quarantined: number;
  duplicates: number;
}
