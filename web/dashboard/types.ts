import type { AgentRow, Estimate } from "../../shared/estimate";

export type { AgentRow };

/**
 * What the dashboard reads from the insight API. The server's own types are checked against
 * these in test/lib/web-contract.ts, so the two cannot drift apart unnoticed.
 */

/** The dashboard's configuration, written by the server. */
export interface DashboardConfig {
  signInUrl: string;
  signOutUrl: string;
  dimensions: readonly string[];
  channels: readonly string[];
  granularities: readonly Granularity[];
  minReviews: number;
  alphaReading: Readonly<Record<string, string>>;
}

export type Granularity = "day" | "week" | "month";

/** One period of a trend. */
export type TrendPoint = { period: string; population: number } & Estimate;

export interface TrendSeries {
  points: TrendPoint[];
}

/** A trend as the page keeps it: the slice it belongs to and its points. */
export interface ShownSeries {
  vendor: string;
  channel: string;
  dimension: string;
  granularity: Granularity;
  points: TrendPoint[];
}

export interface AlertEvent {
  action: string;
  state: string;
  by: string;
  vendor?: string;
  at: string;
  note?: string;
}

export interface Alert {
  alertId: string;
  vendor: string;
  channel: string;
  dimension: string;
  week: string;
  state: "open" | "acknowledged" | "resolved";
  baseline: { estimate: number } | null;
  current: { estimate: number } | null;
  pValue: number;
  detectedAt: string;
  weeksFlagged: number;
  lastFlaggedWeek: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  resolvedBy?: string;
  resolvedAt?: string;
  history?: readonly AlertEvent[];
}

export type ChannelRow = { channel: string; population: number } & Estimate;

export interface ChannelReport {
  overall: {
    channels: readonly ChannelRow[];
    largestGap: {
      high: string;
      low: string;
      estimate: number;
      ci95: readonly [number, number];
    } | null;
    agreement: { pValue: number } | null;
    withinAgent: {
      agents: number;
      channels: readonly string[];
      effects: ReadonlyArray<{
        channel: string;
        estimate: number;
        ci95: readonly [number, number];
      }>;
      test: { pValue: number } | null;
    } | null;
  };
}

export interface AgentsReport {
  agents: AgentRow[];
  pooling: { mean: number; tau: number } | null;
}

export interface DimensionAgreement {
  dimension: string;
  alpha: number | null;
  ci95: readonly [number, number] | null;
  verdict: string;
  units: number;
  pairable: number;
}

export interface CalibrationReport {
  from: string;
  to: string;
  overall: readonly DimensionAgreement[];
  reviewers: ReadonlyArray<{
    reviewer: string;
    reviews: number;
    skipRate: number | null;
    severity: Readonly<
      Record<
        string,
        {
          severity: number;
          ci95: readonly [number, number] | null;
          shared: number;
          label: string | null;
        } | null
      >
    >;
  }> | null;
  minimums: { alphaUnits: number; sharedUnits: number };
  interactions: number;
  anomalies: { sameReviewerTwice: number; invalidValues: number; missingLedger: number };
}
