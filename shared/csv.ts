/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`,
 * tab or carriage return) are prefixed with `'`: vendor and agent ids come from uploaded
 * data and must not become formulas in a manager's spreadsheet. Numbers are written as-is.
 */
export function toCsv(
  rows: ReadonlyArray<Record<string, unknown>>,
  columns: readonly string[],
): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[columns.map(cell).join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\r\n")}\r\n`;
}
