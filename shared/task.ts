import { z } from "zod";
import { ChannelSchema, IdSchema } from "./transcript";

/** Why a task exists: the random sample, a per-agent floor top-up, or a calibration copy. */
export const TaskKindSchema = z.enum(["random", "floor", "calibration"]);
export type TaskKind = z.infer<typeof TaskKindSchema>;

export const TaskStatusSchema = z.enum(["queued", "claimed", "scored"]);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** A review task with the provenance needed to re-derive why it was sampled. */
export const TaskSchema = z
  .object({
    taskId: z.string().min(1).max(200),
    interactionId: IdSchema,
    vendor: IdSchema,
    agent: IdSchema,
    channel: ChannelSchema,
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    week: z.string().regex(/^\d{4}-W\d{2}$/),
    kind: TaskKindSchema,
    policyVersion: z.string().min(1),
    /** The interaction's keyed-hash rank in [0,1). */
    u: z.number().min(0).lt(1),
    /** Inclusion probability under the policy; the design weight is 1/π. */
    pi: z.number().gt(0).max(1),
    /**
     * Design weight fixed at period close: N/n of the agent-week, since given its final
     * sample size n the sample is a simple random sample of its N eligible interactions.
     * Until then a score weighs 1/π.
     */
    weight: z.number().min(1).optional(),
    status: TaskStatusSchema,
    /** The claimant's claim slot (see `claimSlotKey`), while claimed. */
    slot: z.number().int().min(0).max(99).optional(),
    createdAt: z.iso.datetime({ offset: true }),
    claimedBy: z.string().optional(),
    claimedAt: z.iso.datetime({ offset: true }).optional(),
    leaseExpiresAt: z.iso.datetime({ offset: true }).optional(),
    scoredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type Task = z.infer<typeof TaskSchema>;

/** The body of a review-queue message: just a pointer, the task item is the truth. */
export const TaskMessageSchema = z.object({ taskId: z.string().min(1), interactionId: IdSchema });
export type TaskMessage = z.infer<typeof TaskMessageSchema>;

/**
 * A task as its reviewer sees it. Reviews are blind: no vendor, and none of the design data
 * (kind, u, π, weight, policy version, creation time, slot) that would tell a calibration
 * copy or a floor top-up from a random task, or reveal an agent-week's volume.
 */
export const ReviewerTaskSchema = TaskSchema.pick({
  taskId: true,
  interactionId: true,
  agent: true,
  channel: true,
  day: true,
  status: true,
  claimedBy: true,
  claimedAt: true,
}).extend({
  leaseExpiresAt: z.iso.datetime({ offset: true }),
  /** The latest the lease can be extended to (the cap on one claim's total lease time). */
  leaseLimitAt: z.iso.datetime({ offset: true }),
});
export type ReviewerTask = z.infer<typeof ReviewerTaskSchema>;
