import { describe, expect, it } from "vitest";
import {
  type AlertEvent,
  alertFromItem,
  alertKey,
  alertKeyOfId,
  alertToItem,
  alertUpdate,
  KEYS,
  MalformedItemError,
  type NewAlert,
  rosterFromItem,
  rosterKey,
  rosterToItem,
} from "../../shared/items";
import { applyUpdate } from "./apply-update";

const alert: NewAlert = {
  vendor: "northwind-bpo",
  channel: "email",
  dimension: "empathy",
  week: "2026-W45",
  state: "open",
  baseline: { estimate: 3.9, se: 0.1 },
  current: { estimate: 3.1, se: 0.2 },
  z: -3.6,
  ewmaZ: null,
  pValue: 0.0002,
  detectedAt: "2026-11-16T06:00:00.000Z",
  weeksFlagged: 1,
  lastFlaggedWeek: "2026-W45",
};

describe("alert codec", () => {
  it("writes an alert under its series and week, with an id that names its key", () => {
    const item = alertToItem(alert);
    const key = alertKey("northwind-bpo", "email#empathy", "2026-W45");
    expect(item).toMatchObject({
      ...key,
      type: "alert",
      [KEYS.byPeriod.pk]: "ALERTS",
      [KEYS.byPeriod.sk]: `2026-11-16T06:00:00.000Z#northwind-bpo#${key.sk}`,
    });
    const read = alertFromItem(item);
    expect(read).toEqual({ ...alert, alertId: item.alertId, history: [] });
    expect(alertKeyOfId(read.alertId)).toEqual(key);
    expect(alertKeyOfId("not-an-id")).toBeUndefined();
  });

  it("moves, notes and re-flags an alert, keeping every event in its history", () => {
    const key = alertKey("northwind-bpo", "email#empathy", "2026-W45");
    const ack: AlertEvent = {
      action: "acknowledged",
      state: "acknowledged",
      by: "qa",
      at: "2026-11-17T09:00:00.000Z",
    };
    const note = {
      action: "note" as const,
      state: "acknowledged" as const,
      by: "nw",
      vendor: "northwind-bpo",
      at: "2026-11-18T09:00:00.000Z",
      note: "coaching",
    };
    let item = alertToItem(alert);
    item = applyUpdate(
      item,
      alertUpdate(key, { kind: "moved", to: "acknowledged", by: "qa", at: ack.at, event: ack }),
    );
    item = applyUpdate(item, alertUpdate(key, { kind: "note", event: note }));
    item = applyUpdate(item, alertUpdate(key, { kind: "flagged-again", week: "2026-W46" }));
    expect(alertFromItem(item)).toMatchObject({
      state: "acknowledged",
      acknowledgedBy: "qa",
      acknowledgedAt: ack.at,
      note: "coaching",
      weeksFlagged: 2,
      lastFlaggedWeek: "2026-W46",
      history: [ack, note],
    });
  });

  it("gives old history entries their action, and an alert older still its last note", () => {
    const item = alertToItem(alert);
    const old = alertFromItem({
      ...item,
      state: "resolved",
      history: [{ state: "resolved", by: "qa", at: "2026-11-20T00:00:00.000Z" }],
    });
    expect(old.history[0]?.action).toBe("resolved");
    const { history: _h, ...noHistory } = item;
    const oldest = alertFromItem({
      ...noHistory,
      state: "acknowledged",
      acknowledgedBy: "qa",
      acknowledgedAt: "2026-11-17T00:00:00.000Z",
      note: "seen",
    });
    expect(oldest.history).toEqual([
      {
        action: "note",
        state: "acknowledged",
        by: "qa",
        at: "2026-11-17T00:00:00.000Z",
        note: "seen",
      },
    ]);
  });

  it("raises MalformedItemError for an unknown state", () => {
    expect(() => alertFromItem({ ...alertToItem(alert), state: "snoozed" })).toThrow(
      MalformedItemError,
    );
  });
});

describe("roster codec", () => {
  it("reads back an entry, listed under ROSTER", () => {
    const entry = {
      agentId: "a-1",
      vendor: "acme",
      team: "t",
      importedAt: "2026-01-05T00:00:00.000Z",
    };
    const item = rosterToItem(entry);
    expect(item).toMatchObject({
      ...rosterKey("a-1"),
      type: "roster",
      [KEYS.byPeriod.pk]: "ROSTER",
      [KEYS.byPeriod.sk]: "a-1",
    });
    expect(rosterFromItem(item)).toEqual(entry);
    const { vendor: _v, ...noVendor } = item;
    expect(() => rosterFromItem(noVendor)).toThrow(MalformedItemError);
  });
});
