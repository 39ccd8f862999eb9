import { readFile, stat } from "node:fs/promises";
import { isAbsolute, relative } from "node:path";
import type { Command } from "commander";
import { NormalizeError, normalize } from "../../shared/importers";
import { CliError, printJson } from "../output";

/** Exit code for input that cannot be normalised (distinct from usage or check failures). */
export const EXIT_BAD_INPUT = 2;

/** `spotcheck normalize <file>`: print the canonical transcript of any supported export. */
export function registerNormalize(program: Command): void {
  program
    .command("normalize")
    .description("detect a transcript's format and print it as canonical JSON")
    .argument(
      "<file>",
      "transcript export (canonical, Contact Lens, Transcribe Call Analytics, Connect chat, Zendesk)",
    )
    .option("--vendor <vendor>", "vendor, when the document does not name it")
    .option("--agent <agent>", "agent id, when the document does not name it")
    .option(
      "--key-template <template>",
      "read vendor/agent from the path, e.g. '{vendor}/{agent}/{any}'",
    )
    .option(
      "--started-at <iso>",
      "start time for formats without one (default: the file's modification time)",
    )
    .action(
      async (
        file: string,
        options: { vendor?: string; agent?: string; keyTemplate?: string; startedAt?: string },
      ) => {
        let bytes: Buffer;
        let modified: Date;
        try {
          [bytes, modified] = await Promise.all([readFile(file), stat(file).then((s) => s.mtime)]);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
          throw new CliError(`${file}: cannot read the file (${code})`, EXIT_BAD_INPUT);
        }
        // Relative to the working directory, so a key template matches it as it would an S3 key.
        const rel = relative(process.cwd(), file);
        const source = rel.startsWith("..") || isAbsolute(rel) ? file : rel;
        try {
          const transcript = normalize(bytes, {
            source,
            objectTime: options.startedAt ?? modified.toISOString(),
            ...(options.keyTemplate ? { keyTemplate: options.keyTemplate } : {}),
            overrides: {
              ...(options.vendor ? { vendor: options.vendor } : {}),
              ...(options.agent ? { agent: options.agent } : {}),
            },
          });
          printJson(transcript);
        } catch (error) {
          if (error instanceof NormalizeError) throw new CliError(error.message, EXIT_BAD_INPUT);
          throw error;
        }
      },
    );
}
