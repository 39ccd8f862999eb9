import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from "cdk-nag";
import type { IConstruct } from "constructs";

/**
 * The cdk-nag packs Spotcheck must pass: AWS Solutions and Serverless. With a scope, they are
 * bound to it (as `Validations.of(app).addPlugins` needs); without, they are for calling
 * `validateScope` directly.
 */
export function nagPacks(scope?: IConstruct): NagPack[] {
  return [
    new AwsSolutionsChecks(scope, { verbose: true }),
    new ServerlessChecks(scope, { verbose: true }),
  ];
}

/**
 * Registers the packs as policy-validation plugins, so synthesis — `cdk synth`, `cdk deploy`
 * and `app.synth()` alike — fails on any finding that is not acknowledged next to its
 * construct with `Validations.of(construct).acknowledge({ id, reason })`.
 */
export function registerNagPacks(app: App): void {
  Validations.of(app).addPlugins(...nagPacks(app));
}
