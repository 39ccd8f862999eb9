import { Hono } from "hono";
import type { WebBundles } from "../../core/review-api/ui/assets";
import { htmlWithPolicy, scriptResponse } from "../../core/review-api/ui/csp";
import type { StatusView } from "../../web/status/status-view";
import type { StackStatus } from "./collect";
import { statusPage } from "./page";

/**
 * Builds the local status web app; `status` gathers a fresh snapshot per request and
 * `webBundles` holds the page's script.
 */
export function createStatusApp(deps: {
  status: () => Promise<StackStatus>;
  webBundles: WebBundles;
}): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const status = await deps.status();
    return c.json(
      { ok: status.ready, phase: status.phase, seed: status.seed.state },
      status.ready ? 200 : 503,
    );
  });
  // The page reads StatusView: the type checker keeps the two in step.
  app.get("/api/status", async (c) => c.json((await deps.status()) satisfies StatusView));
  app.get("/", (c) => htmlWithPolicy(c, statusPage()));
  app.get("/assets/status.js", (c) => scriptResponse(c, deps.webBundles.read("status.js")));
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((_error, c) =>
    c.json({ error: "status unavailable: an emulator did not answer" }, 503),
  );
  return app;
}
