import type { App } from "aws-cdk-lib";
import { stageConfigFor } from "./config";
import { registerNagPacks } from "./nag";
import { SpotcheckStack } from "./stacks/spotcheck-stack";

/**
 * Adds `Spotcheck-<stage>` to `app`, for the stage in the `stage` context (`-c stage=dev|prod`,
 * default dev), and registers the cdk-nag packs on the app. `-c authDomainPrefix=<prefix>`
 * overrides the Cognito domain prefix.
 */
export function addSpotcheck(app: App): SpotcheckStack {
  const stage: unknown = app.node.tryGetContext("stage") ?? "dev";
  const domainPrefix: unknown = app.node.tryGetContext("authDomainPrefix");
  const config = stageConfigFor(String(stage));
  registerNagPacks(app);
  // No `env`: the template is environment-agnostic and deploys into whichever account and
  // region the deployer's credentials point at.
  return new SpotcheckStack(app, `Spotcheck-${config.stage}`, {
    config: {
      ...config,
      ...(typeof domainPrefix === "string" && domainPrefix !== ""
        ? { authDomainPrefix: domainPrefix }
        : {}),
    },
    description: `Spotcheck QA sampling pipeline (${config.stage})`,
  });
}
