import type { ItemKey } from "./table";

/** Partition holding a vendor's drift alerts. */
export const alertPartition = (vendor: string): string => `ALERT#${vendor}`;

/** A drift alert: one item per series and detection week. */
export const alertKey = (vendor: string, series: string, week: string): ItemKey => ({
  pk: alertPartition(vendor),
  sk: `${series}#${week}`,
});
