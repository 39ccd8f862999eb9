import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { normalize } from "../../shared/importers";
import { conforms } from "../../shared/importers/conforms";
import { type Transcript, TranscriptSchema } from "../../shared/transcript";
import { FIXTURES, fixtureText, NORTHWIND, OBJECT_TIME } from "./helpers";

/**
 * `conforms` stands in for TranscriptSchema on the transcripts normalize builds, so it must
 * never accept what the schema refuses. These tests pin the schema it mirrors and check the
 * two agree on candidates with every field broken in every way we can think of.
 */

/** The number of refinements (superRefine, refine) anywhere in a schema; JSON Schema omits them. */
function refinements(schema: z.core.$ZodType): number {
  const def = schema._zod.def as unknown as {
    checks?: readonly z.core.$ZodCheck[];
    shape?: Record<string, z.core.$ZodType>;
    element?: z.core.$ZodType;
    innerType?: z.core.$ZodType;
    options?: readonly z.core.$ZodType[];
  };
  let count = (def.checks ?? []).filter((check) => check._zod.def.check === "custom").length;
  const children = [
    ...Object.values(def.shape ?? {}),
    ...(def.element ? [def.element] : []),
    ...(def.innerType ? [def.innerType] : []),
    ...(def.options ?? []),
  ];
  for (const child of children) count += refinements(child);
  return count;
}

describe("the schema conforms mirrors", () => {
  it("is unchanged; if this fails, make shared/importers/conforms.ts follow, then update", () => {
    expect(refinements(TranscriptSchema)).toBe(1);
    expect(z.toJSONSchema(TranscriptSchema)).toMatchSnapshot();
  });
});

const ctx = { metadata: { ...NORTHWIND }, objectTime: OBJECT_TIME };

/** Real transcripts, one per format and shape. */
const TRANSCRIPTS: readonly Transcript[] = [
  ...Object.values(FIXTURES).map((name) => normalize(fixtureText(name), { source: name, ...ctx })),
];

/** Values that sit on or just past an edge of some TranscriptSchema rule. */
const edgeValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom<unknown>(
      undefined,
      null,
      "",
      " ",
      "a",
      "#",
      "IX#1",
      "-starts-with-dash",
      "ok.id:with@all/the+chars_-",
      "a b",
      "NorthWind-BPO",
      "northwind-bpo",
      "a".repeat(100),
      "a".repeat(101),
      "a".repeat(128),
      "a".repeat(129),
      "a".repeat(200),
      "a".repeat(201),
      "a".repeat(1024),
      "a".repeat(1025),
      "en",
      "en-US",
      "EN-us",
      "e",
      "und",
      "zh-Hant-TW",
      "en-",
      "en-toolongtag",
      "2026-11-03T09:15:00Z",
      "2026-11-03T09:15:00.123Z",
      "2026-11-03T09:15:00.123456+05:30",
      "2026-11-03T09:15:00",
      "2026-11-03 09:15:00Z",
      "2026-02-29T00:00:00Z",
      "2024-02-29T00:00:00Z",
      "2026-11-03T24:00:00Z",
      "+012026-11-03T09:15:00.000Z",
      "1999-01-01T00:00:00Z",
      "2099-01-01T00:00:00Z",
      "voice",
      "fax",
      "agent",
      "robot",
      "resolved",
      "pending",
      "zendesk",
      "csv",
      "t1",
      0,
      1,
      2.5,
      5,
      6,
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      [],
      {},
    ),
  },
  fc.jsonValue(),
  fc.string(),
);

type Path = readonly (string | number)[];

/** A transcript's paths, optional ones included; of the turns, the first's and the last's. */
function pathsOf(t: Transcript): Path[] {
  const top = [
    "schemaVersion",
    "interactionId",
    "vendor",
    "agent",
    "channel",
    "queue",
    "intent",
    "language",
    "startedAt",
    "endedAt",
    "turns",
    "csat",
    "resolution",
    "source",
  ].map((key) => [key]);
  const turns = [0, t.turns.length - 1].flatMap((i) => [
    ["turns", i],
    ...["id", "role", "text", "at"].map((key) => ["turns", i, key]),
  ]);
  return [...top, ["source", "format"], ["source", "key"], ...turns];
}

/** Sets (or, for undefined, deletes) the value at `path`, if an earlier change left a way there. */
function setAt(target: unknown, path: Path, value: unknown): void {
  let parent = target;
  for (const step of path.slice(0, -1)) {
    if (typeof parent !== "object" || parent === null) return;
    parent = (parent as Record<string | number, unknown>)[step];
  }
  if (typeof parent !== "object" || parent === null) return;
  const record = parent as Record<string | number, unknown>;
  const last = path[path.length - 1] ?? "";
  if (value === undefined && !Array.isArray(record)) delete record[last];
  else record[last] = value;
}

const candidateArb = fc
  .tuple(
    fc.constantFrom(...TRANSCRIPTS),
    fc.array(fc.tuple(fc.nat(), edgeValue), { minLength: 1, maxLength: 2 }),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant("none") },
      fc.constantFrom("duplicate id", "swap times", "no turns"),
    ),
  )
  .map(([base, changes, twist]) => {
    const t = structuredClone(base);
    const paths = pathsOf(t);
    for (const [pick, value] of changes) {
      const path = paths[pick % paths.length];
      if (path) setAt(t, path, value);
    }
    if (twist === "duplicate id" && Array.isArray(t.turns) && t.turns.length > 1) {
      const [first, second] = t.turns;
      if (typeof second === "object" && second !== null) second.id = first?.id ?? "t1";
    }
    if (twist === "swap times") [t.startedAt, t.endedAt] = [t.endedAt, t.startedAt];
    if (twist === "no turns") t.turns = [];
    return t;
  });

describe("conforms", () => {
  it("accepts the transcripts normalize returns", () => {
    for (const t of TRANSCRIPTS) expect(conforms(t)).toBe(true);
  });

  it("agrees with TranscriptSchema on broken candidates", () => {
    let refused = 0;
    fc.assert(
      fc.property(candidateArb, (candidate) => {
        const accepted = conforms(candidate);
        expect(accepted).toBe(TranscriptSchema.safeParse(candidate).success);
        if (!accepted) refused++;
      }),
      { numRuns: 5000 },
    );
    // The generator is only useful if it breaks most candidates, but not all.
    expect(refused).toBeGreaterThan(2500);
    expect(refused).toBeLessThan(4900);
  });

  it.each([
    ["5,000 turns", 5_000, true],
    ["5,001 turns", 5_001, false],
  ])("agrees with TranscriptSchema on %s", (_name, count, expected) => {
    const [base] = TRANSCRIPTS;
    if (!base) throw new Error("no transcripts");
    const turn = base.turns[0];
    if (!turn) throw new Error("no turns");
    const t = {
      ...base,
      turns: Array.from({ length: count }, (_, i) => ({ ...turn, id: `t${i}` })),
    };
    expect(conforms(t)).toBe(expected);
    expect(TranscriptSchema.safeParse(t).success).toBe(expected);
  });

  it("agrees with TranscriptSchema on text at the length limit", () => {
    const [base] = TRANSCRIPTS;
    const turn = base?.turns[0];
    if (!base || !turn) throw new Error("no transcripts");
    for (const length of [200_000, 200_001]) {
      const t = { ...base, turns: [{ ...turn, text: "x".repeat(length) }] };
      expect(conforms(t)).toBe(TranscriptSchema.safeParse(t).success);
    }
  });
});
