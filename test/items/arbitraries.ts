import fc from "fast-check";
import { CHANNELS, SOURCE_FORMATS } from "../../shared/transcript";

/** Ids as the importers let them into keys. */
export const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,20}$/);

export const day = fc
  .date({
    min: new Date("2020-01-01T00:00:00Z"),
    max: new Date("2030-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

export const week = fc
  .tuple(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 1, max: 52 }))
  .map(([y, w]) => `${y}-W${String(w).padStart(2, "0")}`);

export const instant = fc
  .date({
    min: new Date("2020-01-01T00:00:00Z"),
    max: new Date("2030-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());

export const channel = fc.constantFrom(...CHANNELS);
export const format = fc.constantFrom(...SOURCE_FORMATS);
export const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
export const probability = fc.double({ min: 0.001, max: 1, noNaN: true });
