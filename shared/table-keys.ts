/**
 * The table's key names and every item type's key builders, re-exported from their codecs
 * in shared/items/ (see the table there) for callers that need only keys.
 */
export { alertKey, alertPartition } from "./items/alert";
export { calibrationKey } from "./items/calibration";
export { dayCountersKey } from "./items/day-counters";
export { agentWeekPartition, ledgerKey } from "./items/ledger";
export { objectMarkerKey } from "./items/object-marker";
export { quarantineKey } from "./items/quarantine";
export { CLAIM_SLOT_PREFIX, claimSlotKey, holdKey, reviewerKey } from "./items/reviewer";
export {
  agentWeekChannelKey,
  agentWeekChannelPartition,
  agentWeekKey,
  stratumDayKey,
} from "./items/rollups";
export { rosterKey } from "./items/roster";
export { scoreKey } from "./items/score";
export { type ItemKey, KEYS, objectName, PERIOD } from "./items/table";
export { taskKey } from "./items/task";
