import { z } from "zod";
import { parseItem } from "./codec";
import { NameSchema } from "./fields";
import type { ItemKey } from "./table";

/** Marks a calibration copy's score, so agreement statistics find a week's copies in one query. */
export const calibrationKey = (week: string, interactionId: string, taskId: string): ItemKey => ({
  pk: `CAL#${week}`,
  sk: `${interactionId}#${taskId}`,
});

/** A calibration mark: which interaction, and whose (agreement reports filter by vendor). */
export const CalibrationMarkSchema = z.object({ interactionId: NameSchema, vendor: NameSchema });
export type CalibrationMark = z.infer<typeof CalibrationMarkSchema>;

/** The stored item of the mark of a calibration copy's score. */
export const calibrationMarkToItem = (
  week: string,
  taskId: string,
  mark: CalibrationMark,
): Record<string, unknown> => ({
  ...calibrationKey(week, mark.interactionId, taskId),
  type: "calibration",
  ...mark,
});

/**
 * A stored calibration mark.
 *
 * @throws MalformedItemError when it does not match {@link CalibrationMarkSchema}.
 */
export const calibrationMarkFromItem = (item: Record<string, unknown>): CalibrationMark =>
  parseItem("calibration mark", CalibrationMarkSchema, item);
