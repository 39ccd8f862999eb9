import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KEYS,
  MalformedItemError,
  type ObjectMarker,
  objectMarkerFromItem,
  objectMarkerKey,
  objectMarkerToItem,
} from "../../shared/items";
import { day, id, instant } from "./arbitraries";

const base = { object: id.map((k) => `bucket/${k}`), day, processedAt: instant };
const marker: fc.Arbitrary<ObjectMarker> = fc.oneof(
  fc.record({ outcome: fc.constant("ledger" as const), interactionId: id, version: id, ...base }),
  fc.record({ outcome: fc.constant("quarantined" as const), reason: id, version: id, ...base }),
  fc.record({
    outcome: fc.constant("duplicate" as const),
    interactionId: id,
    duplicateOf: id,
    ...base,
  }),
);

describe("object marker codec", () => {
  it("reads back every outcome it writes, with the version its key names", () => {
    fc.assert(
      fc.property(marker, id, id, (m, key, version) => {
        const item = objectMarkerToItem(objectMarkerKey("bucket", key, version), m);
        expect(item).toMatchObject({
          pk: `OBJ#bucket/${key}`,
          sk: `V#${version}`,
          type: "object",
          [KEYS.byPeriod.pk]: `OBJECT#${m.day}`,
          [KEYS.byPeriod.sk]: m.object,
        });
        expect(objectMarkerFromItem(item)).toEqual({ ...m, markedVersion: version });
      }),
    );
  });

  it("refuses an unknown outcome and an outcome without its attributes", () => {
    const key = objectMarkerKey("b", "k", "1");
    const good = {
      outcome: "ledger",
      interactionId: "ix",
      version: "1",
      object: "b/k",
      day: "2026-01-05",
      processedAt: "2026-01-05T10:00:00.000Z",
    } as const;
    expect(objectMarkerFromItem(objectMarkerToItem(key, good)).outcome).toBe("ledger");
    expect(() =>
      objectMarkerFromItem({ ...objectMarkerToItem(key, good), outcome: "lost" }),
    ).toThrow(MalformedItemError);
    const { interactionId: _id, ...noId } = objectMarkerToItem(key, good);
    expect(() => objectMarkerFromItem(noId)).toThrow(MalformedItemError);
  });
});
