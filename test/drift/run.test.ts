import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeriesVerdict } from "../../core/drift/detect";
import { type DriftRunDeps, runDrift } from "../../core/drift/run";
import { claimNext, type ReviewDeps, submitScore } from "../../core/review-api/review-queue";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { QueueBusyError } from "../../shared/errors";
import { startTestStack } from "../integration/stack";
import { settle } from "../sampler/helpers";

// Two demo weeks (2026-W35 and W36): too short a history to test, long enough to see when
// a week may be tested.
const demo = generateDemo({ days: 14, seed: 29, perDay: 30 });
const WEEK = "2026-W35";
let stack: LocalStack;

const deps = (): DriftRunDeps => ({
  db: stack.clients.doc,
  table: stack.endpoints.table,
  now: () => new Date(),
  announce: async () => {},
});

/**
 * Scores every task the queue holds now, through the review core (claim, submit), with a
 * pool of reviewers so calibration copies find someone who has not seen the interaction.
 * Returns how many were scored.
 */
async function reviewAll(): Promise<number> {
  const review: ReviewDeps = {
    sqs: stack.clients.sqs,
    db: stack.clients.doc,
    s3: stack.clients.s3,
    table: stack.endpoints.table,
    queueUrl: stack.endpoints.queues.review,
    leaseSeconds: 300,
    now: () => new Date(),
  };
  const reviewers = Array.from({ length: 5 }, (_, i) => ({
    sub: `drift-reviewer-${i}`,
    role: "reviewer" as const,
  }));
  let scored = 0;
  for (let idle = 0; idle < reviewers.length; ) {
    const who = reviewers[(scored + idle) % reviewers.length] ?? reviewers[0];
    if (!who) break;
    const task = await claimNext(review, who).catch((error: unknown) => {
      // "Busy, ask again": every task it looked at was one this reviewer may not take.
      if (error instanceof QueueBusyError) return undefined;
      throw error;
    });
    if (!task) {
      idle += 1;
      continue;
    }
    idle = 0;
    await submitScore(
      review,
      who,
      task.taskId,
      {
        scores: { consistency: { value: 4 }, scriptReliance: { value: 3 }, empathy: { value: 4 } },
      },
      60_000,
    );
    scored += 1;
  }
  return scored;
}

const allChannels = (verdicts: readonly SeriesVerdict[]) =>
  verdicts.filter((v) => v.id.split("|")[1] === "all");

beforeAll(async () => {
  stack = await startTestStack({
    sampler: { policy: await loadPolicy(), key: Buffer.from("spotcheck-drift-test-key-000001") },
  });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files, { concurrency: 16 });
  await settle(stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("when the drift job tests a week", () => {
  it("tests a week only after its period close, and once 90% of its sample is scored", async () => {
    // Before period close: not closed, whatever is scored.
    const before = await runDrift(deps(), WEEK);
    expect(before.series).toBeGreaterThan(20);
    expect(before.incomplete).toBe(before.series);
    expect(before.tested).toBe(0);

    // Every random draw scored, but the floor top-ups have not been made: still not closed.
    expect(await reviewAll()).toBeGreaterThan(10);
    const scored = await runDrift(deps(), WEEK);
    expect(scored.incomplete).toBe(scored.series);
    expect(allChannels(scored.verdicts).every((v) => v.completeness === 1)).toBe(true);

    // Closed: the floor tasks are queued and not reviewed yet, as 4 hours after close in AWS.
    await closeEndedWeeks({
      clients: stack.clients,
      endpoints: stack.endpoints,
      policy: await loadPolicy(),
    });
    const closed = await runDrift(deps(), WEEK);
    const waiting = allChannels(closed.verdicts);
    expect(waiting.length).toBe(9); // 3 vendors × 3 dimensions
    for (const v of waiting) {
      expect(v.status).toBe("incomplete");
      expect(v.completeness ?? 1).toBeLessThan(0.9);
      expect(v.completeness ?? 0).toBeGreaterThan(0);
    }

    // Floor reviews in: the week is tested (insufficient here: it has no baseline yet).
    expect(await reviewAll()).toBeGreaterThan(10);
    const complete = await runDrift(deps(), WEEK);
    expect(complete.incomplete).toBe(0);
    for (const v of allChannels(complete.verdicts)) {
      expect(v.completeness).toBe(1);
      expect(v.status).toBe("insufficient");
    }
  }, 300_000);
});
