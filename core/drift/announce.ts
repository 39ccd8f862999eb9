import type { Alert } from "./alerts";

/** Source of Spotcheck's events on the bus. */
export const EVENT_SOURCE = "spotcheck";
/** Detail type of a drift alert event, for EventBridge rules to match. */
export const DRIFT_DETAIL_TYPE = "Quality drift detected";

/** The EventBridge entry (without the bus) announcing one new alert. */
export function driftEvent(alert: Alert): { Source: string; DetailType: string; Detail: string } {
  return { Source: EVENT_SOURCE, DetailType: DRIFT_DETAIL_TYPE, Detail: JSON.stringify(alert) };
}

/** One line for a log or a terminal. */
export function describeAlert(alert: Alert): string {
  const change =
    alert.current && alert.baseline
      ? `${alert.baseline.estimate.toFixed(2)} → ${alert.current.estimate.toFixed(2)}`
      : "declining";
  return `drift: ${alert.vendor} ${alert.channel} ${alert.dimension} ${change} in ${alert.week} (p=${alert.pValue.toPrecision(2)})`;
}
