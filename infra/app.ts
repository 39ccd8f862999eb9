import { App } from "aws-cdk-lib";
import { stageConfigFor } from "./config";
import { SpotcheckStack } from "./stacks/spotcheck-stack";

/** Synthesizes `Spotcheck-<stage>` for the stage chosen with `-c stage=dev|prod` (default dev). */
const app = new App();
const stage: unknown = app.node.tryGetContext("stage") ?? "dev";
const config = stageConfigFor(String(stage));

// No `env`: the template is environment-agnostic and deploys into whichever account and
// region the deployer's credentials point at.
new SpotcheckStack(app, `Spotcheck-${config.stage}`, {
  config,
  description: `Spotcheck QA sampling pipeline (${config.stage})`,
});

app.synth();
