import { Hono } from "hono";
import type { StackStatus } from "./collect";
import { statusPage } from "./page";

/** Builds the local status web app; `status` gathers a fresh snapshot per request. */
export function createStatusApp(deps: { status: () => Promise<StackStatus> }): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const status = await deps.status();
    return c.json(
      { ok: status.ready, phase: status.phase, seed: status.seed.state },
      status.ready ? 200 : 503,
    );
  });
  app.get("/api/status", async (c) => c.json(await deps.status()));
  app.get("/", (c) => c.html(statusPage()));
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((_error, c) =>
    c.json({ error: "status unavailable: an emulator did not answer" }, 503),
  );
  return app;
}
