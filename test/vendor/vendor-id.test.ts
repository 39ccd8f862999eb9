import { describe, expect, it } from "vitest";
import { parseRosterCsv, vendorMoves } from "../../core/audit/roster-import";
import { AgentQuerySchema, TrendQuerySchema } from "../../core/review-api/routes/insights";
import { ConfigError } from "../../shared/errors";
import type { RosterEntry } from "../../shared/importers";
import { parsePolicy, rateFor } from "../../shared/policy";
import {
  CanonicalVendorIdSchema,
  canonicalVendor,
  MAX_VENDOR_ID,
  VendorIdSchema,
  vendorIdProblem,
} from "../../shared/vendor";

describe("canonicalVendor", () => {
  it.each([
    ["NorthWind-BPO", "northwind-bpo"],
    ["  northwind-bpo\t", "northwind-bpo"],
    ["NORTHWIND-BPO", "northwind-bpo"],
    ["northwind-bpo", "northwind-bpo"],
    ["Meridian.CX_2", "meridian.cx_2"],
  ])("turns %j into %j", (raw, canonical) => {
    expect(canonicalVendor(raw)).toBe(canonical);
  });

  it("folds only ASCII letters, so look-alikes stay refused rather than becoming a vendor", () => {
    // U+212A KELVIN SIGN lower-cases to a plain "k" with toLowerCase().
    expect("\u212Aelvin".toLowerCase()).toBe("kelvin");
    expect(canonicalVendor("\u212Aelvin")).toBe("\u212Aelvin");
    expect(vendorIdProblem(canonicalVendor("\u212Aelvin"))).toMatch(/lower-case letters/);
  });
});

describe("vendorIdProblem", () => {
  it.each(["northwind-bpo", "nw", "0cx", "meridian.cx", "lake_side", "a".repeat(MAX_VENDOR_ID)])(
    "accepts %j",
    (vendor) => {
      expect(vendorIdProblem(vendor)).toBeUndefined();
    },
  );

  it.each([
    ["", /empty/],
    ["a".repeat(MAX_VENDOR_ID + 1), /longer than 100/],
    ["NorthWind-BPO", /lower-case letters/],
    ["northwind bpo", /lower-case letters/],
    ["-northwind", /lower-case letters/],
    ["north/wind", /lower-case letters/],
    ["north#wind", /lower-case letters/],
    ["acme:eu", /lower-case letters/],
  ])("refuses %j", (vendor, problem) => {
    expect(vendorIdProblem(vendor)).toMatch(problem);
  });
});

describe("the vendor id schemas", () => {
  it("canonicalise where a vendor id enters", () => {
    expect(VendorIdSchema.parse(" NorthWind-BPO ")).toBe("northwind-bpo");
    const refused = VendorIdSchema.safeParse("Northwind BPO");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/lower-case letters, digits and \. _ -/);
    expect(VendorIdSchema.safeParse("   ").error?.issues[0]?.message).toMatch(/cannot be empty/);
  });

  it("refuse a second spelling where vendor ids are stored", () => {
    expect(CanonicalVendorIdSchema.safeParse("NorthWind-BPO").success).toBe(false);
    expect(CanonicalVendorIdSchema.parse("northwind-bpo")).toBe("northwind-bpo");
  });

  it("canonicalise the read API's and CLI's vendor parameters", () => {
    expect(TrendQuerySchema.parse({ vendor: "NorthWind-BPO", dimension: "empathy" }).vendor).toBe(
      "northwind-bpo",
    );
    expect(AgentQuerySchema.parse({ vendor: "LAKESIDE-CX", dimension: "empathy" }).vendor).toBe(
      "lakeside-cx",
    );
    expect(
      TrendQuerySchema.safeParse({ vendor: "Lakeside CX", dimension: "empathy" }).success,
    ).toBe(false);
  });
});

describe("the sampling policy's vendor overrides", () => {
  const base = { version: "t-1", defaultRate: 0.05 };

  it("are canonical, and match a vendor whatever its case", () => {
    const policy = parsePolicy({
      ...base,
      overrides: [{ vendor: "Meridian-CX", channel: "voice", rate: 0.5 }],
    });
    expect(policy.overrides[0]?.vendor).toBe("meridian-cx");
    expect(rateFor(policy, "meridian-cx", "voice")).toBe(0.5);
    expect(rateFor(policy, "MERIDIAN-CX", "voice")).toBe(0.5);
    expect(rateFor(policy, "meridian-cx", "chat")).toBe(0.05);
  });

  it("refuse two spellings of one vendor for one stratum", () => {
    expect(() =>
      parsePolicy({
        ...base,
        overrides: [
          { vendor: "meridian-cx", channel: "voice", rate: 0.5 },
          { vendor: "Meridian-CX", channel: "voice", rate: 0.1 },
        ],
      }),
    ).toThrow(
      /overrides\.1: overrides the same stratum as overrides\.0 \(vendor ids ignore case\)/,
    );
  });

  it("refuse a vendor that is no vendor id, naming the field", () => {
    const attempt = () =>
      parsePolicy({ ...base, overrides: [{ vendor: "Meridian CX", rate: 0.5 }] }, "p.json");
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^p\.json: invalid sampling policy: overrides\.0\.vendor: /);
  });
});

describe("roster files", () => {
  it("store canonical vendor ids", () => {
    const rows = parseRosterCsv(
      "agentId,vendor,site,team\nagt-1,NorthWind-BPO,Cebu,T1\nagt-2, lakeside-cx ,,\n",
      "r.csv",
    );
    expect(rows.map((r) => r.vendor)).toEqual(["northwind-bpo", "lakeside-cx"]);
  });

  it("refuse a row whose vendor is no vendor id, with its line", () => {
    expect(() => parseRosterCsv("agentId,vendor\nagt-1,northwind-bpo\nagt-2,Lake Side\n")).toThrow(
      /^roster: line 3: vendor: a vendor id: /,
    );
  });
});

describe("vendorMoves", () => {
  const current: ReadonlyMap<string, RosterEntry> = new Map([
    ["agt-1", { vendor: "NorthWind-BPO" }],
    ["agt-2", { vendor: "lakeside-cx" }],
  ]);

  it("lists agents the rows put under another vendor, in row order", () => {
    expect(
      vendorMoves(current, [
        { agentId: "agt-9", vendor: "lakeside-cx" },
        { agentId: "agt-2", vendor: "northwind-bpo" },
        { agentId: "agt-1", vendor: "lakeside-cx" },
      ]),
    ).toEqual([
      { agentId: "agt-2", from: "lakeside-cx", to: "northwind-bpo" },
      { agentId: "agt-1", from: "northwind-bpo", to: "lakeside-cx" },
    ]);
  });

  it("is empty when only the spelling changes or the agent is new", () => {
    expect(
      vendorMoves(current, [
        { agentId: "agt-1", vendor: "northwind-bpo" },
        { agentId: "agt-2", vendor: "lakeside-cx", site: "Manila" },
        { agentId: "agt-3", vendor: "meridian-cx" },
      ]),
    ).toEqual([]);
  });
});
