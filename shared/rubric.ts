import { z } from "zod";

/** One dimension of a rubric: the question, and what each score from 1 to 5 looks like. */
export interface RubricDimension {
  /** The dimension's name in scores, rollup fields (`<id>_sw`…) and alerts. */
  readonly id: string;
  readonly name: string;
  readonly question: string;
  /** Behavioural anchor per level; index 0 describes a 1, index 4 a 5. */
  readonly anchors: readonly [string, string, string, string, string];
}

/** A versioned rubric. Every stored score carries the version it was given under. */
export interface Rubric {
  readonly version: string;
  /** Scores at or below this level must cite turn ids as evidence. */
  readonly evidenceRequiredAtOrBelow: number;
  readonly dimensions: readonly RubricDimension[];
}

/** Rubric v1. Change anchors only by adding a new version: old scores keep their meaning. */
export const RUBRIC_V1 = {
  version: "v1",
  evidenceRequiredAtOrBelow: 2,
  dimensions: [
    {
      id: "consistency",
      name: "Consistency across channels",
      question:
        "Did the agent give the same answer, policy and outcome the company gives on every other channel?",
      anchors: [
        "Contradicts published policy or what other channels promise (wrong fee, deadline or eligibility); the customer would get a different outcome elsewhere.",
        "Partly right but omits or bends a material condition, or invents an exception without authority.",
        "Correct outcome, but the explanation or next steps differ from the standard answer in ways that could confuse.",
        "Same policy, outcome and next steps as other channels; minor wording differences only.",
        "Exactly the company's answer, stated clearly, with the same commitments and timelines the customer would get on any channel.",
      ],
    },
    {
      id: "scriptReliance",
      name: "Reliance on scripts",
      question:
        "Did the agent adapt to the customer, or recite a script that did not fit the question?",
      anchors: [
        "Rigid script that failed the customer: repeats canned lines, ignores the actual question, the customer has to ask again.",
        "Mostly canned; adapts only after pushback, or answers a different question than the one asked.",
        "Script used sensibly but visibly; some phrases do not fit the situation.",
        "Natural language that addresses the specific question; script content used accurately.",
        "Fully adapted to the customer: accurate, specific, conversational, anticipates the follow-up question.",
      ],
    },
    {
      id: "empathy",
      name: "Empathy",
      question:
        "Did the agent acknowledge the customer's situation and feelings and respond to them?",
      anchors: [
        "Dismissive or cold: ignores clear frustration or distress, or blames the customer.",
        "Formulaic acknowledgement ('I understand your concern') with no change in response.",
        "Acknowledges the feeling once but does not act on it (no ownership, no reassurance).",
        "Acknowledges the situation in the customer's own terms and takes visible ownership.",
        "Names the impact on the customer, takes ownership, and follows through with a concrete, reassuring commitment.",
      ],
    },
  ],
} as const satisfies Rubric;

/**
 * Every rubric scores were ever given under, oldest first. The dimensions, the score schema
 * and the rollup fields all derive from this list: a new dimension is a new rubric version here.
 */
export const RUBRICS = [RUBRIC_V1] as const satisfies readonly Rubric[];

/** The rubric new scores are given under. */
export const CURRENT_RUBRIC: (typeof RUBRICS)[number] = RUBRIC_V1;

/** A dimension of any rubric version. */
export type Dimension = (typeof RUBRICS)[number]["dimensions"][number]["id"];

/** Every dimension of every rubric version, in the order the rubrics introduce them. */
export const DIMENSIONS: readonly [Dimension, ...Dimension[]] = [
  ...new Set(RUBRICS.flatMap((rubric) => rubric.dimensions.map((d): Dimension => d.id))),
] as [Dimension, ...Dimension[]];
export const DimensionSchema = z.enum(DIMENSIONS);

/** The rubric of a stored score's `rubricVersion`, or undefined for a version never defined. */
export const rubricOf = (version: string): (typeof RUBRICS)[number] | undefined =>
  RUBRICS.find((rubric) => rubric.version === version);
