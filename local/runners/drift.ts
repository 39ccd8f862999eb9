import { queryPeriodPartition } from "../../core/db/query-partition";
import type { Alert } from "../../core/drift/alerts";
import { type DriftRunResult, runDrift } from "../../core/drift/run";
import { driftDeps } from "../../functions/drift/compose";
import { PERIOD, stratumDayFromItem } from "../../shared/items";
import { isoWeek } from "../../shared/time";
import type { LocalClients } from "../clients";
import type { Endpoints } from "../endpoints";

/**
 * Runs the drift job for every ended ISO week that has data, oldest first, as if the weekly
 * schedule had run all along: an alert then carries the week the decline was first detected.
 * A series-week is tested only once its week is closed and 90% of its sample is scored, so
 * a week whose reviews are still coming in is `incomplete` now and tested by a later call.
 * The stratum rollups are read once for all the weeks.
 * Runs are idempotent, so calling this on a timer only adds what is new. New alerts go to
 * `announce` (the terminal locally; EventBridge in AWS).
 */
export async function evaluateEndedWeeks(deps: {
  clients: LocalClients;
  endpoints: Endpoints;
  announce?: (alert: Alert) => void;
  now?: () => Date;
}): Promise<DriftRunResult[]> {
  const now = deps.now ?? (() => new Date());
  const current = isoWeek(now());
  const strata = (
    await queryPeriodPartition(deps.clients.doc, deps.endpoints.table, PERIOD.strata)
  ).map(stratumDayFromItem);
  const weeks = [...new Set(strata.map((s) => isoWeek(`${s.day}T12:00:00Z`)))]
    .filter((w) => w < current)
    .sort();
  const results: DriftRunResult[] = [];
  for (const week of weeks) {
    results.push(
      await runDrift(
        driftDeps(
          deps.clients,
          { table: deps.endpoints.table },
          async (alerts) => {
            for (const alert of alerts) deps.announce?.(alert);
          },
          now,
        ),
        week,
        strata,
      ),
    );
  }
  return results;
}
