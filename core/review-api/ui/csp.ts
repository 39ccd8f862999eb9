import type { Context, MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";

/**
 * The app's pages: scripts only from this origin or carrying this response's nonce,
 * connections only to this origin, no framing, no plug-ins. The pages write all data with
 * `textContent`; the policy is the second line of defence should a future change not.
 * Inline styles stay allowed: uPlot and the pages set element styles, and a style cannot run
 * code.
 */
const APP_PAGE_HEADERS = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", NONCE],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: "same-origin",
  xFrameOptions: "DENY",
});

/**
 * Serves `html` with Hono's secure headers, a nonce'd content security policy among them:
 * `render` gets this response's nonce. Run as the handler's own step (not as a middleware
 * on "*"), so a page mounted from another app keeps its own policy.
 */
export async function withSecureHeaders(
  c: Context,
  headers: MiddlewareHandler,
  render: (nonce: string) => Response,
): Promise<Response> {
  await headers(c, async () => {
    const nonce: unknown = c.get("secureHeadersNonce");
    if (typeof nonce !== "string") throw new Error("the secure headers gave no nonce");
    c.res = render(nonce);
  });
  return c.res;
}

/** Serves one of the app's pages under {@link APP_PAGE_HEADERS}, its scripts given the nonce. */
export function htmlWithPolicy(c: Context, html: string): Promise<Response> {
  return withSecureHeaders(c, APP_PAGE_HEADERS, (nonce) =>
    c.html(html.replaceAll("<script", `<script nonce="${nonce}"`)),
  );
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
