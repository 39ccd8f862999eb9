import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
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
export function createDevSignInApp(dev: DevIssuer): Hono {
  const app = new Hono();
  app.post("/dev/token", zValidator("json", TokenRequestSchema), async (c) => {
    const { sub, role, vendor } = c.req.valid("json");
    return c.json({
      token: await issueDevToken(dev, { sub, role, ...(vendor ? { vendor } : {}) }),
    });
  });
  app.get("/dev/sign-in", (c) => c.html(SIGN_IN_PAGE));
  return app;
}

const SIGN_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spotcheck · sign in (local)</title>
<style>
  body { margin:0; font: 15px/1.45 system-ui, sans-serif; background:#f6f7fb; color:#1d2430; display:grid; place-items:center; min-height:100vh; }
  form { background:#fff; border:1px solid #e3e7ee; border-radius:12px; padding:24px; width:min(360px, 92vw); display:grid; gap:12px; }
  label { display:grid; gap:4px; font-size:14px; } input, select, button { font:inherit; padding:8px; border-radius:8px; border:1px solid #d5dae3; }
  button { background:#2b59c3; color:#fff; border-color:#2b59c3; cursor:pointer; } p { margin:0; color:#5b6678; font-size:13px; } .err { color:#c53030; }
</style></head>
<body><form id="f">
  <h1 style="font-size:18px;margin:0">Spotcheck · sign in</h1>
  <p>Local development sign-in. In AWS, the Cognito user pool signs people in.</p>
  <label>Name <input id="sub" name="sub" value="reviewer-1" required autocomplete="username"></label>
  <label>Role <select id="role" name="role"><option>reviewer</option><option>manager</option><option>admin</option></select></label>
  <label>Vendor affiliation (optional) <input id="vendor" name="vendor" placeholder="e.g. northwind-bpo"></label>
  <button type="submit" id="go">Sign in</button>
  <p id="err" class="err" role="alert"></p>
</form>
<script>
  document.getElementById("f").addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { sub: document.getElementById("sub").value, role: document.getElementById("role").value };
    const vendor = document.getElementById("vendor").value.trim(); if (vendor) body.vendor = vendor;
    const res = await fetch("/dev/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) { document.getElementById("err").textContent = "Sign-in refused: check the name (letters, digits, . _ @ -)."; return; }
    sessionStorage.setItem("spotcheck.token", (await res.json()).token);
    location.href = returnPath() || (body.role === "manager" ? "/dashboard" : "/review");
  });
  // Only a path on this origin, and never this page again: anything else is ignored.
  function returnPath() {
    const asked = new URLSearchParams(location.search).get("return");
    // "//host" (or with a backslash) resolves to another origin: the origin check refuses it.
    if (!asked || !asked.startsWith("/")) return undefined;
    let url;
    try { url = new URL(asked, location.origin); } catch { return undefined; }
    if (url.origin !== location.origin || url.pathname.startsWith("/dev/")) return undefined;
    return url.pathname + url.search + url.hash;
  }
  if ((returnPath() || "").startsWith("/dashboard")) {
    document.getElementById("role").value = "manager";
    document.getElementById("sub").value = "qa-lead";
  }
</script></body></html>`;
