import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { classifyCancellation, retryTransient } from "../../core/db/transactions";

// DynamoDB Local serialises transactions, so a TransactionConflict cannot be provoked there:
// these tests build the exception the SDK raises from a real cancellation response.
function cancelled(...codes: Array<string | undefined>): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => (Code === undefined ? {} : { Code })),
  });
}

/** A function that fails with each of `errors` in turn, then resolves "done"; counts its calls. */
function failing(...errors: Error[]) {
  const state = { calls: 0 };
  const fn = async (): Promise<string> => {
    const error = errors[state.calls];
    state.calls += 1;
    if (error) throw error;
    return "done";
  };
  return { fn, state };
}

describe("classifyCancellation", () => {
  it("names the items whose condition failed", () => {
    expect(classifyCancellation(cancelled("None", "ConditionalCheckFailed", "None"))).toEqual({
      kind: "condition-failed",
      items: [1],
      codes: ["None", "ConditionalCheckFailed", "None"],
    });
  });

  it("reads a conflict on a shared item as transient, not as a failed condition", () => {
    expect(classifyCancellation(cancelled("None", "None", "TransactionConflict"))?.kind).toBe(
      "transient",
    );
  });

  it("reads throttles as transient", () => {
    expect(classifyCancellation(cancelled("ThrottlingError", "None"))?.kind).toBe("transient");
    expect(classifyCancellation(cancelled("None", "ProvisionedThroughputExceeded"))?.kind).toBe(
      "transient",
    );
  });

  it("lets a failed condition win over a conflict on another item", () => {
    expect(
      classifyCancellation(cancelled("ConditionalCheckFailed", "TransactionConflict")),
    ).toMatchObject({ kind: "condition-failed", items: [0] });
  });

  it("reads a validation error, a size limit or missing reasons as other", () => {
    expect(classifyCancellation(cancelled("None", "ValidationError"))?.kind).toBe("other");
    expect(
      classifyCancellation(cancelled("TransactionConflict", "ItemCollectionSizeLimitExceeded"))
        ?.kind,
    ).toBe("other");
    expect(classifyCancellation(cancelled())?.kind).toBe("other");
    expect(classifyCancellation(cancelled(undefined, undefined))?.kind).toBe("other");
  });

  it("returns undefined for an error that is not a cancelled transaction", () => {
    expect(classifyCancellation(new Error("network"))).toBeUndefined();
    expect(classifyCancellation("TransactionConflict")).toBeUndefined();
  });
});

describe("retryTransient", () => {
  it("retries transient cancellations until the transaction goes through", async () => {
    const { fn, state } = failing(
      cancelled("TransactionConflict"),
      cancelled("None", "ThrottlingError"),
    );

    await expect(retryTransient(fn, { attempts: 3, baseMs: 1 })).resolves.toBe("done");
    expect(state.calls).toBe(3);
  });

  it("throws the last transient cancellation once the attempts are spent", async () => {
    const last = cancelled("TransactionConflict");
    const { fn, state } = failing(
      cancelled("TransactionConflict"),
      cancelled("TransactionConflict"),
      last,
    );

    await expect(retryTransient(fn, { attempts: 3, baseMs: 1 })).rejects.toBe(last);
    expect(state.calls).toBe(3);
  });

  it("throws a failed condition at once, without retrying", async () => {
    const condition = cancelled("None", "ConditionalCheckFailed", "TransactionConflict");
    const { fn, state } = failing(condition);

    await expect(retryTransient(fn, { attempts: 5, baseMs: 1 })).rejects.toBe(condition);
    expect(state.calls).toBe(1);
  });

  it("throws other errors at once, without retrying", async () => {
    const validation = cancelled("ValidationError");
    const network = new Error("socket hang up");
    const first = failing(validation);
    const second = failing(network);

    await expect(retryTransient(first.fn, { attempts: 5, baseMs: 1 })).rejects.toBe(validation);
    await expect(retryTransient(second.fn, { attempts: 5, baseMs: 1 })).rejects.toBe(network);
    expect(first.state.calls + second.state.calls).toBe(2);
  });

  it("tries once when attempts is 1", async () => {
    const { fn, state } = failing(cancelled("TransactionConflict"));

    await expect(retryTransient(fn, { attempts: 1, baseMs: 1 })).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
    expect(state.calls).toBe(1);
  });
});
