import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { periodsBetween } from "../../shared/estimate";
import { DIMENSIONS, type Dimension } from "../../shared/rubric";
import {
  krippendorffAlphaOrdinal,
  type ReviewerSeverity,
  reviewerSeverity,
} from "../../shared/stats/agreement";
import { calibrationKey, KEYS, PERIOD, scoreKey } from "../../shared/table-keys";
import { queryPeriodPrefix, queryRange, type Reader } from "./read";

/** Agreement of one dimension over one set of calibration units. */
export interface DimensionAgreement {
  dimension: Dimension;
  /** Krippendorff's alpha, ordinal metric; null when it is undefined (no pairable units). */
  alpha: number | null;
  /** Interactions scored by at least two reviewers on this dimension. */
  units: number;
  pairable: number;
}

/** A reviewer's calibration profile: severity per dimension and how often they skip. */
export interface ReviewerProfile {
  reviewer: string;
  reviews: number;
  skips: number;
  /** skips / (reviews + skips); null before any activity. */
  skipRate: number | null;
  severity: Record<Dimension, { shared: number; severity: number; se: number | null } | null>;
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
  interactions: number;
  requests: number;
}

interface Unit {
  week: string;
  scores: Array<{ reviewer: string; values: Partial<Record<Dimension, number>> }>;
}

/**
 * Agreement statistics from the calibration copies: every interaction with a calibration
 * copy is a unit, its primary and copy scores the coders' values (N/A is missing).
 * Krippendorff's alpha (ordinal) per dimension, per week and overall; each reviewer's
 * severity (mean deviation from the others on shared interactions) and skip rate.
 */
export async function calibrationReport(
  r: Reader,
  q: { from: string; to: string; vendor?: string; includeReviewers: boolean },
): Promise<CalibrationReport> {
  const before = r.requests;
  const weeks = periodsBetween(q.from, q.to, "week");
  const units: Unit[] = [];
  for (const week of weeks) {
    const partition = calibrationKey(week, "", "").pk;
    const marks = await queryRange(r, partition);
    const interactions = new Map<string, string>();
    for (const mark of marks) {
      if (q.vendor && mark.vendor !== q.vendor) continue;
      interactions.set(String(mark.interactionId), week);
    }
    for (const interactionId of interactions.keys()) {
      units.push({ week, scores: await scoresOf(r, interactionId) });
    }
  }

  const agreement = (subset: Unit[]): DimensionAgreement[] =>
    DIMENSIONS.map((dimension) => {
      const result = krippendorffAlphaOrdinal(
        subset.map((u) => u.scores.map((s) => s.values[dimension] ?? null)),
      );
      return { dimension, alpha: result.alpha, units: result.units, pairable: result.pairable };
    });

  let reviewers: ReviewerProfile[] | null = null;
  if (q.includeReviewers) {
    const counters = await queryPeriodPrefix(r, PERIOD.reviewers, "");
    const severities = Object.fromEntries(
      DIMENSIONS.map((dimension) => [
        dimension,
        new Map(
          reviewerSeverity(
            units.map((u) =>
              u.scores.flatMap((s) => {
                const value = s.values[dimension];
                return value === undefined ? [] : [{ reviewer: s.reviewer, value }];
              }),
            ),
          ).map((row) => [row.reviewer, row]),
        ),
      ]),
    ) as Record<Dimension, Map<string, ReviewerSeverity>>;
    reviewers = counters
      .map((c) => {
        const reviewer = String(c.reviewer);
        const reviews = Number(c.reviews ?? 0);
        const skips = Number(c.skips ?? 0);
        const severity = Object.fromEntries(
          DIMENSIONS.map((d) => {
            const row = severities[d].get(reviewer);
            return [d, row ? { shared: row.shared, severity: row.severity, se: row.se } : null];
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
    interactions: units.length,
    requests: r.requests - before,
  };
}

async function scoresOf(r: Reader, interactionId: string): Promise<Unit["scores"]> {
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
  return (found.Items ?? []).map((item) => {
    const scores = (item.scores ?? {}) as Record<string, { value?: number }>;
    const values: Partial<Record<Dimension, number>> = {};
    for (const d of DIMENSIONS) {
      const v = scores[d]?.value;
      if (typeof v === "number") values[d] = v;
    }
    return { reviewer: String(item.reviewer), values };
  });
}
