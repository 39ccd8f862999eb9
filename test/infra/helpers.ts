import { readFileSync } from "node:fs";
import { App, CfnElement, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import type { StageConfig } from "../../infra/config";
import { SpotcheckStack } from "../../infra/stacks/spotcheck-stack";

/** The feature flags and other context of `cdk.json`, so test apps build what `cdk` builds. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("../../cdk.json", import.meta.url), "utf8"),
).context;

/**
 * An app with `cdk.json`'s context and bundling off: assets point at the source tree and no
 * esbuild runs (the one bundling synth is `synth.test.ts`).
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, "aws:cdk:bundling-stacks": [], ...context },
  });
}

/** A stack of the given stage in a test app, and its template. */
export function synthStack(config: StageConfig) {
  const app = testApp();
  const stack = new SpotcheckStack(app, `Spotcheck-${config.stage}`, { config });
  return { app, stack, template: Template.fromStack(stack) };
}

/** A CloudFormation resource as it appears in the synthesized template. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: IConstruct): string {
  const resource = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnElement)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  }
  return stack.getLogicalId(resource);
}

/** Every resource of a template, by logical id. */
export function resources(template: Template): Record<string, CfnResource> {
  return template.toJSON().Resources;
}

/** One resource of a template; throws if it is missing. */
export function resource(template: Template, id: string): CfnResource {
  const found = resources(template)[id];
  if (!found) throw new Error(`no resource ${id} in the template`);
  return found;
}

/** The resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return Object.fromEntries(
    Object.entries(resources(template)).filter(([, found]) => found.Type === type),
  );
}

/** `{ "Fn::GetAtt": [id, "Arn"] }`. */
export const getAttArn = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
