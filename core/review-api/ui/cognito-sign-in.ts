import { type Context, Hono, type MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { bundledWebAssets, type WebBundles } from "./assets";
import { scriptResponse, withSecureHeaders } from "./csp";
import { jsonForHtml } from "./page-shell";

/** Where the pages keep the Cognito ID token; the reviewer page sends it as a bearer token. */
export const TOKEN_STORAGE_KEY = "spotcheck.token";

/** Paths of the sign-in pages. */
export const SIGN_IN_PATHS = {
  signIn: "/sign-in",
  callback: "/auth/callback",
  signOut: "/sign-out",
} as const;

/** The user pool's managed login and the public app client the pages use. */
export interface CognitoSignInOptions {
  /** Base URL of the managed-login domain, e.g. `https://spotcheck.auth.eu-west-1.amazoncognito.com`. */
  domainUrl: string;
  /** The app client's id: authorization code grant with PKCE, no client secret. */
  clientId: string;
  /**
   * Where the flow's script (`sign-in.js`, from web/sign-in) is read.
   * @default bundledWebAssets - `assets/` beside the Lambda handler
   */
  webBundles?: WebBundles;
}

type PageName = keyof typeof SIGN_IN_PATHS;

/**
 * The browser side of signing in with Cognito's managed login, for the Lambda deployment:
 *
 * - `GET /sign-in` remembers the page to return to (`?return=/path`, else the same-origin
 *   referrer, else `/review`), makes a PKCE verifier and state, and sends the browser to
 *   `<domain>/oauth2/authorize`.
 * - `GET /auth/callback` checks the state, exchanges the code and verifier at
 *   `<domain>/oauth2/token`, stores the ID token (it carries `cognito:groups` and
 *   `custom:vendor`, and its audience is the client id the API verifies) in
 *   `sessionStorage["spotcheck.token"]`, and goes back.
 * - `GET /sign-out` forgets the token and ends the Cognito session through `<domain>/logout`,
 *   which returns to `/review`.
 *
 * The pages are static apart from the escaped configuration; the flow is the `sign-in.js`
 * bundle (web/sign-in). Each response carries a content security policy that allows only
 * its own nonce'd script and style and connections
 * to the Cognito domain. Everything read from the URL is written with `textContent`.
 */
export function createCognitoSignInApp(options: CognitoSignInOptions): Hono {
  const domain = new URL(options.domainUrl);
  // Loopback http is for tests with a stand-in Cognito; a real domain is always https.
  if (domain.protocol !== "https:" && domain.hostname !== "127.0.0.1") {
    throw new Error(`the Cognito domain must be https: ${options.domainUrl}`);
  }
  const config = { domainUrl: domain.origin, clientId: options.clientId };
  const app = new Hono();
  const headers = signInHeaders(config.domainUrl);
  for (const name of Object.keys(SIGN_IN_PATHS) as PageName[]) {
    app.get(SIGN_IN_PATHS[name], (c) =>
      withSecureHeaders(c, headers, (nonce) => page(c, name, config, nonce)),
    );
  }
  const webBundles = options.webBundles ?? bundledWebAssets;
  app.get("/assets/sign-in.js", (c) => scriptResponse(c, webBundles.read("sign-in.js")));
  return app;
}

/**
 * The sign-in pages' headers: only their own nonce'd script and style, connections only to
 * the Cognito domain, nothing cached.
 */
function signInHeaders(domainUrl: string): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: [NONCE],
      styleSrc: [NONCE],
      connectSrc: [domainUrl],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    // The callback URL carries the authorization code; never send it anywhere as a referrer.
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
  });
}

function page(
  c: Context,
  name: PageName,
  config: { domainUrl: string; clientId: string },
  nonce: string,
) {
  c.header("Cache-Control", "no-store");
  const data = { ...config, page: name, paths: SIGN_IN_PATHS, tokenKey: TOKEN_STORAGE_KEY };
  return c.html(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spotcheck · ${TITLES[name]}</title>
<style nonce="${nonce}">
  body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:#f6f7fb; color:#1d2430; display:grid; place-items:center; min-height:100vh; }
  main { background:#fff; border:1px solid #e3e7ee; border-radius:12px; padding:24px; width:min(380px, 92vw); }
  h1 { font-size:18px; margin:0 0 8px; } p { margin:8px 0 0; } .err { color:#c53030; } a { color:#2b59c3; }
</style>
</head>
<body>
<main>
  <h1>Spotcheck</h1>
  <p id="status" role="status">${STATUS[name]}</p>
  <p id="error" class="err" role="alert" hidden></p>
  <p id="again" hidden><a href="${SIGN_IN_PATHS.signIn}">Sign in again</a></p>
  <noscript><p class="err">Signing in needs JavaScript.</p></noscript>
</main>
<script type="application/json" id="config">${jsonForHtml(data)}</script>
<script nonce="${nonce}" type="module" src="/assets/sign-in.js"></script>
</body>
</html>`);
}

const TITLES: Record<PageName, string> = {
  signIn: "sign in",
  callback: "signing in",
  signOut: "sign out",
};

const STATUS: Record<PageName, string> = {
  signIn: "Taking you to sign-in…",
  callback: "Signing you in…",
  signOut: "Signing you out…",
};
