import { BatchGetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { InvalidRequestError } from "../../shared/errors";
import { periodsBetween } from "../../shared/estimate";
import {
  calibrationKey,
  calibrationMarkFromItem,
  KEYS,
  LEDGER_TASK_IDS,
  ledgerKey,
  ledgerTaskIdsFromItem,
  PERIOD,
  reviewerCountersFromItem,
  type ScoreValues,
  scoreKey,
  scoreValuesFromItem,
} from "../../shared/items";
import { DIMENSIONS, type Dimension } from "../../shared/rubric";
import { type AlphaInterval, bootstrapAlphaOrdinal } from "../../shared/stats/alpha-bootstrap";
import { type AlphaVerdict, alphaVerdict, MIN_ALPHA_UNITS } from "../../shared/stats/alpha-verdict";
import {
  MIN_SHARED_UNITS,
  type ReviewerEffect,
  reviewerSeverityModel,
  type SeverityModel,
} from "../../shared/stats/severity";
import { mapConcurrent, queryPeriodPrefix, queryRange, type Reader } from "./read";

/** Agreement of one dimension over one set of calibration units. */
export interface DimensionAgreement {
  dimension: Dimension;
  /** Krippendorff's alpha, ordinal metric; null when it is undefined (no pairable units). */
  alpha: number | null;
  /**
   * Bootstrap 95% interval (BCa, 2,000 resamples of the units, fixed seed); null with fewer
   * than 5 units or no alpha.
   */
  ci95: readonly [number, number] | null;
  /** What the interval supports; "insufficient" below {@link MIN_ALPHA_UNITS} units. */
  verdict: AlphaVerdict;
  /** Interactions scored by at least two reviewers on this dimension. */
  units: number;
  pairable: number;
}

/** One reviewer's severity on one dimension, from the additive model. */
export type DimensionSeverity = Omit<ReviewerEffect, "reviewer">;

/** A reviewer's calibration profile: severity per dimension and how often they skip. */
export interface ReviewerProfile {
  reviewer: string;
  reviews: number;
  skips: number;
  /** skips / (reviews + skips); null before any activity. */
  skipRate: number | null;
  /** Null on a dimension where the reviewer shared no interaction with another reviewer. */
  severity: Record<Dimension, DimensionSeverity | null>;
}

/** The severity model's fit on one dimension: how much reviewers differ, and the noise. */
export interface SeveritySummary {
  dimension: Dimension;
  units: number;
  /** SD of the reviewers' severities (REML); null when it cannot be estimated. */
  severitySd: number | null;
  /** SD of one score around interaction + reviewer; null when it cannot be estimated. */
  residualSd: number | null;
}

/**
 * Stored data that breaks the review rules. The report counts it and leaves it out rather
 * than fail: one bad item must not hide every other week's agreement.
 */
export interface CalibrationAnomalies {
  /**
   * Interactions one reviewer scored more than once (the primary and a copy, or two
   * copies). Only that reviewer's first score counts: the primary, else the earliest.
   */
  sameReviewerTwice: number;
  /** Score values that are not a whole number from 1 to 5; each is left out. */
  invalidValues: number;
  /** Calibrated interactions with no ledger entry: their scores are found by a Query instead. */
  missingLedger: number;
}

/** The calibration report over a range of weeks. */
export interface CalibrationReport {
  from: string;
  to: string;
  vendor: string | null;
  overall: DimensionAgreement[];
  weeks: Array<{ week: string; dimensions: DimensionAgreement[] }>;
  /** Left out for vendor-affiliated callers: reviewer identities are the QA team's business. */
  reviewers: ReviewerProfile[] | null;
  /** The severity model per dimension; null with `reviewers`. */
  severityModel: SeveritySummary[] | null;
  /** The evidence the report asks for before a verdict or a label. */
  minimums: { alphaUnits: number; sharedUnits: number };
  interactions: number;
  anomalies: CalibrationAnomalies;
  /** Up to {@link MAX_ANOMALY_EXAMPLES} affected interactions, for `sample explain`. */
  anomalyExamples: Array<{ anomaly: keyof CalibrationAnomalies; interactionId: string }>;
  requests: number;
}

/**
 * Calibrated interactions one report may cover. Each costs about one item in a batch read
 * of 100 for its ledger entry and one for each of its scores, so this bounds a report at
 * about 50 + 150 batch reads beyond its weekly Queries.
 */
export const MAX_CALIBRATION_UNITS = 5_000;
const MAX_ANOMALY_EXAMPLES = 20;
/** Weekly Queries one report runs at a time. */
const WEEK_CONCURRENCY = 4;

interface StoredScore {
  reviewer: string;
  primary: boolean;
  submittedAt: string;
  values: Partial<Record<Dimension, number>>;
}

interface Unit {
  week: string;
  interactionId: string;
  scores: Array<{ reviewer: string; values: Partial<Record<Dimension, number>> }>;
}

/**
 * Agreement statistics from the calibration copies: every interaction with a calibration
 * copy is a unit, its primary and copy scores the coders' values (N/A is missing).
 * Krippendorff's alpha (ordinal) per dimension, per week and overall, each with a bootstrap
 * interval and a verdict only from {@link MIN_ALPHA_UNITS} units on; each reviewer's
 * severity from an additive model (interaction + reviewer, reviewers partially pooled), with
 * an interval and a harsh/lenient label only from {@link MIN_SHARED_UNITS} shared
 * interactions on and when the interval excludes 0; and each reviewer's skip rate.
 *
 * Reads one Query per week for the calibration marks, then the units' ledger entries and
 * scores in batches of 100. Refuses (400) a range with more than
 * {@link MAX_CALIBRATION_UNITS} calibrated interactions.
 */
export async function calibrationReport(
  r: Reader,
  q: { from: string; to: string; vendor?: string; includeReviewers: boolean },
): Promise<CalibrationReport> {
  const before = r.requests;
  const weeks = periodsBetween(q.from, q.to, "week");
  const marks = await mapConcurrent(weeks, WEEK_CONCURRENCY, (week) =>
    queryRange(r, calibrationKey(week, "", "").pk),
  );
  const weekOf = new Map<string, string>();
  weeks.forEach((week, i) => {
    for (const mark of (marks[i] ?? []).map(calibrationMarkFromItem)) {
      if (q.vendor && mark.vendor !== q.vendor) continue;
      weekOf.set(mark.interactionId, week);
    }
  });
  if (weekOf.size > MAX_CALIBRATION_UNITS)
    throw new InvalidRequestError(
      `the range holds ${weekOf.size} calibrated interactions, more than one report reads (${MAX_CALIBRATION_UNITS}): narrow it`,
      [{ path: "from", message: "choose a later from, or an earlier to" }],
    );

  const anomalies: CalibrationAnomalies = {
    sameReviewerTwice: 0,
    invalidValues: 0,
    missingLedger: 0,
  };
  const anomalyExamples: CalibrationReport["anomalyExamples"] = [];
  const note = (anomaly: keyof CalibrationAnomalies, interactionId: string) => {
    anomalies[anomaly] += 1;
    if (anomalyExamples.length < MAX_ANOMALY_EXAMPLES)
      anomalyExamples.push({ anomaly, interactionId });
  };

  const stored = await scoresOf(r, [...weekOf.keys()], note);
  const units: Unit[] = [...weekOf].map(([interactionId, week]) => ({
    week,
    interactionId,
    scores: onePerReviewer(stored.get(interactionId) ?? [], () =>
      note("sameReviewerTwice", interactionId),
    ),
  }));

  const agreement = (subset: Unit[]): DimensionAgreement[] =>
    DIMENSIONS.map((dimension) => {
      const result: AlphaInterval = bootstrapAlphaOrdinal(
        subset.map((u) => u.scores.map((s) => s.values[dimension] ?? null)),
      );
      return {
        dimension,
        alpha: result.alpha,
        ci95: result.ci95,
        verdict: alphaVerdict(result),
        units: result.units,
        pairable: result.pairable,
      };
    });

  let reviewers: ReviewerProfile[] | null = null;
  let severityModel: SeveritySummary[] | null = null;
  if (q.includeReviewers) {
    const counters = (await queryPeriodPrefix(r, PERIOD.reviewers, "")).map(
      reviewerCountersFromItem,
    );
    const models = Object.fromEntries(
      DIMENSIONS.map((dimension) => [
        dimension,
        reviewerSeverityModel(
          units.map((u) =>
            u.scores.flatMap((s) => {
              const value = s.values[dimension];
              return value === undefined ? [] : [{ reviewer: s.reviewer, value }];
            }),
          ),
        ),
      ]),
    ) as Record<Dimension, SeverityModel>;
    const severities = Object.fromEntries(
      DIMENSIONS.map((d) => [d, new Map(models[d].reviewers.map((row) => [row.reviewer, row]))]),
    ) as Record<Dimension, Map<string, ReviewerEffect>>;
    severityModel = DIMENSIONS.map((dimension) => {
      const m = models[dimension];
      return {
        dimension,
        units: m.units,
        severitySd: m.severityVariance === null ? null : Math.sqrt(m.severityVariance),
        residualSd: m.residualVariance === null ? null : Math.sqrt(m.residualVariance),
      };
    });
    reviewers = counters
      .map((c) => {
        const reviewer = c.reviewer;
        const reviews = c.reviews ?? 0;
        const skips = c.skips ?? 0;
        const severity = Object.fromEntries(
          DIMENSIONS.map((d) => {
            const row = severities[d].get(reviewer);
            if (!row) return [d, null];
            const { reviewer: _id, ...severity } = row;
            return [d, severity];
          }),
        ) as ReviewerProfile["severity"];
        return {
          reviewer,
          reviews,
          skips,
          skipRate: reviews + skips > 0 ? skips / (reviews + skips) : null,
          severity,
        };
      })
      .sort((a, b) => (a.reviewer < b.reviewer ? -1 : 1));
  }

  return {
    from: q.from,
    to: q.to,
    vendor: q.vendor ?? null,
    overall: agreement(units),
    weeks: weeks.map((week) => ({
      week,
      dimensions: agreement(units.filter((u) => u.week === week)),
    })),
    reviewers,
    severityModel,
    minimums: { alphaUnits: MIN_ALPHA_UNITS, sharedUnits: MIN_SHARED_UNITS },
    interactions: units.length,
    anomalies,
    anomalyExamples,
    requests: r.requests - before,
  };
}

/**
 * Each reviewer's first score of one interaction: the primary if it is theirs, else their
 * earliest. The review queue never hands a reviewer a second copy, but data written before
 * that rule, or by hand, may hold one; `duplicate` is called once when it does.
 */
function onePerReviewer(scores: readonly StoredScore[], duplicate: () => void): Unit["scores"] {
  const ordered = [...scores].sort(
    (a, b) => Number(b.primary) - Number(a.primary) || a.submittedAt.localeCompare(b.submittedAt),
  );
  const seen = new Set<string>();
  const kept: Unit["scores"] = [];
  for (const s of ordered) {
    if (seen.has(s.reviewer)) continue;
    seen.add(s.reviewer);
    kept.push({ reviewer: s.reviewer, values: s.values });
  }
  if (kept.length < ordered.length) duplicate();
  return kept;
}

/** A stored score item as the agreement statistics read it; bad values are reported and dropped. */
function storedScore(score: ScoreValues, invalid: () => void): StoredScore {
  const values: Partial<Record<Dimension, number>> = {};
  for (const d of DIMENSIONS) {
    const v = score.scores?.[d]?.value;
    if (v === undefined) continue;
    if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 5) values[d] = v;
    else invalid();
  }
  return {
    reviewer: score.reviewer,
    primary: score.kind !== "calibration",
    submittedAt: score.submittedAt ?? "",
    values,
  };
}

/**
 * Every stored score of each interaction: the ledger entries (which list the interaction's
 * task ids) and then the scores, 100 keys per BatchGetItem. An interaction without a
 * ledger entry falls back to one Query of its scores.
 */
async function scoresOf(
  r: Reader,
  interactionIds: readonly string[],
  note: (anomaly: keyof CalibrationAnomalies, interactionId: string) => void,
): Promise<Map<string, StoredScore[]>> {
  const ledgers = await batchGet(
    r,
    interactionIds.map((id) => ledgerKey(id)),
    LEDGER_TASK_IDS.expression,
    LEDGER_TASK_IDS.names,
  );
  const taskIds = new Map<string, string[]>();
  for (const entry of ledgers.map(ledgerTaskIdsFromItem))
    taskIds.set(entry.interactionId, entry.taskIds);
  const byInteraction = new Map<string, StoredScore[]>();
  const add = (item: Record<string, unknown>) => {
    const score = scoreValuesFromItem(item);
    const id = score.interactionId;
    const list = byInteraction.get(id) ?? [];
    list.push(storedScore(score, () => note("invalidValues", id)));
    byInteraction.set(id, list);
  };
  const keys = interactionIds.flatMap((id) => (taskIds.get(id) ?? []).map((t) => scoreKey(id, t)));
  for (const item of await batchGet(r, keys)) add(item);
  for (const id of interactionIds.filter((i) => !taskIds.has(i))) {
    note("missingLedger", id);
    for (const item of await queryScores(r, id)) add(item);
  }
  return byInteraction;
}

/** Items by key, 100 per BatchGetItem, retrying unprocessed keys; each call is a request. */
async function batchGet(
  r: Reader,
  keys: ReadonlyArray<{ pk: string; sk: string }>,
  projection?: string,
  names?: Record<string, string>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Array<Record<string, unknown>> = keys.slice(i, i + 100).map((k) => ({ ...k }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0)
        await new Promise((done) => setTimeout(done, Math.min(1_000, 25 * 2 ** attempt)));
      r.requests += 1;
      const page = await r.db.send(
        new BatchGetCommand({
          RequestItems: {
            [r.table]: {
              Keys: pending,
              ...(projection ? { ProjectionExpression: projection } : {}),
              ...(names ? { ExpressionAttributeNames: names } : {}),
            },
          },
        }),
      );
      items.push(...(page.Responses?.[r.table] ?? []));
      pending = (page.UnprocessedKeys?.[r.table]?.Keys ?? []) as Array<Record<string, unknown>>;
    }
  }
  return items;
}

/** The score items of one interaction, by Query. */
async function queryScores(r: Reader, interactionId: string): Promise<Record<string, unknown>[]> {
  r.requests += 1;
  const found = await r.db.send(
    new QueryCommand({
      TableName: r.table,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :score)",
      ExpressionAttributeNames: { "#pk": KEYS.pk, "#sk": KEYS.sk },
      ExpressionAttributeValues: {
        ":pk": scoreKey(interactionId, "").pk,
        ":score": scoreKey(interactionId, "").sk,
      },
    }),
  );
  return found.Items ?? [];
}
