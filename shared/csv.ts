/**
 * One CSV cell (RFC 4180), defused against formula injection. Vendor and agent ids, notes
 * and comments come from uploaded data and from people, and must not run as formulas in a
 * manager's spreadsheet:
 *
 * - the cell is cut at every character some spreadsheet takes as a field or line
 *   separator: `,` and `;` (which one depends on the locale), tab, CR and LF. A spreadsheet
 *   that splits `ok;=HYPERLINK(…)` at the `;` sees a second cell starting with `=`;
 * - each piece that starts like a formula (`=`, `+`, `-`, `@`), after any leading spaces or
 *   double quotes, gets a `'` in front of it, unless the piece is a plain number such as
 *   `-0.25`;
 * - a cell that starts with a tab or a carriage return gets a leading `'` as well;
 * - a cell holding `"`, a separator or a line break is quoted, with `"` doubled.
 *
 * Numbers are written as they are, and null or undefined as an empty cell.
 *
 * The dashboard's bundle imports this module, so the page's CSV exports follow the same
 * rule as the CLI's; it must stay free of imports that would pull more into the bundle.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = String(value);
  // split() with a capture group keeps the separators at the odd indexes.
  let defused = text
    .split(/([,;\t\r\n])/)
    .map((piece, i) =>
      i % 2 === 0 &&
      /^[\s"]*[=+\-@]/.test(piece) &&
      !/^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i.test(piece)
        ? `'${piece}`
        : piece,
    )
    .join("");
  if (/^[\t\r]/.test(defused)) defused = `'${defused}`;
  return /[",;\t\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

/** RFC 4180 CSV of `rows` under a header of `columns`, every cell through {@link csvCell}. */
export function toCsv(
  rows: ReadonlyArray<Record<string, unknown>>,
  columns: readonly string[],
): string {
  const lines = [columns.map(csvCell), ...rows.map((r) => columns.map((c) => csvCell(r[c])))];
  return `${lines.map((cells) => cells.join(",")).join("\r\n")}\r\n`;
}
