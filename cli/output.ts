import { SpotcheckError } from "../shared/errors";

/** An error the CLI reports as one line on stderr, exiting with `exitCode`. */
export class CliError extends SpotcheckError {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Report formats every report command accepts. */
export const FORMATS = ["table", "json"] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new CliError(`--format must be one of ${FORMATS.join(", ")}, got '${value}'`);
}

/** Writes JSON to stdout: the only thing a `--format json` command prints there. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes rows as an aligned plain-text table; numbers are right-aligned. */
export function printTable(
  rows: ReadonlyArray<Record<string, string | number>>,
  columns?: string[],
): void {
  const first = rows[0];
  const headers = columns ?? (first ? Object.keys(first) : []);
  if (headers.length === 0) {
    process.stdout.write("(nothing to show)\n");
    return;
  }
  const cells = rows.map((row) => headers.map((h) => String(row[h] ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const numeric = headers.map((h) => rows.every((row) => typeof row[h] === "number"));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  process.stdout.write(
    `${[line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n")}\n`,
  );
}

/** One line for stderr, whatever was thrown. */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]?.slice(0, 500) ?? "unknown error";
}
