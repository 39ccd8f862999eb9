import { localPath } from "../lib/return-path";

/** What the server writes into each Cognito sign-in page. */
export interface SignInConfig {
  domainUrl: string;
  clientId: string;
  page: "signIn" | "callback" | "signOut";
  paths: { signIn: string; callback: string; signOut: string };
  tokenKey: string;
}

/** Where the PKCE verifier, state and return path wait for the callback. */
export const FLOW_STORAGE_KEY = "spotcheck.signIn";

/** Where a signed-in user lands when no page asked to be returned to. */
export const DEFAULT_RETURN = "/review";

/** The browser the flow runs in; tests pass stand-ins. */
export interface FlowEnvironment {
  location: Pick<Location, "origin" | "search" | "replace">;
  referrer: string;
  storage: Storage;
  fetch: typeof fetch;
  crypto: Crypto;
}

/** A stored flow, as the sign-in page left it for the callback. */
interface PendingFlow {
  state: string;
  verifier: string;
  returnTo: string;
}

/** Base64url without padding, as PKCE (RFC 7636) writes the challenge. */
export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The three pages of the flow. Each throws only on a network failure. */
export function signInFlow(config: SignInConfig, env: FlowEnvironment, fail: (m: string) => void) {
  const callbackUrl = env.location.origin + config.paths.callback;
  const signInPaths = Object.values(config.paths);
  // A path on this origin, and not one of the sign-in pages; anything else is refused.
  const local = (value: string | null | undefined) =>
    localPath(value, env.location.origin, (pathname) => signInPaths.includes(pathname));
  const random = (size: number) => base64url(env.crypto.getRandomValues(new Uint8Array(size)));

  const returnPath = (): string => {
    const asked = local(new URLSearchParams(env.location.search).get("return"));
    if (asked) return asked;
    try {
      const referrer = new URL(env.referrer);
      if (referrer.origin === env.location.origin)
        return local(referrer.pathname + referrer.search + referrer.hash) ?? DEFAULT_RETURN;
    } catch {
      // No referrer, or not a URL: the default page.
    }
    return DEFAULT_RETURN;
  };

  async function signIn() {
    const verifier = random(32);
    const digest = await env.crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
    const state = random(16);
    const flow: PendingFlow = { state, verifier, returnTo: returnPath() };
    env.storage.setItem(FLOW_STORAGE_KEY, JSON.stringify(flow));
    const url = new URL("/oauth2/authorize", config.domainUrl);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: config.clientId,
      redirect_uri: callbackUrl,
      scope: "openid email profile",
      state,
      code_challenge: base64url(new Uint8Array(digest)),
      code_challenge_method: "S256",
    }).toString();
    env.location.replace(url.toString());
  }

  async function callback() {
    const params = new URLSearchParams(env.location.search);
    const flow = readFlow(env.storage);
    env.storage.removeItem(FLOW_STORAGE_KEY);
    const error = params.get("error");
    if (error) {
      fail(`Sign-in did not complete: ${params.get("error_description") || error}`);
      return;
    }
    const code = params.get("code");
    if (!flow || !code || params.get("state") !== flow.state) {
      fail("This sign-in was not started in this tab, or it was already used. Sign in again.");
      return;
    }
    const response = await env.fetch(new URL("/oauth2/token", config.domainUrl), {
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
    const tokens: unknown = response.ok ? await response.json() : null;
    const idToken =
      typeof tokens === "object" && tokens !== null && "id_token" in tokens
        ? tokens.id_token
        : undefined;
    if (typeof idToken !== "string") {
      fail(`Cognito did not accept the sign-in (HTTP ${response.status}). Sign in again.`);
      return;
    }
    env.storage.setItem(config.tokenKey, idToken);
    env.location.replace(local(flow.returnTo) ?? DEFAULT_RETURN);
  }

  function signOut() {
    env.storage.removeItem(config.tokenKey);
    env.storage.removeItem(FLOW_STORAGE_KEY);
    const url = new URL("/logout", config.domainUrl);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      logout_uri: env.location.origin + DEFAULT_RETURN,
    }).toString();
    env.location.replace(url.toString());
  }

  return { signIn, callback, signOut };
}

function readFlow(storage: Storage): PendingFlow | null {
  try {
    const flow: unknown = JSON.parse(storage.getItem(FLOW_STORAGE_KEY) ?? "null");
    if (typeof flow !== "object" || flow === null) return null;
    const { state, verifier, returnTo } = flow as Record<string, unknown>;
    return typeof state === "string" && typeof verifier === "string"
      ? { state, verifier, returnTo: typeof returnTo === "string" ? returnTo : DEFAULT_RETURN }
      : null;
  } catch {
    return null;
  }
}
