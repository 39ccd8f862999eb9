/**
 * What one export format contributes to the importers: how to recognise its documents, the
 * schema they must meet, and how to turn one into a draft transcript. A new format is one
 * module that exports a {@link defineImporter} result and one line in ./registry.ts.
 */
import type { z } from "zod";
import { firstIssuePath } from "../errors";
import type { Channel, ResolutionSchema, SourceFormat, TurnRole } from "../transcript";

/** One export format, as the registry holds it. */
export interface Importer<F extends SourceFormat = SourceFormat> {
  readonly format: F;
  /** A cheap structural check on a parsed JSON document; no schema parse. */
  readonly detect: (doc: unknown) => boolean;
  /** Parses the document with the format's schema and converts it; refusals go through `env.fail`. */
  readonly read: (doc: unknown, env: FormatEnv) => Draft;
}

/**
 * An {@link Importer} from its parts: the schema's output is what `convert` receives, so a
 * converter never sees a document its schema refused.
 */
export function defineImporter<F extends SourceFormat, S extends z.ZodType>(spec: {
  format: F;
  detect: (doc: unknown) => boolean;
  schema: S;
  convert: (doc: z.output<S>, env: FormatEnv) => Draft;
}): Importer<F> {
  return {
    format: spec.format,
    detect: spec.detect,
    read: (doc, env) => spec.convert(parseWith(spec.schema, doc, env), env),
  };
}

function parseWith<S extends z.ZodType>(schema: S, doc: unknown, env: FormatEnv): z.output<S> {
  const result = schema.safeParse(doc);
  if (!result.success) env.fail(firstIssuePath(result.error), issueDetail(result.error));
  return result.data;
}

/** The first zod issue as a short phrase, e.g. `expected number, received string` or `missing (expected boolean)`. */
export function issueDetail(error: z.ZodError): string {
  const [firstIssue, ...rest] = error.issues;
  const message = (firstIssue?.message ?? "invalid")
    .replace(/^Invalid input: /, "")
    .replace(/^expected (.+), received undefined$/, "missing (expected $1)");
  return rest.length > 0 ? `${message} (and ${rest.length} more)` : message;
}

/** A turn as a format module produces it: the pipeline trims text, drops empty turns and numbers ids. */
export interface DraftTurn {
  /** Kept only for the canonical format; the others are numbered `t1`, `t2`, … by the pipeline. */
  id?: string;
  role: TurnRole;
  text: string;
  /** ISO-8601 instant. */
  at: string;
}

/** A transcript before attribution: what every format module returns. */
export interface Draft {
  interactionId: string;
  /** Set only when the document itself names the vendor (canonical, Zendesk tags). */
  vendor?: string;
  /** Set only when the document itself names the agent (canonical, Zendesk assignee). */
  agent?: string;
  channel: Channel;
  queue?: string;
  intent?: string;
  language: string;
  startedAt: string;
  endedAt: string;
  turns: DraftTurn[];
  csat?: number;
  resolution?: z.infer<typeof ResolutionSchema>;
}

/** What the pipeline lends a format module. */
export interface FormatEnv {
  /** Fallback start instant (ISO) for documents without absolute time. */
  objectTime?: string;
  /** Throws the pipeline's NormalizeError (reason `invalid`) for `field`; never returns. */
  fail(field: string, detail: string): never;
}
