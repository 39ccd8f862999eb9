process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { generateDemo } from "../local/demo/generate";
import { loadPolicy } from "../local/policy";
import { startLocalStack } from "../local/stack";
import { uploadAll } from "../local/upload";
import { normalize } from "../shared/importers";
import { decide } from "../shared/sampling";
import { samplerEndToEnd } from "./sampler-e2e";

/**
 * Benchmarks of the foundation, each measured against a baseline in the same run:
 * - importers and the sampler core: normalise + validate (+ decide) per transcript, as a ratio
 *   to `JSON.parse` of the same bytes;
 * - sampler end to end on the local stack against a minimal script making the same calls,
 *   AWS calls per 1,000 transcripts, cost per million, and sampling accuracy;
 * - local stack: uploads per second with the local EventBridge delivery, against plain
 *   PutObject to a bucket the rule does not match, on the same emulator.
 * Results go to bench/results.json; the README quotes them.
 */

const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeRounds(fn: () => void): number {
  fn(); // warm-up: JIT and caches
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function importers() {
  const policy = await loadPolicy();
  const key = randomBytes(32);
  const { files, manifest } = generateDemo({ days: 90, seed: 7 });
  const formatOf = new Map(manifest.truth.map((t) => [t.key, t.format]));
  const started = new Map(manifest.truth.map((t) => [t.key, t.startedAt]));
  const encoded = files.map((f) => ({
    key: f.key,
    bytes: new TextEncoder().encode(f.body),
    metadata: f.metadata,
    format: formatOf.get(f.key) ?? "unknown",
    objectTime: started.get(f.key),
  }));
  const groups = new Map<string, typeof encoded>();
  for (const file of encoded) groups.set(file.format, [...(groups.get(file.format) ?? []), file]);
  groups.set("all", encoded);
  const decoder = new TextDecoder();
  const rows = [];
  for (const [format, group] of groups) {
    const bytes = group.reduce((n, f) => n + f.bytes.byteLength, 0);
    const parseMs = timeRounds(() => {
      for (const f of group) JSON.parse(decoder.decode(f.bytes));
    });
    const normalizeMs = timeRounds(() => {
      for (const f of group) {
        normalize(f.bytes, { source: f.key, metadata: f.metadata, objectTime: f.objectTime });
      }
    });
    const coreMs = timeRounds(() => {
      for (const f of group) {
        const t = normalize(f.bytes, {
          source: f.key,
          metadata: f.metadata,
          objectTime: f.objectTime,
        });
        decide(policy, key, t);
      }
    });
    rows.push({
      format,
      transcripts: group.length,
      meanBytes: Math.round(bytes / group.length),
      jsonParseUsPerTranscript: round((parseMs * 1000) / group.length),
      normalizeUsPerTranscript: round((normalizeMs * 1000) / group.length),
      ratioToJsonParse: round(normalizeMs / parseMs),
      coreUsPerTranscript: round((coreMs * 1000) / group.length),
      coreRatioToJsonParse: round(coreMs / parseMs),
    });
  }
  return rows;
}

async function localUpload() {
  const t0 = performance.now();
  const stack = await startLocalStack({ ports: { web: 0, aws: 0, dynamodb: 0 } });
  const startupSeconds = (performance.now() - t0) / 1000;
  try {
    const { files } = generateDemo({ days: 90, seed: 7 });
    await stack.clients.s3.send(new CreateBucketCommand({ Bucket: "bench-unwatched" }));
    const measure = async (bucket: string, drain: boolean) => {
      const start = performance.now();
      await uploadAll(stack.clients.s3, bucket, files, { concurrency: 24 });
      if (drain) await stack.bridge.drain();
      return files.length / ((performance.now() - start) / 1000);
    };
    const plain = await measure("bench-unwatched", false);
    const withEvents = await measure(stack.endpoints.bucket, true);
    return {
      startupSeconds: round(startupSeconds),
      objects: files.length,
      plainPutObjectsPerSecond: Math.round(plain),
      withEventDeliveryObjectsPerSecond: Math.round(withEvents),
      slowdown: round(plain / withEvents),
      eventsDelivered: stack.bridge.stats.delivered,
    };
  } finally {
    await stack.stop();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

const results = {
  ranAt: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  importers: await importers(),
  localUpload: await localUpload(),
  sampler: await samplerEndToEnd(Number(process.env.BENCH_TRANSCRIPTS ?? 20_000)),
};
const out = resolve(import.meta.dirname, "results.json");
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
console.table(results.importers);
console.table([results.localUpload]);
console.log(JSON.stringify(results.sampler, null, 2));
console.log(`written to ${out}`);
