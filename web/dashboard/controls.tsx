import { useState } from "preact/hooks";
import { isCalendarDay, utcDay } from "../../shared/calendar";
import { query } from "./format";
import type { DashboardConfig, Granularity } from "./types";

/** What the dashboard shows: one vendor, a dimension (or all), a channel (or all), a range. */
export interface Filters {
  vendor: string;
  /** A dimension id, or `all`. */
  dimension: string;
  /** A channel, or empty for all channels. */
  channel: string;
  granularity: Granularity;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const GRAIN_NAMES: Record<Granularity, string> = { day: "Day", week: "Week", month: "Month" };

/**
 * The filters a link carries (`?vendor=…&dimension=…&from=…`), each only if it is one the
 * page offers; the rest default: the first vendor, every dimension and channel, weekly, and
 * the API's default range of the 13 weeks (91 days) up to today.
 */
export function filtersFromUrl(
  search: string,
  vendors: readonly string[],
  config: Pick<DashboardConfig, "dimensions" | "channels" | "granularities">,
  today: string,
): Filters {
  const q = new URLSearchParams(search);
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const v = q.get(name);
    return allowed.find((a) => a === v);
  };
  // A real calendar day, as the API's DaySchema: 2026-02-30 would roll over to 2 March.
  const day = (name: string) => {
    const v = q.get(name);
    return v !== null && isCalendarDay(v) ? v : undefined;
  };
  const to = day("to") ?? today;
  return {
    vendor: pick("vendor", vendors) ?? vendors[0] ?? "",
    dimension: pick("dimension", ["all", ...config.dimensions]) ?? "all",
    channel: pick("channel", config.channels) ?? "",
    granularity: pick("granularity", config.granularities) ?? "week",
    from: day("from") ?? utcDay(new Date(Date.parse(`${to}T00:00:00Z`) - 90 * DAY_MS)),
    to,
  };
}

/** The query string that brings the filters back, leaving out the defaults it can. */
export function filtersToQuery(f: Filters): string {
  return query({
    vendor: f.vendor,
    dimension: f.dimension === "all" ? "" : f.dimension,
    channel: f.channel,
    granularity: f.granularity === "week" ? "" : f.granularity,
    from: f.from,
    to: f.to,
  });
}

/** Props of {@link Controls}. */
export interface ControlsProps {
  filters: Filters;
  vendors: readonly string[];
  config: Pick<DashboardConfig, "dimensions" | "channels" | "granularities">;
  dimLabel: (d: string) => string;
  onApply: (filters: Filters) => void;
}

/** The filter bar. A range whose start is after its end is refused, and nothing changes. */
export function Controls({ filters, vendors, config, dimLabel, onApply }: ControlsProps) {
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [message, setMessage] = useState("");

  function apply(change: Partial<Filters>) {
    const nextFrom = change.from ?? from;
    const nextTo = change.to ?? to;
    if (!nextFrom || !nextTo || nextFrom > nextTo) {
      setMessage("Pick a range whose start is on or before its end.");
      return;
    }
    setMessage("");
    onApply({ ...filters, ...change, from: nextFrom, to: nextTo });
  }

  return (
    <form
      class="controls panel"
      id="controls"
      aria-label="filters"
      onSubmit={(e) => e.preventDefault()}
    >
      <label>
        Vendor{" "}
        <select
          id="vendor"
          value={filters.vendor}
          disabled={vendors.length === 1}
          onChange={(e) => apply({ vendor: e.currentTarget.value })}
        >
          <Options values={vendors} />
        </select>
      </label>
      <label>
        Dimension{" "}
        <select
          id="dimension"
          value={filters.dimension}
          onChange={(e) => apply({ dimension: e.currentTarget.value })}
        >
          <option value="all">All dimensions</option>
          <Options values={config.dimensions} label={dimLabel} />
        </select>
      </label>
      <label>
        Channel{" "}
        <select
          id="channel"
          value={filters.channel}
          onChange={(e) => apply({ channel: e.currentTarget.value })}
        >
          <option value="">All channels</option>
          <Options values={config.channels} />
        </select>
      </label>
      <label>
        Granularity{" "}
        <select
          id="granularity"
          value={filters.granularity}
          onChange={(e) => apply({ granularity: e.currentTarget.value as Granularity })}
        >
          <Options values={config.granularities} label={(g) => GRAIN_NAMES[g]} />
        </select>
      </label>
      <DateField
        id="from"
        label="From"
        value={from}
        onPick={(value) => {
          setFrom(value);
          apply({ from: value });
        }}
      />
      <DateField
        id="to"
        label="To"
        value={to}
        onPick={(value) => {
          setTo(value);
          apply({ to: value });
        }}
      />
      <p class="msg err" id="controlsMsg" role="alert">
        {message}
      </p>
    </form>
  );
}

/** One `<option>` per value, shown as `label` names it (the value itself by default). */
export function Options<T extends string>({
  values,
  label = (value) => value,
}: {
  values: readonly T[];
  label?: (value: T) => string;
}) {
  return (
    <>
      {values.map((value) => (
        <option key={value} value={value}>
          {label(value)}
        </option>
      ))}
    </>
  );
}

/** A required date input under its label, reporting each date picked. */
function DateField(props: {
  id: string;
  label: string;
  value: string;
  onPick: (value: string) => void;
}) {
  return (
    <label>
      {props.label}{" "}
      <input
        type="date"
        id={props.id}
        required
        value={props.value}
        onChange={(e) => props.onPick(e.currentTarget.value)}
      />
    </label>
  );
}
