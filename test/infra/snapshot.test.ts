import { describe, expect, it } from "vitest";
import { STAGE_CONFIGS } from "../../infra/config";
import { synthStack } from "./helpers";

/**
 * The template with what changes on every build taken out: asset hashes (bundling is off
 * here, so they hash construct paths and bundling options, yet they move with the CDK
 * version). Everything else — logical ids, properties, policies — is compared as is.
 */
function normalised(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, "[asset-hash]"));
}

describe("template snapshot (bundling off)", () => {
  it.each(["dev", "prod"] as const)("%s matches the reviewed template", (stage) => {
    const { template } = synthStack(STAGE_CONFIGS[stage]);
    expect(normalised(template.toJSON())).toMatchSnapshot();
  });
});
