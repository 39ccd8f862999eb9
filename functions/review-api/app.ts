import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import {
  AlreadyScoredError,
  ForbiddenError,
  GoneError,
  InvalidRequestError,
  LeaseLimitError,
  LeaseLostError,
  NotFoundError,
  QueueBusyError,
  SpotcheckError,
  TooManyClaimsError,
  UnauthenticatedError,
} from "../../shared/errors";
import { CURRENT_RUBRIC } from "../../shared/rubric";
import { ScoreSubmissionSchema } from "../../shared/score";
import { openApiDocument } from "./openapi";
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
} from "./review-queue";
import { insightRoutes } from "./routes/insights";
import { BROWSER_ASSETS, readBrowserAsset } from "./ui/assets";
import { htmlWithPolicy } from "./ui/csp";
import { dashboardPage } from "./ui/dashboard-page";
import { reviewerPage } from "./ui/reviewer-page";
import { invalid } from "./validation";

/** Read-side endpoints; each verifies the caller like the task endpoints do. */
const INSIGHT_PATHS = [
  "/api/vendors",
  "/api/trends",
  "/api/channels",
  "/api/agents",
  "/api/drift",
  "/api/drift/*",
  "/api/calibration",
] as const;

/** What the review API needs: the queue's dependencies and a token verifier. */
export interface ReviewApiDeps {
  review: ReviewDeps;
  verify(authorization: string | undefined): Promise<Identity>;
  /** Where the reviewer page sends people without a token (Cognito's hosted UI, or the local sign-in). */
  signInUrl?: string;
  /** Where Sign out goes: Cognito's logout in AWS (ending its session), else the sign-in page. */
  signOutUrl?: string;
}

type Env = { Variables: { who: Identity } };

export const SubmitBodySchema = ScoreSubmissionSchema.extend({
  /** Milliseconds the reviewer spent on the task, as the UI measured it. */
  durationMs: z.number().int().min(0).max(86_400_000).optional(),
});
export const ReleaseBodySchema = z.object({ reason: z.enum(RELEASE_REASONS) }).strict();

const TaskIdSchema = z.object({ id: z.string().regex(/^tk-[0-9a-f]{24}$/, "not a task id") });

/**
 * The review API as one Hono app: the same code runs behind API Gateway in Lambda
 * (`handle(app)`), on the local Node server, and in tests through `app.request()`.
 */
export function createReviewApp(deps: ReviewApiDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));
  app.get("/review", (c) => htmlWithPolicy(c, reviewerPage(pageUrls(deps))));
  app.get("/api/rubric", (c) => c.json(CURRENT_RUBRIC));

  app.use("/api/tasks/*", async (c, next) => {
    const who = await deps.verify(c.req.header("authorization"));
    // Managers read results; scoring is for reviewers (and admins covering for them).
    if (who.role === "manager")
      throw new ForbiddenError("managers cannot claim or score tasks: sign in as a reviewer");
    c.set("who", who);
    await next();
  });
  app.use("/api/me/*", async (c, next) => {
    c.set("who", await deps.verify(c.req.header("authorization")));
    await next();
  });

  app.post("/api/tasks/claim", async (c) => {
    const task = await claimNext(deps.review, c.get("who"));
    return task ? c.json({ task }) : c.body(null, 204);
  });
  app.get("/api/tasks/:id", zValidator("param", TaskIdSchema, invalid), async (c) =>
    c.json(await getClaimed(deps.review, c.get("who"), c.req.valid("param").id)),
  );
  app.post("/api/tasks/:id/extend", zValidator("param", TaskIdSchema, invalid), async (c) =>
    c.json({ task: await extendLease(deps.review, c.get("who"), c.req.valid("param").id) }),
  );
  app.post(
    "/api/tasks/:id/release",
    zValidator("param", TaskIdSchema, invalid),
    zValidator("json", ReleaseBodySchema, invalid),
    async (c) => {
      await releaseTask(
        deps.review,
        c.get("who"),
        c.req.valid("param").id,
        c.req.valid("json").reason,
      );
      return c.body(null, 204);
    },
  );
  app.post(
    "/api/tasks/:id/score",
    zValidator("param", TaskIdSchema, invalid),
    zValidator("json", SubmitBodySchema, invalid),
    async (c) => {
      const { durationMs = 0, ...submission } = c.req.valid("json");
      const score = await submitScore(
        deps.review,
        c.get("who"),
        c.req.valid("param").id,
        submission,
        durationMs,
      );
      return c.json({ score }, 201);
    },
  );
  // The read side: trends, channels, agents, drift and calibration, for managers and admins.
  for (const path of INSIGHT_PATHS) {
    app.use(path, async (c, next) => {
      c.set("who", await deps.verify(c.req.header("authorization")));
      await next();
    });
  }
  app.route(
    "/api",
    insightRoutes({ db: deps.review.db, table: deps.review.table, now: deps.review.now }),
  );
  app.get("/dashboard", (c) => htmlWithPolicy(c, dashboardPage(pageUrls(deps))));
  app.get("/assets/:name", (c) => {
    const asset = BROWSER_ASSETS.find((a) => a.name === c.req.param("name"));
    if (!asset) return c.json({ error: `no asset ${c.req.param("name")}` }, 404);
    return c.body(readBrowserAsset(asset.name), 200, {
      "content-type": asset.contentType,
      "cache-control": "public, max-age=86400",
    });
  });

  app.get("/api/me/reviews", async (c) =>
    c.json({ reviews: await listMyReviews(deps.review, c.get("who")) }),
  );

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    const [status, body, headers] = errorResponse(error);
    return c.json(body, status, headers);
  });
  return app;
}

function pageUrls(deps: ReviewApiDeps): { signInUrl: string; signOutUrl?: string } {
  const signInUrl = deps.signInUrl ?? "/dev/sign-in";
  return deps.signOutUrl ? { signInUrl, signOutUrl: deps.signOutUrl } : { signInUrl };
}

/**
 * Maps typed errors to a status, a client-safe body and any headers; anything else is a 500
 * without detail.
 */
export function errorResponse(
  error: unknown,
): [ContentfulStatusCode, Record<string, unknown>, Record<string, string>?] {
  if (error instanceof InvalidRequestError)
    return [400, { error: error.message, fields: error.fields }];
  if (error instanceof UnauthenticatedError) return [401, { error: error.message }];
  if (error instanceof ForbiddenError) return [403, { error: error.message }];
  if (error instanceof NotFoundError) return [404, { error: error.message }];
  if (error instanceof AlreadyScoredError)
    return [409, { error: error.message, score: error.stored ?? null }];
  if (error instanceof LeaseLostError || error instanceof LeaseLimitError)
    return [409, { error: error.message }];
  if (error instanceof GoneError) return [410, { error: error.message }];
  if (error instanceof TooManyClaimsError) return [429, { error: error.message }];
  if (error instanceof QueueBusyError)
    return [503, { error: error.message }, { "retry-after": "2" }];
  // Hono's validators raise HTTPException (e.g. a body that is not JSON). Matched by shape:
  // the validator package may load its own copy of Hono, which defeats `instanceof`.
  if (isClientHttpError(error)) return [error.status, { error: error.message, fields: [] }];
  if (error instanceof SpotcheckError) return [400, { error: error.message }];
  return [500, { error: "internal error: the request was not completed" }];
}

function isClientHttpError(error: unknown): error is Error & { status: ContentfulStatusCode } {
  if (!(error instanceof Error) || error.constructor.name !== "HTTPException") return false;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" && status >= 400 && status < 500;
}
