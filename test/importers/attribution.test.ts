import { describe, expect, it } from "vitest";
import {
  matchKeyTemplate,
  type NormalizeContext,
  normalize,
  type RosterEntry,
} from "../../shared/importers";
import { FIXTURES, fixtureJson, fixtureText, NORTHWIND, normalizeError } from "./helpers";

describe("matchKeyTemplate", () => {
  it.each([
    [
      "{vendor}/{agent}/{any}",
      "northwind-bpo/agt-0042/2026/11/03/call.json",
      { vendor: "northwind-bpo", agent: "agt-0042" },
    ],
    [
      "{vendor}/{agent}/{any}",
      "northwind-bpo/agt-0042/call.json",
      { vendor: "northwind-bpo", agent: "agt-0042" },
    ],
    [
      "exports/{vendor}/{channel}/{agent}/{any}",
      "exports/lakeside-cx/chat/lcx-2207/2026-11-06/0001.json",
      { vendor: "lakeside-cx", channel: "chat", agent: "lcx-2207" },
    ],
    ["{vendor}/{any}/{agent}.json", "nw/2026-11/agt-7.json", { vendor: "nw", agent: "agt-7" }],
    [
      "{vendor}/{date}/{agent}/{any}",
      "nw/2026-11-03/agt-7/x.json",
      { vendor: "nw", agent: "agt-7" },
    ],
    ["{vendor}/{agent}/{any}", "./nw/agt-7/x.json", { vendor: "nw", agent: "agt-7" }],
  ])("%s matches %s", (template, key, expected) => {
    expect(matchKeyTemplate(template, key)).toEqual(expected);
  });

  it.each([
    // {any} at the end needs at least one segment.
    ["{vendor}/{agent}/{any}", "nw/agt-7"],
    // {any} in the middle is exactly one segment.
    ["{vendor}/{any}/{agent}.json", "nw/2026/11/agt-7.json"],
    ["exports/{vendor}/{channel}/{agent}/{any}", "imports/nw/chat/agt-7/x.json"],
    // Literal dots are literal, not regex wildcards.
    ["v1.0/{vendor}/{agent}/{any}", "v1x0/nw/agt-7/x.json"],
    ["{vendor}/{agent}/{any}", "nw//x.json"],
  ])("%s does not match %s", (template, key) => {
    expect(matchKeyTemplate(template, key)).toBeUndefined();
  });
});

describe("attribution precedence", () => {
  const key = "key-vendor/key-agent/2026/11/03/chat.json";
  // Only key-agent is known: a roster entry that disagrees with another source is a
  // vendor mismatch (below), not a lower-precedence fallback.
  const roster: ReadonlyMap<string, RosterEntry> = new Map([
    ["key-agent", { vendor: "roster-vendor-k", site: "manila", team: "t2" }],
  ]);
  const everything: NormalizeContext = {
    source: key,
    overrides: { vendor: "override-vendor", agent: "override-agent" },
    metadata: { vendor: "meta-vendor", "agent-id": "meta-agent" },
    keyTemplate: "{vendor}/{agent}/{any}",
    roster,
  };
  const canonical = (attribution: { vendor?: string; agent?: string }) => {
    const { vendor: _v, agent: _a, ...doc } = fixtureJson(FIXTURES.canonical);
    return JSON.stringify({ ...doc, ...attribution });
  };
  const withDocument = canonical({ vendor: "doc-vendor", agent: "doc-agent" });
  const attributed = (doc: string, ctx: NormalizeContext) => {
    const t = normalize(doc, ctx);
    return [t.vendor, t.agent];
  };

  it("prefers overrides, then the document, metadata, key template and roster", () => {
    expect(attributed(withDocument, everything)).toEqual(["override-vendor", "override-agent"]);
    const noOverrides = { ...everything, overrides: undefined };
    expect(attributed(withDocument, noOverrides)).toEqual(["doc-vendor", "doc-agent"]);
    const noDocument = canonical({});
    expect(attributed(noDocument, noOverrides)).toEqual(["meta-vendor", "meta-agent"]);
    const noMetadata = { ...noOverrides, metadata: undefined, roster: undefined };
    expect(attributed(noDocument, noMetadata)).toEqual(["key-vendor", "key-agent"]);
    const keyAgentOnly = { ...noMetadata, roster, keyTemplate: "{any}/{agent}/{any}" };
    expect(attributed(noDocument, keyAgentOnly)).toEqual(["roster-vendor-k", "key-agent"]);
  });

  it("resolves vendor and agent independently", () => {
    expect(
      attributed(canonical({ agent: "doc-agent" }), {
        ...everything,
        overrides: { vendor: "override-vendor" },
      }),
    ).toEqual(["override-vendor", "doc-agent"]);
    expect(
      attributed(canonical({ vendor: "doc-vendor" }), {
        source: key,
        metadata: { "agent-id": "meta-agent" },
        roster,
      }),
    ).toEqual(["doc-vendor", "meta-agent"]);
  });

  it("fills the vendor from the roster entry of the resolved agent", () => {
    const t = normalize(fixtureText(FIXTURES.connectChat), {
      source: "incoming/chat.json",
      metadata: { "agent-id": "agt-0042" },
      roster: new Map([["agt-0042", { vendor: "northwind-bpo", site: "cebu" }]]),
    });
    expect([t.vendor, t.agent]).toEqual(["northwind-bpo", "agt-0042"]);
  });

  it("reads metadata names case-insensitively and ignores blank values", () => {
    const t = normalize(fixtureText(FIXTURES.connectChat), {
      source: "northwind-bpo/agt-0042/chat.json",
      metadata: { Vendor: "  ", "Agent-Id": "agt-0099" },
      keyTemplate: "{vendor}/{agent}/{any}",
    });
    expect([t.vendor, t.agent]).toEqual(["northwind-bpo", "agt-0099"]);
  });

  it("takes the Zendesk vendor tag and assignee as the document's attribution", () => {
    const t = normalize(JSON.stringify(fixtureJson(FIXTURES.zendesk)), {
      source: "zd/48213.json",
      metadata: { vendor: "meta-vendor", "agent-id": "meta-agent" },
    });
    expect([t.vendor, t.agent]).toEqual(["northwind-bpo", "zd-381"]);
  });
});

describe("unattributed documents", () => {
  const chat = fixtureText(FIXTURES.connectChat);

  it("names the vendor when nothing supplies it", () => {
    const error = normalizeError(() => normalize(chat, { source: "in/chat.json" }));
    expect(error.reason).toBe("unattributed");
    expect(error.field).toBe("vendor");
    expect(error.format).toBe("connect-chat");
    expect(error.message).toMatch(/^in\/chat\.json: connect-chat: vendor: no vendor/);
    expect(error.message).toContain(
      "S3 metadata `vendor`/`agent-id`, a key template or the roster",
    );
    expect(error.message).toContain("key template (none set)");
  });

  it("names the agent when only the vendor is known", () => {
    const error = normalizeError(() =>
      normalize(chat, { source: "in/chat.json", metadata: { vendor: "northwind-bpo" } }),
    );
    expect(error.reason).toBe("unattributed");
    expect(error.field).toBe("agent");
    expect(error.detail).toMatch(/^no agent; looked in overrides, document, S3 metadata/);
  });

  it("says when the key template did not match and the roster lacks the agent", () => {
    const error = normalizeError(() =>
      normalize(chat, {
        source: "flat.json",
        metadata: { "agent-id": "agt-0042" },
        keyTemplate: "{vendor}/{agent}/{any}",
        roster: new Map([["agt-0001", { vendor: "northwind-bpo" }]]),
      }),
    );
    expect(error.field).toBe("vendor");
    expect(error.detail).toContain("key template (no match)");
    expect(error.detail).toContain("roster (agent not in it)");
  });

  it("reports a malformed attribution value with where it came from", () => {
    const error = normalizeError(() =>
      normalize(chat, {
        source: "in/chat.json",
        metadata: { ...NORTHWIND, vendor: "Northwind BPO" },
      }),
    );
    expect(error.reason).toBe("invalid");
    expect(error.field).toBe("vendor");
    expect(error.detail).toContain("(value from metadata)");
  });
});

describe("vendor ids from every source are canonical", () => {
  const chat = fixtureText(FIXTURES.connectChat);
  const vendorOf = (ctx: Omit<NormalizeContext, "source"> & { source?: string }) =>
    normalize(chat, { source: "in/chat.json", ...ctx }).vendor;

  it.each<[string, Omit<NormalizeContext, "source"> & { source?: string }]>([
    ["overrides", { overrides: { vendor: " NorthWind-BPO ", agent: "agt-0042" } }],
    ["S3 metadata", { metadata: { vendor: "NorthWind-BPO", "agent-id": "agt-0042" } }],
    [
      "the key template",
      { source: "NorthWind-BPO/agt-0042/chat.json", keyTemplate: "{vendor}/{agent}/{any}" },
    ],
    [
      "a roster entry stored before ids were canonical",
      {
        metadata: { "agent-id": "agt-0042" },
        roster: new Map([["agt-0042", { vendor: "NORTHWIND-BPO" }]]),
      },
    ],
  ])("lower-cases and trims the vendor from %s", (_name, ctx) => {
    expect(vendorOf(ctx)).toBe("northwind-bpo");
  });

  it("lower-cases the vendor a canonical document or a Zendesk tag names", () => {
    const { vendor: _v, ...doc } = fixtureJson(FIXTURES.canonical);
    const canonical = normalize(JSON.stringify({ ...doc, vendor: "Lakeside-CX" }), {
      source: "c.json",
    });
    expect(canonical.vendor).toBe("lakeside-cx");

    const zendesk = fixtureJson(FIXTURES.zendesk) as { ticket: { tags: string[] } };
    zendesk.ticket.tags = zendesk.ticket.tags.map((tag) =>
      tag.startsWith("vendor:") ? "vendor:NorthWind-BPO" : tag,
    );
    expect(normalize(JSON.stringify(zendesk), { source: "zd.json" }).vendor).toBe("northwind-bpo");
  });

  it("leaves agent ids as they are", () => {
    const t = normalize(chat, {
      source: "in/chat.json",
      metadata: { vendor: "NorthWind-BPO", "agent-id": "AGT-0042" },
    });
    expect([t.vendor, t.agent]).toEqual(["northwind-bpo", "AGT-0042"]);
  });
});

describe("a vendor the roster contradicts", () => {
  const chat = fixtureText(FIXTURES.connectChat);
  const roster: ReadonlyMap<string, RosterEntry> = new Map([
    ["agt-0042", { vendor: "northwind-bpo" }],
  ]);

  it.each<[string, NormalizeContext, string]>([
    [
      "S3 metadata",
      {
        source: "in/chat.json",
        metadata: { vendor: "lakeside-cx", "agent-id": "agt-0042" },
        roster,
      },
      "metadata",
    ],
    [
      "an override",
      { source: "in/chat.json", overrides: { vendor: "Lakeside-CX", agent: "agt-0042" }, roster },
      "overrides",
    ],
    [
      "the key template",
      {
        source: "lakeside-cx/agt-0042/chat.json",
        keyTemplate: "{vendor}/{agent}/{any}",
        roster,
      },
      "key template",
    ],
  ])("is refused as vendor-mismatch when it comes from %s", (_name, ctx, from) => {
    const error = normalizeError(() => normalize(chat, ctx));
    expect(error.reason).toBe("vendor-mismatch");
    expect(error.field).toBe("vendor");
    expect(error.format).toBe("connect-chat");
    expect(error.detail).toContain(
      `vendor "lakeside-cx" (from ${from}) but the roster has agent "agt-0042" under "northwind-bpo"`,
    );
  });

  it("is no mismatch when only the case differs", () => {
    const t = normalize(chat, {
      source: "in/chat.json",
      metadata: { vendor: "NorthWind-BPO", "agent-id": "agt-0042" },
      roster: new Map([["agt-0042", { vendor: "Northwind-BPO" }]]),
    });
    expect(t.vendor).toBe("northwind-bpo");
  });

  it("is no mismatch for an agent the roster does not know", () => {
    const t = normalize(chat, {
      source: "in/chat.json",
      metadata: { vendor: "lakeside-cx", "agent-id": "lcx-2207" },
      roster,
    });
    expect([t.vendor, t.agent]).toEqual(["lakeside-cx", "lcx-2207"]);
  });

  it("reports a malformed vendor as invalid before comparing it with the roster", () => {
    const error = normalizeError(() =>
      normalize(chat, {
        source: "in/chat.json",
        metadata: { vendor: "Lakeside CX", "agent-id": "agt-0042" },
        roster,
      }),
    );
    expect(error.reason).toBe("invalid");
    expect(error.field).toBe("vendor");
  });
});
