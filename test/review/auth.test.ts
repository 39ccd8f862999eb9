import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { decodeJwt, importJWK, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReviewApp } from "../../core/review-api/app";
import {
  type DevIssuer,
  devVerifier,
  issueDevToken,
  loadOrCreateDevIssuer,
} from "../../local/auth/dev-issuer";

let home: string;
let dev: DevIssuer;
let app: ReturnType<typeof createReviewApp>;

/**
 * The AWS clients point at a closed port: every request below must be refused by the token
 * check before anything reaches them (a request that got through would answer 500, not 401).
 */
function unreachableReviewDeps() {
  const config = {
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  };
  return {
    sqs: new SQSClient(config),
    db: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    table: "unused",
    queueUrl: "http://127.0.0.1:9/000000000000/unused",
    leaseSeconds: 600,
    now: () => new Date(),
  };
}

/** A token signed by the local issuer's key with exactly these claims (plus iss, aud, sub). */
async function signed(claims: JWTPayload, expiresIn: string | undefined): Promise<string> {
  const jwt = new SignJWT({ "cognito:groups": ["reviewer"], ...claims })
    .setProtectedHeader({ alg: "ES256", kid: String(dev.privateJwk.kid) })
    .setSubject("mallory")
    .setIssuer(dev.issuer)
    .setAudience(dev.audience)
    .setIssuedAt();
  if (expiresIn !== undefined) jwt.setExpirationTime(expiresIn);
  return jwt.sign(await importJWK(dev.privateJwk, "ES256"));
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-auth-"));
  dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  app = createReviewApp({ review: unreachableReviewDeps(), verify: devVerifier(dev) });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("the local issuer", () => {
  it("issues ID tokens with token_use and exp, which the verifier accepts", async () => {
    const token = await issueDevToken(dev, { sub: "ana", role: "reviewer" }, 600);
    const claims = decodeJwt(token);
    expect(claims.token_use).toBe("id");
    expect(typeof claims.exp).toBe("number");
    await expect(devVerifier(dev)(`Bearer ${token}`)).resolves.toEqual({
      sub: "ana",
      role: "reviewer",
    });
  });
});

describe("the token verifier refuses with 401 JSON", () => {
  it.each([
    ["a token without exp", { token_use: "id" }, undefined, /has no 'exp' claim/],
    ["an access token", { token_use: "access" }, "10m", /not an ID token/],
    ["a token without token_use", {}, "10m", /has no 'token_use' claim/],
    ["a token whose token_use is not a string", { token_use: ["id"] }, "10m", /not an ID token/],
    ["an expired ID token", { token_use: "id" }, "-1m", /invalid or expired/],
  ])("%s", async (_name, claims, expiresIn, message) => {
    const token = await signed(claims, expiresIn);
    for (const path of ["/api/me/reviews", "/api/tasks/claim"]) {
      const res = await app.request(path, {
        method: path.endsWith("claim") ? "POST" : "GET",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(message);
    }
  });
});

describe("the vendor affiliation of a token", () => {
  const verify = () => devVerifier(dev);
  const bearer = async (vendor: unknown, role = "manager") =>
    `Bearer ${await signed({ token_use: "id", "cognito:groups": [role], "custom:vendor": vendor }, "10m")}`;

  it.each([
    [" NorthWind-BPO ", "northwind-bpo"],
    ["NORTHWIND-BPO", "northwind-bpo"],
    ["northwind-bpo", "northwind-bpo"],
  ])("canonicalises custom:vendor %j to %j", async (claim, vendor) => {
    await expect(verify()(await bearer(claim))).resolves.toEqual({
      sub: "mallory",
      role: "manager",
      vendor,
    });
  });

  it.each([[""], ["   "]])("treats a blank custom:vendor %j as no affiliation", async (claim) => {
    await expect(verify()(await bearer(claim))).resolves.toEqual({
      sub: "mallory",
      role: "manager",
    });
  });

  it.each([
    ["a vendor id with a space", "Northwind BPO", /is not a vendor id/],
    ["a number", 42, /is not a string/],
    ["a list", ["northwind-bpo"], /is not a string/],
  ])(
    "refuses %s with 403 JSON instead of reading the manager as unaffiliated",
    async (_n, claim, message) => {
      const res = await app.request("/api/vendors", {
        headers: { authorization: await bearer(claim) },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    },
  );

  it("limits a NorthWind-BPO manager to northwind-bpo, whatever the case of the query", async () => {
    const authorization = await bearer("NorthWind-BPO");
    const vendors = await app.request("/api/vendors", { headers: { authorization } });
    expect(vendors.status).toBe(200);
    expect(await vendors.json()).toEqual({ vendors: ["northwind-bpo"] });
    const other = await app.request("/api/trends?vendor=Lakeside-CX&dimension=empathy", {
      headers: { authorization },
    });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: string }).error).toBe(
      "you may read only northwind-bpo's results",
    );
  });
});
