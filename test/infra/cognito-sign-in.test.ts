/// <reference lib="dom" />
import { createHash, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCognitoSignInApp,
  TOKEN_STORAGE_KEY,
} from "../../core/review-api/ui/cognito-sign-in";
import { builtWebBundles } from "../../web/build";
import { launchChromium } from "../ui/chromium";

const CLIENT_ID = "web-client-123";
/** Shaped like a Cognito ID token (token_use "id", exp); the pages store it, the API verifies it. */
const ID_TOKEN =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJtYXJpYSIsImNvZ25pdG86Z3JvdXBzIjpbInJldmlld2VyIl0sInRva2VuX3VzZSI6ImlkIiwiZXhwIjoxNzkzMDAwMDAwfQ.c2lnbmF0dXJl";

interface Grant {
  challenge: string;
  redirectUri: string;
}

/**
 * A stand-in for Cognito's managed login: `/oauth2/authorize` signs the user in at once and
 * redirects with a code bound to the PKCE challenge; `/oauth2/token` hands out the ID token
 * only for the verifier that hashes to that challenge, once; `/logout` redirects back.
 */
function fakeCognito() {
  const grants = new Map<string, Grant>();
  const seen = { authorize: 0, token: 0, logout: [] as string[] };
  const app = new Hono();
  app.get("/oauth2/authorize", (c) => {
    seen.authorize++;
    const q = c.req.query();
    const valid =
      q.response_type === "code" &&
      q.client_id === CLIENT_ID &&
      q.code_challenge_method === "S256" &&
      /^[A-Za-z0-9_-]{43}$/.test(q.code_challenge ?? "") &&
      (q.scope ?? "").split(" ").includes("openid") &&
      q.redirect_uri &&
      q.state;
    if (!valid) return c.text("bad authorize request", 400);
    const code = randomUUID();
    grants.set(code, { challenge: q.code_challenge ?? "", redirectUri: q.redirect_uri ?? "" });
    const back = new URL(q.redirect_uri ?? "");
    back.searchParams.set("code", code);
    back.searchParams.set("state", q.state ?? "");
    return c.redirect(back.toString());
  });
  app.post("/oauth2/token", async (c) => {
    seen.token++;
    c.header("Access-Control-Allow-Origin", "*");
    const body = await c.req.parseBody();
    const grant = grants.get(String(body.code));
    grants.delete(String(body.code));
    const challenge = createHash("sha256").update(String(body.code_verifier)).digest("base64url");
    const valid =
      grant &&
      body.grant_type === "authorization_code" &&
      body.client_id === CLIENT_ID &&
      body.redirect_uri === grant.redirectUri &&
      challenge === grant.challenge;
    if (!valid) return c.json({ error: "invalid_grant" }, 400);
    return c.json({ id_token: ID_TOKEN, access_token: "access", token_type: "Bearer" });
  });
  app.get("/logout", (c) => {
    seen.logout.push(c.req.url);
    if (c.req.query("client_id") !== CLIENT_ID) return c.text("bad logout request", 400);
    return c.redirect(c.req.query("logout_uri") ?? "/");
  });
  return { app, seen };
}

const servers: ServerType[] = [];
async function listen(app: Hono): Promise<string> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let browser: Browser;
let site = "";
let cognito: ReturnType<typeof fakeCognito>;

beforeAll(async () => {
  cognito = fakeCognito();
  const domainUrl = await listen(cognito.app);
  const app = new Hono();
  app.route(
    "/",
    createCognitoSignInApp({ domainUrl, clientId: CLIENT_ID, webBundles: await builtWebBundles() }),
  );
  // Stand-ins for the app's own pages.
  app.get("/review", (c) => c.html('<p id="page">review</p>'));
  app.get("/landing", (c) =>
    c.html('<p id="page">landing</p><a id="go" href="/sign-in">sign in</a>'),
  );
  site = await listen(app);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
});

async function freshPage() {
  const context = await browser.newContext();
  return context.newPage();
}

const token = (page: Awaited<ReturnType<typeof freshPage>>) =>
  page.evaluate((key) => sessionStorage.getItem(key), TOKEN_STORAGE_KEY);

describe("Cognito sign-in pages", () => {
  it("sign in with PKCE, store the ID token and return to the page that asked", async () => {
    const page = await freshPage();
    await page.goto(`${site}/sign-in?return=${encodeURIComponent("/landing?tab=2#scores")}`);
    await page.waitForURL(`${site}/landing?tab=2#scores`);

    expect(await token(page)).toBe(ID_TOKEN);
    expect(await page.evaluate(() => sessionStorage.getItem("spotcheck.signIn"))).toBeNull();
    await page.context().close();
  });

  it("return to the referring page of this site when no return path is given", async () => {
    const page = await freshPage();
    await page.goto(`${site}/landing`);
    await page.click("#go");
    await page.waitForURL(`${site}/landing`);
    await page.waitForFunction((key) => sessionStorage.getItem(key) !== null, TOKEN_STORAGE_KEY);

    expect(await token(page)).toBe(ID_TOKEN);
    await page.context().close();
  });

  it("never return to another site", async () => {
    const page = await freshPage();
    await page.goto(`${site}/sign-in?return=${encodeURIComponent("//evil.example/steal")}`);
    await page.waitForURL(`${site}/review`);

    expect(await token(page)).toBe(ID_TOKEN);
    await page.context().close();
  });

  it("refuse a callback this tab did not start, without asking for a token", async () => {
    const page = await freshPage();
    const before = cognito.seen.token;
    await page.goto(`${site}/auth/callback?code=stolen&state=guess`);
    await page.waitForSelector("#error:not([hidden])");

    expect(await page.textContent("#error")).toMatch(/not started in this tab/);
    expect(cognito.seen.token).toBe(before);
    expect(await token(page)).toBeNull();
    await page.context().close();
  });

  it("show Cognito's error description as text, never as markup", async () => {
    const page = await freshPage();
    const hostile = '<img src=x onerror="window.__xss = 1">denied';
    await page.goto(
      `${site}/auth/callback?error=access_denied&error_description=${encodeURIComponent(hostile)}`,
    );
    await page.waitForSelector("#error:not([hidden])");

    expect(await page.textContent("#error")).toContain(hostile);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await page.context().close();
  });

  it("sign out: forget the token and end the Cognito session, then come back to /review", async () => {
    const page = await freshPage();
    await page.goto(`${site}/review`);
    await page.evaluate((key) => sessionStorage.setItem(key, "old-token"), TOKEN_STORAGE_KEY);
    await page.goto(`${site}/sign-out`);
    await page.waitForURL(`${site}/review`);

    expect(await token(page)).toBeNull();
    const logout = new URL(cognito.seen.logout.at(-1) ?? "http://none");
    expect(logout.searchParams.get("logout_uri")).toBe(`${site}/review`);
    await page.context().close();
  });
});

describe("Cognito sign-in page responses", () => {
  const app = createCognitoSignInApp({
    domainUrl: "https://spotcheck-dev.auth.eu-west-1.amazoncognito.com/",
    clientId: 'abc</script><script>alert(1)</script>"',
  });

  it.each(["/sign-in", "/auth/callback", "/sign-out"])(
    "%s allows only its own nonce'd script and connections to the Cognito domain",
    async (path) => {
      const response = await app.request(path);
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(nonce).toBeDefined();
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("connect-src https://spotcheck-dev.auth.eu-west-1.amazoncognito.com;");
      expect(html.match(/<script nonce="([^"]+)"/g)).toEqual([`<script nonce="${nonce}"`]);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    },
  );

  it("embeds the configuration so that nothing in it can end the script element", async () => {
    const html = await (await app.request("/sign-in")).text();
    const config = /<script type="application\/json" id="config">(.*?)<\/script>/s.exec(html)?.[1];

    expect(html).not.toContain("<script>alert(1)");
    expect(JSON.parse(config ?? "{}").clientId).toBe('abc</script><script>alert(1)</script>"');
  });

  it("refuses a Cognito domain that is not https", () => {
    expect(() =>
      createCognitoSignInApp({ domainUrl: "http://auth.example.com", clientId: CLIENT_ID }),
    ).toThrow(/https/);
  });
});
