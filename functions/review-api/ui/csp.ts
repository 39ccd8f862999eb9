import { randomBytes } from "node:crypto";
import type { Context } from "hono";

/**
 * Serves one of the app's pages under a content security policy: scripts only from this
 * origin or carrying this response's nonce, connections only to this origin, no framing.
 * The pages already write all data with `textContent`; the policy is the second line of
 * defence should a future change not. Inline styles stay allowed: uPlot and the pages set
 * element styles, and a style cannot run code.
 */
export function htmlWithPolicy(c: Context, html: string): Response {
  const nonce = randomBytes(16).toString("base64");
  c.header(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  return c.html(html.replaceAll("<script", `<script nonce="${nonce}"`));
}

/**
 * A page bundle. `no-cache`: the browser revalidates, so a deployment's new bundle is never
 * run against an older page (third-party assets keep a day's cache).
 */
export function scriptResponse(c: Context, script: string): Response {
  return c.body(script, 200, {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "no-cache",
  });
}
