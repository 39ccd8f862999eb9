import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { ForbiddenError } from "../../../shared/errors";
import { ScoreSubmissionSchema } from "../../../shared/score";
import {
  claimNext,
  extendLease,
  getClaimed,
  type Identity,
  listMyReviews,
  RELEASE_REASONS,
  type ReviewDeps,
  releaseTask,
  submitScore,
} from "../review-queue";
import { invalid } from "../validation";

type Env = { Variables: { who: Identity } };

/** A score as the reviewer page submits it. */
export const SubmitBodySchema = ScoreSubmissionSchema.extend({
  /** Milliseconds the reviewer spent on the task, as the UI measured it. */
  durationMs: z.number().int().min(0).max(86_400_000).optional(),
});
/** Why a reviewer hands a task back. */
export const ReleaseBodySchema = z.object({ reason: z.enum(RELEASE_REASONS) }).strict();

const TaskIdSchema = z.object({ id: z.string().regex(/^tk-[0-9a-f]{24}$/, "not a task id") });

/**
 * The scoring queue, mounted at /api/tasks behind the app's authentication: claim, read,
 * extend, release and score. Managers read results; scoring is for reviewers (and admins
 * covering for them), so every route here refuses a manager before it looks at a task.
 */
export function taskRoutes(deps: ReviewDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.use("*", async (c, next) => {
    if (c.get("who").role === "manager")
      throw new ForbiddenError("managers cannot claim or score tasks: sign in as a reviewer");
    await next();
  });

  app.post("/claim", async (c) => {
    const task = await claimNext(deps, c.get("who"));
    return task ? c.json({ task }) : c.body(null, 204);
  });
  app.get("/:id", zValidator("param", TaskIdSchema, invalid), async (c) =>
    c.json(await getClaimed(deps, c.get("who"), c.req.valid("param").id)),
  );
  app.post("/:id/extend", zValidator("param", TaskIdSchema, invalid), async (c) =>
    c.json({ task: await extendLease(deps, c.get("who"), c.req.valid("param").id) }),
  );
  app.post(
    "/:id/release",
    zValidator("param", TaskIdSchema, invalid),
    zValidator("json", ReleaseBodySchema, invalid),
    async (c) => {
      await releaseTask(deps, c.get("who"), c.req.valid("param").id, c.req.valid("json").reason);
      return c.body(null, 204);
    },
  );
  app.post(
    "/:id/score",
    zValidator("param", TaskIdSchema, invalid),
    zValidator("json", SubmitBodySchema, invalid),
    async (c) => {
      const { durationMs = 0, ...submission } = c.req.valid("json");
      const score = await submitScore(
        deps,
        c.get("who"),
        c.req.valid("param").id,
        submission,
        durationMs,
      );
      return c.json({ score }, 201);
    },
  );
  return app;
}

/** The caller's own records, mounted at /api/me: any signed-in role. */
export function meRoutes(deps: ReviewDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.get("/reviews", async (c) => c.json({ reviews: await listMyReviews(deps, c.get("who")) }));
  return app;
}
