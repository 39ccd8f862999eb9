import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { z } from "zod";
import { destroyClients, localClients } from "../../local/clients";
import { readEndpoints } from "../../local/endpoints";
import { type UploadItem, uploadAll } from "../../local/upload";
import { MAX_TRANSCRIPT_BYTES } from "../../shared/transcript";
import { CliError } from "../output";

const MetadataFileSchema = z.record(z.string(), z.record(z.string(), z.string()));

/** Files a demo folder holds beside the transcripts; they are not uploaded. */
const SIDECARS = new Set(["manifest.json", "metadata.json", "roster.csv"]);

/** `spotcheck upload`: put transcripts into the local bucket, as an exporter would. */
export function registerUpload(program: Command): void {
  program
    .command("upload")
    .description("upload transcript files or folders to the local stack's bucket")
    .argument(
      "<paths...>",
      "files, or folders uploaded recursively (keys are paths inside the folder)",
    )
    .option("--vendor <vendor>", "S3 metadata 'vendor' for every object")
    .option("--agent <agent>", "S3 metadata 'agent-id' for every object")
    .option("--prefix <prefix>", "key prefix", "")
    .option("--concurrency <n>", "uploads in flight", "16")
    .action(
      async (
        paths: string[],
        options: { vendor?: string; agent?: string; prefix: string; concurrency: string },
      ) => {
        const items: UploadItem[] = [];
        for (const path of paths) items.push(...(await collect(path, options)));
        if (items.length === 0)
          throw new CliError("nothing to upload: no files found in the given paths");
        const endpoints = await readEndpoints();
        const clients = localClients(endpoints);
        const bar = new SingleBar({
          format: "uploading [{bar}] {value}/{total} {percentage}% · {eta_formatted} left",
          stream: process.stderr,
          hideCursor: true,
        });
        bar.start(items.length, 0);
        const t0 = performance.now();
        try {
          await uploadAll(clients.s3, endpoints.bucket, items, {
            concurrency: Number(options.concurrency) || 16,
            onProgress: (done) => bar.update(done),
          });
        } finally {
          bar.stop();
          destroyClients(clients);
        }
        const secs = (performance.now() - t0) / 1000;
        process.stderr.write(
          `uploaded ${items.length} objects to s3://${endpoints.bucket}/${options.prefix} in ${secs.toFixed(1)} s\n`,
        );
        const oversized = items.filter(
          (item) => Buffer.byteLength(item.body) > MAX_TRANSCRIPT_BYTES,
        );
        if (oversized.length > 0) {
          process.stderr.write(
            `note: ${oversized.length} of them ${oversized.length === 1 ? "is" : "are"} over the sampler's ${MAX_TRANSCRIPT_BYTES / 1_048_576} MiB transcript limit and will be quarantined as too-large (first: ${oversized[0]?.key})\n`,
          );
        }
      },
    );
}

/** The upload items of one path; a folder's `metadata.json` (key → metadata) is applied. */
async function collect(
  path: string,
  options: { vendor?: string; agent?: string; prefix: string },
): Promise<UploadItem[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new CliError(`${path}: no such file or folder`);
  }
  const flags: Record<string, string> = {
    ...(options.vendor ? { vendor: options.vendor } : {}),
    ...(options.agent ? { "agent-id": options.agent } : {}),
  };
  if (info.isFile()) {
    return [{ key: options.prefix + basename(path), body: await readFile(path), metadata: flags }];
  }
  const sidecar = await readMetadata(join(path, "metadata.json"));
  const files = await readdir(path, { recursive: true, withFileTypes: true });
  const items: UploadItem[] = [];
  for (const entry of files) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const key = relative(path, full).split(sep).join("/");
    if (SIDECARS.has(key)) continue;
    items.push({
      key: options.prefix + key,
      body: await readFile(full),
      metadata: { ...(sidecar[key] ?? {}), ...flags },
    });
  }
  return items.sort((a, b) => a.key.localeCompare(b.key));
}

async function readMetadata(path: string): Promise<Record<string, Record<string, string>>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${path}: not valid JSON`);
  }
  const result = MetadataFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new CliError(`${path}: expected {"<key>": {"vendor": "...", "agent-id": "..."}}`);
  }
  return result.data;
}
