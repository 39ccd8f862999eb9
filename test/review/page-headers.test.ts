import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { htmlWithPolicy } from "../../core/review-api/ui/csp";

const app = new Hono().get("/", (c) =>
  htmlWithPolicy(
    c,
    '<script src="/assets/a.js"></script><script type="application/json">{}</script>',
  ),
);

async function load() {
  const res = await app.request("/");
  return { res, csp: res.headers.get("content-security-policy") ?? "", html: await res.text() };
}

describe("the app's pages", () => {
  it("give every script this response's nonce, and the policy allows only that nonce and this origin", async () => {
    const { res, csp, html } = await load();
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    if (!nonce) throw new Error(`no nonce in ${csp}`);
    expect(html.match(/<script nonce="[^"]+"/g)).toEqual([
      `<script nonce="${nonce}"`,
      `<script nonce="${nonce}"`,
    ]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("draw a new nonce for every response", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { csp } = await load();
      nonces.add(/'nonce-([^']+)'/.exec(csp)?.[1] ?? "");
    }
    expect(nonces.size).toBe(5);
  });
});
