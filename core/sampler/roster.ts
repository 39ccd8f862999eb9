import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { RosterEntry } from "../../shared/importers";
import { PERIOD, rosterFromItem } from "../../shared/items";
import { queryPeriodPartition } from "../db/query-partition";

/** The roster (agent → vendor, site, team), loaded in one query and kept for `maxAgeMs`. */
export interface RosterCache {
  get(): Promise<ReadonlyMap<string, RosterEntry>>;
  /** Reloads now, unless it was loaded less than `minIntervalMs` ago. */
  refresh(): Promise<void>;
}

export function createRosterCache(
  db: DynamoDBDocumentClient,
  table: string,
  options: { maxAgeMs?: number; minIntervalMs?: number; now?: () => number } = {},
): RosterCache {
  const maxAge = options.maxAgeMs ?? 300_000;
  const minInterval = options.minIntervalMs ?? 5_000;
  const now = options.now ?? Date.now;
  let loaded: { at: number; roster: Promise<ReadonlyMap<string, RosterEntry>> } | undefined;

  const load = () => {
    const roster = loadRoster(db, table);
    loaded = { at: now(), roster };
    // A failed load must not be cached.
    roster.catch(() => {
      if (loaded?.roster === roster) loaded = undefined;
    });
    return roster;
  };
  return {
    get: () => (loaded && now() - loaded.at < maxAge ? loaded.roster : load()),
    async refresh() {
      if (loaded && now() - loaded.at < minInterval) return;
      await load();
    },
  };
}

/** The whole roster as stored, in one query of its partition. */
export async function loadRoster(
  db: DynamoDBDocumentClient,
  table: string,
): Promise<Map<string, RosterEntry>> {
  const roster = new Map<string, RosterEntry>();
  for (const item of await queryPeriodPartition(db, table, PERIOD.roster)) {
    const { agentId, vendor, site, team } = rosterFromItem(item);
    roster.set(agentId, {
      vendor,
      ...(site !== undefined ? { site } : {}),
      ...(team !== undefined ? { team } : {}),
    });
  }
  return roster;
}
