import { describe, expect, it } from "vitest";
import { itemUpdate } from "../../shared/items";

const key = { pk: "P", sk: "S" };

describe("itemUpdate", () => {
  it("names every attribute and value through placeholders, clauses in SET ADD REMOVE DELETE order", () => {
    const update = itemUpdate(key, {
      delete: { pending: new Set(["a"]) },
      remove: ["slot"],
      add: { reviews: 1 },
      set: { status: "scored", note: undefined },
    });
    expect(update).toEqual({
      Key: key,
      UpdateExpression: "SET #u0 = :u1 ADD #u2 :u3 REMOVE #u4 DELETE #u5 :u6",
      ExpressionAttributeNames: {
        "#u0": "status",
        "#u2": "reviews",
        "#u4": "slot",
        "#u5": "pending",
      },
      ExpressionAttributeValues: { ":u1": "scored", ":u3": 1, ":u6": new Set(["a"]) },
    });
  });

  it("appends to a list that may not exist yet", () => {
    const update = itemUpdate(key, { append: { history: [{ at: "x" }] } });
    expect(update.UpdateExpression).toBe("SET #u0 = list_append(if_not_exists(#u0, :u1), :u2)");
    expect(update.ExpressionAttributeValues).toEqual({ ":u1": [], ":u2": [{ at: "x" }] });
  });

  it("merges the condition's own placeholders and leaves out an empty value map", () => {
    const update = itemUpdate(
      key,
      { remove: ["slot"] },
      { expression: "attribute_exists(#pk)", names: { "#pk": "pk" } },
    );
    expect(update).toEqual({
      Key: key,
      UpdateExpression: "REMOVE #u0",
      ConditionExpression: "attribute_exists(#pk)",
      ExpressionAttributeNames: { "#u0": "slot", "#pk": "pk" },
    });
  });

  it("refuses an update that changes nothing", () => {
    expect(() => itemUpdate(key, { set: { a: undefined } })).toThrow(/at least one attribute/);
  });
});
