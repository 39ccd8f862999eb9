import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { SpotcheckError } from "../../shared/errors";
import type { RosterEntry } from "../../shared/importers";
import { rosterToItem } from "../../shared/items";
import { IdSchema } from "../../shared/transcript";
import { canonicalVendor, VendorIdSchema } from "../../shared/vendor";
import { loadRoster } from "../sampler/roster";

/** A roster file is malformed; the message names the line and the column. */
export class RosterFormatError extends SpotcheckError {
  override name = "RosterFormatError";
}

const RowSchema = z.object({
  agentId: IdSchema,
  /** Canonicalised: `NorthWind-BPO` in the file is stored as `northwind-bpo`. */
  vendor: VendorIdSchema,
  site: z.string().max(200).optional(),
  team: z.string().max(200).optional(),
});
export type RosterRow = z.infer<typeof RowSchema>;

const COLUMNS = ["agentId", "vendor", "site", "team"] as const;

/**
 * Parses `agentId,vendor,site,team` CSV (header required, site and team may be empty).
 * Fields are plain: quoting is accepted around a whole field but commas inside are not.
 */
export function parseRosterCsv(text: string, source = "roster"): RosterRow[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map(unquote);
  const missing = COLUMNS.slice(0, 2).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new RosterFormatError(
      `${source}: line 1: the header needs ${COLUMNS.join(",")} (missing ${missing.join(", ")})`,
    );
  }
  const rows: RosterRow[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === "") return;
    const cells = line.split(",").map(unquote);
    const record: Record<string, string> = {};
    header.forEach((name, j) => {
      const value = cells[j] ?? "";
      if (value !== "") record[name] = value;
    });
    const parsed = RowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RosterFormatError(
        `${source}: line ${i + 2}: ${issue?.path.join(".") || "row"}: ${issue?.message ?? "invalid"}`,
      );
    }
    if (seen.has(parsed.data.agentId))
      throw new RosterFormatError(
        `${source}: line ${i + 2}: agent ${parsed.data.agentId} appears twice`,
      );
    seen.add(parsed.data.agentId);
    rows.push(parsed.data);
  });
  return rows;
}

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** An agent the import would put under another vendor than the roster has now. */
export interface VendorMove {
  agentId: string;
  from: string;
  to: string;
}

/**
 * The import would move agents between vendors and was not allowed to. Moving an agent moves
 * whose results their future transcripts count for, and which reviewers may see them, so it
 * takes an explicit `allowVendorChange`; nothing was written.
 */
export class VendorChangeError extends SpotcheckError {
  override name = "VendorChangeError";
  constructor(readonly moves: readonly VendorMove[]) {
    const shown = moves
      .slice(0, 5)
      .map((m) => `${m.agentId} ${m.from} -> ${m.to}`)
      .join(", ");
    const more = moves.length > 5 ? `, and ${moves.length - 5} more` : "";
    super(
      `${moves.length} agent${moves.length === 1 ? "" : "s"} would move to another vendor ` +
        `(${shown}${more}); nothing was imported: allow vendor changes to import them`,
    );
  }
}

/** Agents whose vendor the rows change, comparing canonical vendor ids, in row order. */
export function vendorMoves(
  current: ReadonlyMap<string, RosterEntry>,
  rows: readonly RosterRow[],
): VendorMove[] {
  return rows.flatMap((row) => {
    const entry = current.get(row.agentId);
    if (!entry) return [];
    const from = canonicalVendor(entry.vendor);
    return from === row.vendor ? [] : [{ agentId: row.agentId, from, to: row.vendor }];
  });
}

/** What an import wrote, and which agents it moved between vendors. */
export interface RosterImportResult {
  imported: number;
  moves: VendorMove[];
}

/**
 * Imports roster rows. Reads the current roster first: rows that would move an agent to
 * another vendor are refused as a whole (VendorChangeError, nothing written) unless
 * `allowVendorChange` is set; the moves are returned either way. Writes 25 rows per
 * BatchWriteItem, retrying unprocessed items.
 */
export async function importRoster(
  db: DynamoDBDocumentClient,
  table: string,
  rows: readonly RosterRow[],
  now: Date,
  options: { allowVendorChange?: boolean } = {},
): Promise<RosterImportResult> {
  const moves = vendorMoves(await loadRoster(db, table), rows);
  if (moves.length > 0 && !options.allowVendorChange) throw new VendorChangeError(moves);
  await writeRows(db, table, rows, now);
  return { imported: rows.length, moves };
}

async function writeRows(
  db: DynamoDBDocumentClient,
  table: string,
  rows: readonly RosterRow[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 25) {
    let requests = rows.slice(i, i + 25).map((row) => ({
      PutRequest: {
        Item: rosterToItem({ ...row, importedAt: now.toISOString() }),
      },
    }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8)
        throw new SpotcheckError("DynamoDB kept rejecting roster writes (throttled); try again");
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
