import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_ASSETS, WEB_BUNDLES } from "../../core/review-api/ui/assets";
import { buildWebBundles } from "../../web/build";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const SYNTH_TIMEOUT_MS = 240_000;

interface Template {
  Resources: Record<
    string,
    {
      Type: string;
      Properties?: {
        Code?: { S3Key?: string };
        Environment?: { Variables: Record<string, unknown> };
        Description?: string;
      };
    }
  >;
}

/**
 * Imports a bundle in a fresh Node process, with the environment its function gets (references
 * replaced by URL-shaped stand-ins), and optionally sends it API Gateway v2 GET requests.
 * Prints `{ handler, responses }` as JSON.
 */
const PROBE = `
const [bundle, paths] = process.argv.slice(1);
const { handler } = await import(bundle);
const responses = [];
for (const path of JSON.parse(paths)) {
  const response = await handler({
    version: "2.0", routeKey: "$default", rawPath: path, rawQueryString: "", isBase64Encoded: false,
    headers: { host: "api.example", accept: "text/html" },
    requestContext: { http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "probe" },
      domainName: "api.example", requestId: "r1", routeKey: "$default", stage: "$default" },
  }, {});
  responses.push({ path, status: response.statusCode, headers: response.headers, body: response.body });
}
console.log(JSON.stringify({ handler: typeof handler, responses }));
`;

async function probe(
  bundle: string,
  variables: Record<string, unknown>,
  paths: string[] = [],
): Promise<{
  handler: string;
  responses: { path: string; status: number; headers: Record<string, string>; body: string }[];
}> {
  const env = Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      typeof value === "string" ? value : `https://resolved.example/${key}`,
    ]),
  );
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", PROBE, `file://${bundle}`, JSON.stringify(paths)],
    {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...env,
      },
      timeout: 30_000,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
}

describe("cdk synth (bundling on)", () => {
  let outDir = "";
  let template: Template;
  let seconds = 0;
  const functions = () =>
    Object.entries(template.Resources).filter(([, r]) => r.Type === "AWS::Lambda::Function");
  const bundleDir = (key: string | undefined) =>
    join(outDir, `asset.${String(key).replace(/\.zip$/, "")}`);
  const functionNamed = (logicalIdPrefix: string) => {
    const found = functions().find(([logicalId]) => logicalId.startsWith(logicalIdPrefix));
    if (!found) throw new Error(`no function ${logicalIdPrefix}`);
    return found[1];
  };

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "spotcheck-synth-"));
    const started = Date.now();
    // Throws (failing every test) on a non-zero exit, which includes any cdk-nag finding.
    // --no-notices and the telemetry opt-out keep the CLI off the network.
    await run("npx", ["cdk", "synth", "--quiet", "--no-notices", "-o", outDir], {
      cwd: repoRoot,
      timeout: SYNTH_TIMEOUT_MS,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" },
    });
    seconds = (Date.now() - started) / 1000;
    template = JSON.parse(await readFile(join(outDir, "Spotcheck-dev.template.json"), "utf8"));
  }, SYNTH_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it("synthesizes Spotcheck-dev through the real CLI and cdk.json, with no nag finding", async () => {
    const types = new Set(Object.values(template.Resources).map((resource) => resource.Type));
    expect([...types]).toEqual(
      expect.arrayContaining([
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::DynamoDB::GlobalTable",
        "AWS::Events::Rule",
        "AWS::Lambda::Function",
        "AWS::Lambda::EventSourceMapping",
        "AWS::ApiGatewayV2::Api",
        "AWS::Cognito::UserPool",
        "AWS::SecretsManager::Secret",
        "AWS::CloudWatch::Alarm",
        "AWS::SNS::Topic",
      ]),
    );
    const report = JSON.parse(await readFile(join(outDir, "validation-report.json"), "utf8"));
    expect(report.pluginReports).toEqual([]);
    console.info(`cdk synth with bundling: ${seconds.toFixed(1)} s`);
  });

  it("bundles every function as one ESM file", () => {
    expect(functions().length).toBe(4);
    for (const [logicalId, fn] of functions()) {
      expect(existsSync(join(bundleDir(fn.Properties?.Code?.S3Key), "index.mjs")), logicalId).toBe(
        true,
      );
    }
  });

  it("copies the browser assets into the review API's bundle, byte for byte", async () => {
    const dir = bundleDir(functionNamed("ReviewApi").Properties?.Code?.S3Key);
    for (const asset of BROWSER_ASSETS) {
      const bundled = await readFile(join(dir, "assets", asset.name));
      const source = await readFile(join(repoRoot, "node_modules", asset.packageFile));
      expect(bundled.equals(source), asset.name).toBe(true);
    }
  });

  it.each(["Sampler", "PeriodClose", "Drift"])(
    "loads the %s bundle with the environment the template gives it",
    async (name) => {
      const fn = functionNamed(name);
      const result = await probe(
        join(bundleDir(fn.Properties?.Code?.S3Key), "index.mjs"),
        fn.Properties?.Environment?.Variables ?? {},
      );
      expect(result.handler).toBe("function");
    },
  );

  it("builds every page bundle into the review API's bundle from the current web/ source", async () => {
    const dir = bundleDir(functionNamed("ReviewApi").Properties?.Code?.S3Key);
    const fresh = await buildWebBundles();
    for (const name of Object.keys(WEB_BUNDLES) as (keyof typeof WEB_BUNDLES)[]) {
      expect(await readFile(join(dir, "assets", name), "utf8"), name).toBe(fresh.get(name));
    }
  });

  it("serves the reviewer page, the Cognito sign-in page and a bundled asset from the review API bundle", async () => {
    const fn = functionNamed("ReviewApi");
    const result = await probe(
      join(bundleDir(fn.Properties?.Code?.S3Key), "index.mjs"),
      fn.Properties?.Environment?.Variables ?? {},
      [
        "/review",
        "/dashboard",
        "/sign-in",
        "/auth/callback",
        "/assets/uplot.css",
        "/assets/reviewer.js",
        "/assets/dashboard.js",
        "/assets/sign-in.js",
      ],
    );
    const byPath = Object.fromEntries(result.responses.map((r) => [r.path, r]));
    expect(byPath["/review"]).toMatchObject({ status: 200 });
    // The reviewer page sends people without a token to the Cognito sign-in page.
    expect(byPath["/review"]?.body).toContain('"/sign-in"');
    // Read from the bundle's assets/ folder: there is no node_modules beside a Lambda bundle.
    const uplot = await readFile(
      join(repoRoot, "node_modules", "uplot/dist/uPlot.min.css"),
      "utf8",
    );
    expect(byPath["/assets/uplot.css"]).toMatchObject({ status: 200, body: uplot });
    for (const path of ["/assets/reviewer.js", "/assets/dashboard.js", "/assets/sign-in.js"]) {
      expect(byPath[path], path).toMatchObject({
        status: 200,
        headers: { "content-type": "text/javascript; charset=utf-8" },
      });
    }
    expect(byPath["/dashboard"]?.body).toContain('src="/assets/dashboard.js"');
    for (const path of ["/sign-in", "/auth/callback"]) {
      expect(byPath[path]?.status, path).toBe(200);
      expect(byPath[path]?.headers["content-security-policy"], path).toContain(
        "connect-src https://resolved.example",
      );
    }
  });
});
