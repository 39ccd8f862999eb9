import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import type { WebBundles } from "../../core/review-api/ui/assets";
import { htmlWithPolicy, scriptResponse } from "../../core/review-api/ui/csp";
import { pageShell } from "../../core/review-api/ui/page-shell";
import { type DevIssuer, issueDevToken } from "./dev-issuer";

const TokenRequestSchema = z.object({
  sub: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._@-]{1,64}$/, "letters, digits and . _ @ - only"),
  role: z.enum(["reviewer", "manager", "admin"]),
  vendor: z.string().trim().max(100).optional(),
});

/**
 * The local stack's sign-in: pick a name, a role and an optional vendor, get a token from
 * the local issuer, and go back to the page that sent you (`?return=/dashboard`, a path on
 * this origin) or else to your role's page: `/dashboard` for managers, `/review` for the
 * rest. It exists only in `npm start`; in AWS, Cognito signs people in.
 */
export function createDevSignInApp(dev: DevIssuer, webBundles: WebBundles): Hono {
  const app = new Hono();
  app.post("/dev/token", zValidator("json", TokenRequestSchema), async (c) => {
    const { sub, role, vendor } = c.req.valid("json");
    return c.json({
      token: await issueDevToken(dev, { sub, role, ...(vendor ? { vendor } : {}) }),
    });
  });
  app.get("/dev/sign-in", (c) => htmlWithPolicy(c, SIGN_IN_PAGE));
  app.get("/assets/dev-sign-in.js", (c) => scriptResponse(c, webBundles.read("dev-sign-in.js")));
  return app;
}

/** The page shell; the form is rendered by the `dev-sign-in.js` bundle (web/dev-sign-in). */
const SIGN_IN_PAGE = pageShell({
  title: "sign in (local)",
  style: `
  body { margin:0; font: 15px/1.45 system-ui, sans-serif; background:#f6f7fb; color:#1d2430; display:grid; place-items:center; min-height:100vh; }
  form { background:#fff; border:1px solid #e3e7ee; border-radius:12px; padding:24px; width:min(360px, 92vw); display:grid; gap:12px; }
  label { display:grid; gap:4px; font-size:14px; } input, select, button { font:inherit; padding:8px; border-radius:8px; border:1px solid #d5dae3; }
  h1 { font-size:18px; margin:0; }
  button { background:#2b59c3; color:#fff; border-color:#2b59c3; cursor:pointer; } p { margin:0; color:#5b6678; font-size:13px; } .err { color:#c53030; }
`,
  bundle: "dev-sign-in.js",
  config: {},
  noscript: "Signing in needs JavaScript.",
});
