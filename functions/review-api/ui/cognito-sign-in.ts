import { randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";

/** Where the pages keep the Cognito ID token; the reviewer page sends it as a bearer token. */
export const TOKEN_STORAGE_KEY = "spotcheck.token";

/** Paths of the sign-in pages. */
export const SIGN_IN_PATHS = {
  signIn: "/sign-in",
  callback: "/auth/callback",
  signOut: "/sign-out",
} as const;

/** Where a signed-in user lands when no page asked to be returned to. */
const DEFAULT_RETURN = "/review";

/** Where the PKCE verifier, state and return path wait for the callback. */
const FLOW_STORAGE_KEY = "spotcheck.signIn";

/** The user pool's managed login and the public app client the pages use. */
export interface CognitoSignInOptions {
  /** Base URL of the managed-login domain, e.g. `https://spotcheck.auth.eu-west-1.amazoncognito.com`. */
  domainUrl: string;
  /** The app client's id: authorization code grant with PKCE, no client secret. */
  clientId: string;
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
 * The pages are static apart from the escaped configuration; each response carries a
 * content security policy that allows only its own nonce'd script and style and connections
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
  for (const name of Object.keys(SIGN_IN_PATHS) as PageName[]) {
    app.get(SIGN_IN_PATHS[name], (c) => page(c, name, config));
  }
  return app;
}

function page(c: Context, name: PageName, config: { domainUrl: string; clientId: string }) {
  const nonce = randomBytes(16).toString("base64");
  c.header(
    "Content-Security-Policy",
    [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      `connect-src ${config.domainUrl}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  c.header("Cache-Control", "no-store");
  // The callback URL carries the authorization code; never send it anywhere as a referrer.
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Content-Type-Options", "nosniff");
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
<script nonce="${nonce}">${FLOW_SCRIPT}</script>
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

/** JSON that is safe inside a `<script>` element: nothing in it can close the element. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

// Static: the configuration is read from the JSON element above, never spliced into code.
const FLOW_SCRIPT = `
(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const FLOW = ${JSON.stringify(FLOW_STORAGE_KEY)};
  const DEFAULT_RETURN = ${JSON.stringify(DEFAULT_RETURN)};
  const callbackUrl = location.origin + config.paths.callback;
  const fail = (message) => {
    document.getElementById("status").hidden = true;
    const error = document.getElementById("error");
    error.textContent = message;
    error.hidden = false;
    document.getElementById("again").hidden = false;
  };
  const base64url = (bytes) =>
    btoa(String.fromCharCode(...bytes)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const random = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));
  // A path on this origin, and not one of the sign-in pages; anything else is refused.
  const localPath = (value) => {
    if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\\\")) return undefined;
    let url;
    try { url = new URL(value, location.origin); } catch { return undefined; }
    if (url.origin !== location.origin) return undefined;
    if (Object.values(config.paths).includes(url.pathname)) return undefined;
    return url.pathname + url.search + url.hash;
  };
  const returnPath = () => {
    const asked = localPath(new URLSearchParams(location.search).get("return"));
    if (asked) return asked;
    try {
      const referrer = new URL(document.referrer);
      if (referrer.origin === location.origin) return localPath(referrer.pathname + referrer.search + referrer.hash) || DEFAULT_RETURN;
    } catch {}
    return DEFAULT_RETURN;
  };

  async function signIn() {
    const verifier = random(32);
    const challenge = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    const state = random(16);
    sessionStorage.setItem(FLOW, JSON.stringify({ state, verifier, returnTo: returnPath() }));
    const url = new URL("/oauth2/authorize", config.domainUrl);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: config.clientId,
      redirect_uri: callbackUrl,
      scope: "openid email profile",
      state,
      code_challenge: base64url(challenge),
      code_challenge_method: "S256",
    }).toString();
    location.replace(url.toString());
  }

  async function callback() {
    const params = new URLSearchParams(location.search);
    let flow = null;
    try { flow = JSON.parse(sessionStorage.getItem(FLOW) || "null"); } catch {}
    sessionStorage.removeItem(FLOW);
    if (params.get("error")) {
      fail("Sign-in did not complete: " + (params.get("error_description") || params.get("error")));
      return;
    }
    const code = params.get("code");
    if (!flow || !code || params.get("state") !== flow.state) {
      fail("This sign-in was not started in this tab, or it was already used. Sign in again.");
      return;
    }
    const response = await fetch(new URL("/oauth2/token", config.domainUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: config.clientId,
        code,
        redirect_uri: callbackUrl,
        code_verifier: flow.verifier,
      }),
    });
    const tokens = response.ok ? await response.json() : null;
    if (!tokens || typeof tokens.id_token !== "string") {
      fail("Cognito did not accept the sign-in (HTTP " + response.status + "). Sign in again.");
      return;
    }
    sessionStorage.setItem(config.tokenKey, tokens.id_token);
    location.replace(localPath(flow.returnTo) || DEFAULT_RETURN);
  }

  function signOut() {
    sessionStorage.removeItem(config.tokenKey);
    sessionStorage.removeItem(FLOW);
    const url = new URL("/logout", config.domainUrl);
    url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: location.origin + DEFAULT_RETURN }).toString();
    location.replace(url.toString());
  }

  const run = { signIn, callback, signOut }[config.page];
  Promise.resolve().then(run).catch(() => fail("Signing in failed: check your connection and sign in again."));
})();
`;
