import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../../shared/csv";

/** RFC 4180 fields of one CSV text, as a careful spreadsheet reads them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  return rows;
}

const PLAIN_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i;

/**
 * The pieces a careless reader could take as cells: the CSV line cut at every `,`, `;`, tab
 * and line break, quotes and all, as a spreadsheet set to another separator may do.
 */
const carelessCells = (text: string): string[] => text.split(/[,;\t\r\n]/);

/** Whether a spreadsheet could run `cell` as a formula. */
const formulaLike = (cell: string): boolean =>
  /^[\s"]*[=+\-@]/.test(cell) && !PLAIN_NUMBER.test(cell.replaceAll('"', ""));

describe("CSV cells", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+1+1", "'+1+1"],
    ["-1+1", "'-1+1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["  =1+1", "'  =1+1"],
    ["\t=1+1", `"'\t'=1+1"`],
    ["\rfoo", `"'\rfoo"`],
    ['ok;=HYPERLINK("http://evil.example")', `"ok;'=HYPERLINK(""http://evil.example"")"`],
    ["ok, =1+1", `"ok,' =1+1"`],
    ["ok\n@cmd", `"ok\n'@cmd"`],
    ['note;"=1+1"', `"note;'""=1+1"""`],
    ["-0.25", "-0.25"],
    ["+3", "+3"],
    ["1e-3", "1e-3"],
    ["north-east", "north-east"],
    ["a;b", '"a;b"'],
    ["plain", "plain"],
  ])("writes %j as %j", (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it("keeps numbers as numbers and leaves empty values empty", () => {
    expect([-0.25, 3, 0, Number.NaN, null, undefined].map(csvCell)).toEqual([
      "-0.25",
      "3",
      "0",
      "",
      "",
      "",
    ]);
  });

  it("never leaves a piece that could run as a formula, whichever separator a reader uses", () => {
    const risky = fc.string({
      unit: fc.constantFrom(
        "=",
        "+",
        "-",
        "@",
        ",",
        ";",
        "\t",
        "\r",
        "\n",
        '"',
        " ",
        "a",
        "1",
        ".",
      ),
      maxLength: 24,
    });
    fc.assert(
      fc.property(risky, risky, (a, b) => {
        const csv = toCsv([{ a, b }], ["a", "b"]);
        // A careful reader gets both cells back, with nothing lost but the added quotes.
        const [header, row, ...rest] = parseCsv(csv);
        expect(header).toEqual(["a", "b"]);
        expect(rest).toEqual([]);
        expect(row?.map((cell) => cell.replaceAll("'", ""))).toEqual(
          [a, b].map((cell) => cell.replaceAll("'", "")),
        );
        // A careless one finds no formula anywhere in the data line.
        const line = csv.slice(csv.indexOf("\r\n") + 2);
        expect(carelessCells(line).filter(formulaLike)).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });
});
