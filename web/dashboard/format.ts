/** Number formatting the dashboard shares across its panels. */

/** Two decimals (or `digits`), with a real minus sign; a dash for anything not a number. */
export function fmt(v: number | null | undefined, digits = 2): string {
  return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits).replace("-", "−") : "—";
}

/** `low to high`, or a dash. */
export function fmtCi(ci: readonly [number, number] | null | undefined): string {
  return ci ? `${fmt(ci[0])} to ${fmt(ci[1])}` : "—";
}

/** A p-value as it is read after `p`: `< 0.001`, `= 0.004`, `= 0.21`. */
export function fmtP(p: number | null | undefined): string {
  if (typeof p !== "number") return "—";
  return p < 0.001 ? "< 0.001" : p < 0.01 ? `= ${p.toFixed(3)}` : `= ${p.toFixed(2)}`;
}

/** Signed by the rounded value, so a tiny negative never reads "−0.00". */
export function signed(v: number): string {
  const r = Number(v.toFixed(2));
  return (r > 0 ? "+" : r < 0 ? "−" : "") + Math.abs(r).toFixed(2);
}

/** `1 review`, `3 reviews`. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a row or point without an estimate says instead of a number. */
export function insufficientText(reviewed: number): string {
  return `insufficient data (${plural(reviewed, "review", "reviews")})`;
}

/** A query string of the given parameters, leaving out the empty ones. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  return q.toString();
}
