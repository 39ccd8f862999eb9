import { z } from "zod";
import { ConfigError, describeIssues } from "./errors";
import { type Channel, ChannelSchema } from "./transcript";
import { canonicalVendor, VendorIdSchema } from "./vendor";

const RateSchema = z.number().min(0).max(1);

/**
 * A rate that applies to one vendor, one channel, or one vendor × channel stratum. The vendor
 * id is canonicalised (`NorthWind-BPO` → `northwind-bpo`), as in every other place it enters.
 */
export const RateOverrideSchema = z
  .object({
    vendor: VendorIdSchema.optional(),
    channel: ChannelSchema.optional(),
    rate: RateSchema,
  })
  .strict()
  .refine((o) => o.vendor !== undefined || o.channel !== undefined, {
    message: "an override names a vendor, a channel or both",
  });

/** The versioned sampling policy: who gets sampled, how often, and what is eligible. */
export const SamplingPolicySchema = z
  .object({
    version: z.string().min(1).max(64),
    defaultRate: RateSchema,
    overrides: z
      .array(RateOverrideSchema)
      .default([])
      .superRefine((overrides, ctx) => {
        // Two spellings of one vendor become one stratum: which rate applies would be an accident.
        const seen = new Map<string, number>();
        overrides.forEach((o, i) => {
          const stratum = `${o.vendor ?? "*"}#${o.channel ?? "*"}`;
          const first = seen.get(stratum);
          if (first === undefined) seen.set(stratum, i);
          else
            ctx.addIssue({
              code: "custom",
              path: [i],
              message: `overrides the same stratum as overrides.${first} (vendor ids ignore case)`,
            });
        });
      }),
    floor: z
      .object({ perAgentWeek: z.number().int().min(0).max(100) })
      .strict()
      .default({ perAgentWeek: 0 }),
    calibration: z
      .object({
        fraction: RateSchema,
        reviewers: z.number().int().min(2).max(10),
      })
      .strict()
      .default({ fraction: 0, reviewers: 2 }),
    eligibility: z
      .object({
        minAgentTurns: z.number().int().min(0).default(1),
        excludeBotOnly: z.boolean().default(true),
        channels: z.array(ChannelSchema).min(1).optional(),
        languages: z.array(z.string().min(2)).min(1).optional(),
      })
      .strict()
      .default({ minAgentTurns: 1, excludeBotOnly: true }),
    /** Limits on one reviewer's claims, so nobody can hoard the queue. */
    review: z
      .object({
        /** Tasks one reviewer may hold at once. */
        maxClaimsPerReviewer: z.number().int().min(1).max(20).default(3),
        /** The longest one claim may be held, extensions included. */
        maxLeaseMinutes: z.number().int().min(5).max(720).default(120),
      })
      .strict()
      .default({ maxClaimsPerReviewer: 3, maxLeaseMinutes: 120 }),
  })
  .strict();
export type SamplingPolicy = z.infer<typeof SamplingPolicySchema>;

/**
 * The sampling rate of a stratum. The most specific override wins: vendor × channel, then
 * vendor, then channel, then the default. The vendor is compared in canonical form.
 */
export function rateFor(policy: SamplingPolicy, rawVendor: string, channel: Channel): number {
  const vendor = canonicalVendor(rawVendor);
  const match = (v: boolean, c: boolean) =>
    policy.overrides.find(
      (o) =>
        (o.vendor !== undefined) === v &&
        (o.channel !== undefined) === c &&
        (!v || o.vendor === vendor) &&
        (!c || o.channel === channel),
    );
  return (
    match(true, true)?.rate ??
    match(true, false)?.rate ??
    match(false, true)?.rate ??
    policy.defaultRate
  );
}

/** Validates a parsed policy document; the error names the path of the bad field. */
export function parsePolicy(document: unknown, source = "policy"): SamplingPolicy {
  const result = SamplingPolicySchema.safeParse(document);
  if (!result.success) {
    throw new ConfigError(`${source}: invalid sampling policy: ${describeIssues(result.error)}`);
  }
  return result.data;
}
