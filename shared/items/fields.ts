import { z } from "zod";

/** A `yyyy-mm-dd` day as stored (writers derive it, so the format check is enough). */
export const StoredDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A `yyyy-Www` ISO week as stored. */
export const StoredWeekSchema = z.string().regex(/^\d{4}-W\d{2}$/);

/** An id or name that is part of a key. */
export const NameSchema = z.string().min(1);

/** An ISO-8601 instant as stored. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** A counter a writer ADDs to: absent until the first ADD. */
export const CounterSchema = z.number().optional();
