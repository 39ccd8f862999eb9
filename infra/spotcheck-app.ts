import type { App } from "aws-cdk-lib";
import { stageConfigFor } from "./config";
import { registerNagPacks } from "./nag";
import { SpotcheckStack } from "./stacks/spotcheck-stack";

/**
 * Adds `Spotcheck-<stage>` to `app`, for the stage in the `stage` context (`-c stage=dev|prod`,
 * default dev), and registers the cdk-nag packs on the app. Two more settings come from
 * context: `-c authDomainPrefix=<prefix>` (the Cognito domain prefix) and
 * `-c keyTemplate=<template>` (the sampler's key-path attribution template).
 */
export function addSpotcheck(app: App): SpotcheckStack {
  const stage: unknown = app.node.tryGetContext("stage") ?? "dev";
  const config = stageConfigFor(String(stage));
  const text = (key: string): Record<string, string> => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === "string" && value !== "" ? { [key]: value } : {};
  };
  registerNagPacks(app);
  // No `env`: the template is environment-agnostic and deploys into whichever account and
  // region the deployer's credentials point at.
  return new SpotcheckStack(app, `Spotcheck-${config.stage}`, {
    config: { ...config, ...text("authDomainPrefix"), ...text("keyTemplate") },
    description: `Spotcheck QA sampling pipeline (${config.stage})`,
  });
}
