/**
 * One codec per item type of the single table: key builders, index attributes, the zod
 * schema, `toItem`/`fromItem` and the update builders of the items that are updated.
 */
export * from "./alert";
export * from "./calibration";
export * from "./codec";
export * from "./day-counters";
export * from "./ledger";
export * from "./object-marker";
export * from "./quarantine";
export * from "./reviewer";
export * from "./rollups";
export * from "./roster";
export * from "./score";
export * from "./table";
export * from "./task";
export * from "./update";
