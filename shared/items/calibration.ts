import type { ItemKey } from "./table";

/** Marks a calibration copy's score, so agreement statistics find a week's copies in one query. */
export const calibrationKey = (week: string, interactionId: string, taskId: string): ItemKey => ({
  pk: `CAL#${week}`,
  sk: `${interactionId}#${taskId}`,
});
