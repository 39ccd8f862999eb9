import { canonicalVendor } from "../vendor";

/** Who handled a contact: the outsourcing vendor and the agent id. */
export interface Attribution {
  vendor?: string;
  agent?: string;
}

/** What the roster knows about an agent. */
export interface RosterEntry {
  vendor: string;
  site?: string;
  team?: string;
}

/** Where an attribution value came from, in precedence order. */
export type AttributionOrigin = "overrides" | "document" | "metadata" | "key template" | "roster";

/** A resolved attribution value and where it came from (for error messages). */
export interface Resolved {
  value: string;
  from: AttributionOrigin;
}

/** The places attribution can come from besides the document. */
export interface AttributionSources {
  /** The S3 key or file path matched against `keyTemplate`. */
  source: string;
  metadata?: Record<string, string>;
  keyTemplate?: string;
  roster?: ReadonlyMap<string, RosterEntry>;
  overrides?: Attribution;
}

/** Fields a key template can capture; any other `{name}` matches one segment and is discarded. */
export type KeyField = "vendor" | "agent" | "channel";
const KEY_FIELDS: readonly string[] = ["vendor", "agent", "channel"];

function compile(template: string): { regex: RegExp; names: (KeyField | undefined)[] } {
  const names: (KeyField | undefined)[] = [];
  let pattern = "";
  let last = 0;
  for (const match of template.matchAll(/\{([A-Za-z_-]+)\}/g)) {
    const name = match[1] ?? "";
    const at = match.index;
    pattern += escapeRegex(template.slice(last, at));
    last = at + match[0].length;
    if (name === "any") {
      // At the end {any} swallows the rest of the key (one or more segments); elsewhere one segment.
      pattern += last === template.length ? "[^/]+(?:/[^/]+)*" : "[^/]+";
      continue;
    }
    pattern += "([^/]+)";
    names.push(KEY_FIELDS.includes(name) ? (name as KeyField) : undefined);
  }
  pattern += escapeRegex(template.slice(last));
  return { regex: new RegExp(`^${pattern}$`), names };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Matches an S3 key or relative path against a template such as `{vendor}/{agent}/{any}` or
 * `exports/{vendor}/{channel}/{agent}/{any}`. Placeholders match one path segment; `{any}`
 * matches one or more trailing segments at the end, exactly one elsewhere. Returns the
 * captured fields, or undefined when the key does not fit the template.
 */
export function matchKeyTemplate(
  template: string,
  key: string,
): Partial<Record<KeyField, string>> | undefined {
  const { regex, names } = compile(template);
  const match = regex.exec(key.replace(/^\.\//, ""));
  if (!match) return undefined;
  const fields: Partial<Record<KeyField, string>> = {};
  names.forEach((name, i) => {
    const value = match[i + 1];
    // First occurrence wins when a template repeats a placeholder.
    if (name !== undefined && value !== undefined && fields[name] === undefined) {
      fields[name] = value;
    }
  });
  return fields;
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Metadata lookup tolerant of header-style capitalisation (`Agent-Id`). */
function metadataValue(
  metadata: Record<string, string> | undefined,
  name: string,
): string | undefined {
  if (!metadata) return undefined;
  for (const [key, value] of Object.entries(metadata)) {
    if (key.toLowerCase() === name && typeof value === "string") return present(value);
  }
  return undefined;
}

function first(
  candidates: readonly [AttributionOrigin, string | undefined][],
): Resolved | undefined {
  for (const [from, value] of candidates) {
    const v = present(value);
    if (v !== undefined) return { value: v, from };
  }
  return undefined;
}

/**
 * Resolves vendor and agent independently, in precedence order: overrides, the document,
 * S3 metadata (`vendor`, `agent-id`), the key template, and for the vendor only the roster
 * entry of the resolved agent. The vendor comes back canonical (shared/vendor.ts), whichever
 * source gave it: `NorthWind-BPO` in metadata and `northwind-bpo` in the roster are one vendor.
 */
export function resolveAttribution(
  fromDocument: Attribution,
  sources: AttributionSources,
): { vendor?: Resolved; agent?: Resolved } {
  const fromKey = sources.keyTemplate
    ? matchKeyTemplate(sources.keyTemplate, sources.source)
    : undefined;
  const agent = first([
    ["overrides", sources.overrides?.agent],
    ["document", fromDocument.agent],
    ["metadata", metadataValue(sources.metadata, "agent-id")],
    ["key template", fromKey?.agent],
  ]);
  const vendor = first([
    ["overrides", sources.overrides?.vendor],
    ["document", fromDocument.vendor],
    ["metadata", metadataValue(sources.metadata, "vendor")],
    ["key template", fromKey?.vendor],
    ["roster", agent ? sources.roster?.get(agent.value)?.vendor : undefined],
  ]);
  return {
    ...(vendor ? { vendor: { value: canonicalVendor(vendor.value), from: vendor.from } } : {}),
    ...(agent ? { agent } : {}),
  };
}

/**
 * The roster's vendor for the agent when it differs from the resolved vendor, or undefined
 * when they agree (or the roster does not know the agent, or gave the vendor itself). A
 * transcript whose export names one vendor while the roster has the agent under another is
 * not counted for either: someone has to say which is right.
 */
export function rosterVendorConflict(
  resolved: { vendor?: Resolved; agent?: Resolved },
  roster: ReadonlyMap<string, RosterEntry> | undefined,
): string | undefined {
  const { vendor, agent } = resolved;
  if (!vendor || !agent || vendor.from === "roster") return undefined;
  const entry = roster?.get(agent.value);
  if (!entry) return undefined;
  const rosterVendor = canonicalVendor(entry.vendor);
  return rosterVendor === vendor.value ? undefined : rosterVendor;
}
