import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  matchKeyTemplate,
  type NormalizeContext,
  NormalizeError,
  normalize,
} from "../../shared/importers";
import { MAX_TRANSCRIPT_BYTES, TranscriptSchema } from "../../shared/transcript";
import { FIXTURES, fixtureText, NORTHWIND, OBJECT_TIME } from "./helpers";

const RUNS = 300;

/** Every fixture, as text. */
const DOCUMENTS: readonly string[] = Object.values(FIXTURES).map(fixtureText);

const sourceArb = fc.stringMatching(/^[a-z0-9][a-z0-9/._-]{0,40}$/);

/** Contexts from empty to fully attributed, with good, missing and garbage object times. */
const contextArb: fc.Arbitrary<NormalizeContext> = fc.record(
  {
    source: sourceArb,
    metadata: fc.oneof(
      fc.constant({ ...NORTHWIND }),
      fc.dictionary(fc.constantFrom("vendor", "agent-id", "Vendor", "other"), fc.string()),
    ),
    keyTemplate: fc.constantFrom(
      "{vendor}/{agent}/{any}",
      "exports/{vendor}/{channel}/{agent}/{any}",
    ),
    objectTime: fc.oneof(
      fc.constant(OBJECT_TIME),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
    ),
    overrides: fc.record({ vendor: fc.string(), agent: fc.string() }, { requiredKeys: [] }),
    roster: fc.constant(new Map([["agt-0042", { vendor: "northwind-bpo" }]])),
  },
  { requiredKeys: ["source"] },
);

/**
 * The importer's whole contract: a transcript TranscriptSchema accepts as it is, or a
 * NormalizeError whose message is one line starting with the source. Anything else escapes and
 * fails the run.
 */
function holdsContract(input: string | Uint8Array, ctx: NormalizeContext): void {
  let transcript: unknown;
  try {
    transcript = normalize(input, ctx);
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(error.message.startsWith(`${ctx.source}: `)).toBe(true);
    return;
  }
  const parsed = TranscriptSchema.parse(transcript);
  // Not just valid: exactly what a parse returns, key order included, so stored JSON is the same.
  expect(JSON.stringify(transcript)).toBe(JSON.stringify(parsed));
}

type Path = (string | number)[];

/** Every path inside a JSON value, the root excluded. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((child, i) => {
      out.push([...prefix, i]);
      pathsOf(child, [...prefix, i], out);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(child, [...prefix, key], out);
    }
  }
  return out;
}

type Mutation = { pick: number; op: "delete" } | { pick: number; op: "replace"; value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ pick: fc.nat(), op: fc.constant("delete" as const) }),
  fc.record({ pick: fc.nat(), op: fc.constant("replace" as const), value: fc.jsonValue() }),
);

/** Deletes or replaces the value at one of the document's paths, chosen by `pick`. */
function mutate(doc: unknown, mutation: Mutation): unknown {
  const paths = pathsOf(doc);
  const path = paths[mutation.pick % Math.max(paths.length, 1)];
  if (path === undefined) return doc;
  let parent: unknown = doc;
  for (const step of path.slice(0, -1)) {
    parent = (parent as Record<string | number, unknown>)[step];
  }
  const last = path[path.length - 1] ?? "";
  if (Array.isArray(parent) && typeof last === "number") {
    if (mutation.op === "delete") parent.splice(last, 1);
    else parent[last] = mutation.value;
  } else if (typeof parent === "object" && parent !== null) {
    const record = parent as Record<string | number, unknown>;
    if (mutation.op === "delete") delete record[last];
    else record[last] = mutation.value;
  }
  return doc;
}

/** Empties whatever holds the turns in each format. */
function withoutTurns(text: string): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  for (const key of ["Transcript", "turns", "comments"]) {
    if (key in doc) doc[key] = [];
  }
  if (typeof doc.ticket === "object" && doc.ticket !== null && "comments" in doc.ticket) {
    (doc.ticket as Record<string, unknown>).comments = [];
  }
  return JSON.stringify(doc);
}

describe("normalize holds its contract", () => {
  it("for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" })), contextArb, (text, ctx) =>
        holdsContract(text, ctx),
      ),
      { numRuns: RUNS },
    );
  });

  it("for arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), contextArb, (bytes, ctx) =>
        holdsContract(bytes, ctx),
      ),
      { numRuns: RUNS },
    );
  });

  it("for arbitrary JSON documents", () => {
    fc.assert(
      fc.property(fc.jsonValue(), contextArb, (doc, ctx) =>
        holdsContract(JSON.stringify(doc), ctx),
      ),
      { numRuns: RUNS },
    );
  });

  it("for objects made of the formats' own keys with arbitrary values", () => {
    const keys = [
      "schemaVersion",
      "interactionId",
      "JobName",
      "ContactId",
      "Transcript",
      "Participants",
      "CustomerMetadata",
      "ConversationCharacteristics",
      "Channel",
      "ticket",
      "comments",
      "turns",
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()), contextArb, (doc, ctx) =>
        holdsContract(JSON.stringify(doc), ctx),
      ),
      { numRuns: RUNS },
    );
  });

  it("for documents with fields deleted or replaced by arbitrary JSON", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DOCUMENTS),
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        contextArb,
        (text, mutations, ctx) => {
          const doc = mutations.reduce<unknown>(mutate, JSON.parse(text));
          holdsContract(JSON.stringify(doc), ctx);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("for documents cut short at any length", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DOCUMENTS), fc.nat(), contextArb, (text, cut, ctx) =>
        holdsContract(text.slice(0, cut % (text.length + 1)), ctx),
      ),
      { numRuns: RUNS },
    );
  });

  it("for documents with every turn removed", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DOCUMENTS), contextArb, (text, ctx) => {
        const empty = withoutTurns(text);
        expect(() => normalize(empty, ctx)).toThrow(NormalizeError);
        holdsContract(empty, ctx);
      }),
      { numRuns: 200 },
    );
  });

  it("for the documents as they are, bytes or text, whatever the context", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DOCUMENTS), fc.boolean(), contextArb, (text, asBytes, ctx) =>
        holdsContract(asBytes ? new TextEncoder().encode(text) : text, ctx),
      ),
      { numRuns: RUNS },
    );
  });
});

describe("size limit", () => {
  it("refuses 20 MB of text as too large", () => {
    const text = "x".repeat(20 * 1024 * 1024);
    const started = performance.now();
    let caught: unknown;
    try {
      normalize(text, { source: "big.json" });
    } catch (error) {
      caught = error;
    }
    console.info(`20 MB refused in ${(performance.now() - started).toFixed(2)} ms`);
    expect(caught).toBeInstanceOf(NormalizeError);
    expect(caught instanceof NormalizeError && caught.reason).toBe("too-large");
    expect(text.length).toBeGreaterThan(MAX_TRANSCRIPT_BYTES);
  });
});

describe("matchKeyTemplate", () => {
  // Segments as ids look (IdSchema starts with a letter or digit), so "./" never leads a key.
  const segment = fc.stringMatching(/^[A-Za-z0-9][^/]{0,19}$/);

  it("captures vendor and agent from any key built from the template", () => {
    fc.assert(
      fc.property(
        segment,
        segment,
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        (vendor, agent, rest) => {
          const key = [vendor, agent, ...rest].join("/");
          expect(matchKeyTemplate("{vendor}/{agent}/{any}", key)).toEqual({ vendor, agent });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
