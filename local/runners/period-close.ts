import { queryPeriodPartition } from "../../core/db/query-partition";
import { type CloseWeekResult, closeWeek } from "../../core/period-close/close-week";
import { periodCloseDeps } from "../../functions/period-close/compose";
import { PERIOD, stratumDayFromItem } from "../../shared/items";
import type { SamplingPolicy } from "../../shared/policy";
import { isoWeek } from "../../shared/time";
import type { LocalClients } from "../clients";
import type { Endpoints } from "../endpoints";

/**
 * Closes every ISO week that has ended and has data, as the scheduled period-close function
 * does each Monday in AWS. Closing is idempotent, so running it on a timer is safe.
 */
export async function closeEndedWeeks(deps: {
  clients: LocalClients;
  endpoints: Endpoints;
  policy: SamplingPolicy;
  now?: () => Date;
}): Promise<CloseWeekResult[]> {
  const now = deps.now ?? (() => new Date());
  const current = isoWeek(now());
  const strata = (
    await queryPeriodPartition(deps.clients.doc, deps.endpoints.table, PERIOD.strata)
  ).map(stratumDayFromItem);
  const weeks = [...new Set(strata.map((s) => isoWeek(s.day)))].filter((w) => w < current).sort();
  const results: CloseWeekResult[] = [];
  for (const week of weeks) {
    results.push(
      await closeWeek(
        periodCloseDeps(
          deps.clients,
          {
            table: deps.endpoints.table,
            reviewQueueUrl: deps.endpoints.queues.review,
            policy: deps.policy,
          },
          now,
        ),
        week,
      ),
    );
  }
  return results;
}
