// Local tools run on Node 20; the SDK's notice that its 2027 releases need Node 22 is not for users here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { Command, CommanderError } from "commander";
import { registerDemo } from "./commands/demo";
import { registerDev } from "./commands/dev";
import { registerInsights } from "./commands/insights";
import { registerNormalize } from "./commands/normalize";
import { registerPeriod } from "./commands/period";
import { registerQueue } from "./commands/queue";
import { registerReconcile } from "./commands/reconcile";
import { registerReprocess } from "./commands/reprocess";
import { registerRoster } from "./commands/roster";
import { registerSample } from "./commands/sample";
import { registerStatus } from "./commands/status";
import { registerUpload } from "./commands/upload";
import { CliError, errorLine } from "./output";

/** Builds the `spotcheck` command tree. Exported for tests. */
export function buildProgram(): Command {
  const program = new Command("spotcheck")
    .description("Spotcheck: auditable QA sampling of outsourced support interactions")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerNormalize(program);
  registerDemo(program);
  registerUpload(program);
  registerStatus(program);
  registerSample(program);
  registerReconcile(program);
  registerPeriod(program);
  registerRoster(program);
  registerReprocess(program);
  registerQueue(program);
  registerDev(program);
  registerInsights(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help text).
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`spotcheck: ${errorLine(error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}

await main(process.argv);
