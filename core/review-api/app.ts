import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
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
import { openApiDocument } from "./openapi";
import type { Identity, ReviewDeps } from "./review-queue";
import { insightRoutes } from "./routes/insights";
import { meRoutes, taskRoutes } from "./routes/tasks";
import {
  BROWSER_ASSETS,
  bundledWebAssets,
  isWebBundleName,
  readBrowserAsset,
  type WebBundles,
} from "./ui/assets";
import { htmlWithPolicy, scriptResponse } from "./ui/csp";
import { dashboardPage } from "./ui/dashboard-page";
import { reviewerPage } from "./ui/reviewer-page";

/** What the review API needs: the queue's dependencies and a token verifier. */
export interface ReviewApiDeps {
  review: ReviewDeps;
  verify(authorization: string | undefined): Promise<Identity>;
  /** Where the reviewer page sends people without a token (Cognito's hosted UI, or the local sign-in). */
  signInUrl?: string;
  /** Where Sign out goes: Cognito's logout in AWS (ending its session), else the sign-in page. */
  signOutUrl?: string;
  /**
   * The page bundles: built in memory by the local stack.
   * @default bundledWebAssets - `assets/` beside the Lambda handler
   */
  webBundles?: WebBundles;
}

type Env = { Variables: { who: Identity } };

/**
 * The review API as one Hono app: the same code runs behind API Gateway in Lambda
 * (`handle(app)`), on the local Node server, and in tests through `app.request()`.
 */
export function createReviewApp(deps: ReviewApiDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));
  app.get("/review", (c) => htmlWithPolicy(c, reviewerPage(pageUrls(deps))));
  app.get("/api/rubric", (c) => c.json(CURRENT_RUBRIC));

  // Everything under /api registered after this line needs a signed-in caller (the public
  // routes above answer before it runs). A route added later is authenticated by default.
  app.use("/api/*", async (c, next) => {
    c.set("who", await deps.verify(c.req.header("authorization")));
    await next();
  });
  app.route("/api/tasks", taskRoutes(deps.review));
  app.route("/api/me", meRoutes(deps.review));
  // Mounted last among /api routes: its reader check and rate limit run for every /api path
  // the routes above did not answer.
  app.route(
    "/api",
    insightRoutes({ db: deps.review.db, table: deps.review.table, now: deps.review.now }),
  );
  app.get("/dashboard", (c) => htmlWithPolicy(c, dashboardPage(pageUrls(deps))));
  const webBundles = deps.webBundles ?? bundledWebAssets;
  app.get("/assets/:name", (c) => {
    const name = c.req.param("name");
    if (isWebBundleName(name)) return scriptResponse(c, webBundles.read(name));
    const asset = BROWSER_ASSETS.find((a) => a.name === name);
    if (!asset) return c.json({ error: `no asset ${c.req.param("name")}` }, 404);
    return c.body(readBrowserAsset(asset.name), 200, {
      "content-type": asset.contentType,
      "cache-control": "public, max-age=86400",
    });
  });

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
