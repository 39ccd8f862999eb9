import { Validations } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { NagPack } from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { STAGES } from "../../infra/config";
import { nagPacks } from "../../infra/nag";
import { addSpotcheck } from "../../infra/spotcheck-app";
import { testApp } from "./helpers";

/** What a pack reports, reduced to the rule and where. */
interface Finding {
  rule: string;
  paths: string[];
}

function findings(scope: IConstruct): Finding[] {
  return nagPacks().flatMap((pack) =>
    pack.validateScope(scope).violations.map((violation) => ({
      rule: violation.ruleName,
      paths: violation.violatingResources.map((r) => r.constructPath ?? "?"),
    })),
  );
}

/** Every `Validations.of(x).acknowledge(...)` in the tree: where, which rule, and why. */
function acknowledgements(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({
        path: construct.node.path,
        rule: id.replace(/^annotation::/i, ""),
        reason,
      })),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("cdk-nag (AwsSolutions and Serverless packs)", () => {
  it.each(STAGES)("reports no unacknowledged finding on the %s stage", (stage) => {
    const app = testApp({ stage });
    addSpotcheck(app);

    expect(findings(app)).toEqual([]);
  });

  it("makes synthesis itself fail on a finding nobody acknowledged", () => {
    const app = testApp();
    const stack = addSpotcheck(app);
    // A bare queue: no DLQ and no SSL-only policy.
    new Queue(stack, "Unacknowledged");

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3[\s\S]*Unacknowledged/);
  });

  it("acknowledges only findings that occur, each beside its construct with a reason", () => {
    const app = testApp({ stage: "prod" });
    addSpotcheck(app);
    const acks = acknowledgements(app);
    // What the packs would report if nothing were acknowledged.
    vi.spyOn(
      NagPack.prototype as unknown as { isAcknowledged(): boolean },
      "isAcknowledged",
    ).mockReturnValue(false);
    const raw = findings(app);

    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.rule} at ${ack.path} needs a real reason`).toBeGreaterThan(
        60,
      );
      const covered = raw.some(
        (finding) =>
          finding.rule === ack.rule &&
          finding.paths.some((path) => path === ack.path || path.startsWith(`${ack.path}/`)),
      );
      expect(covered, `${ack.rule} at ${ack.path} acknowledges nothing`).toBe(true);
      // Beside its construct: never a blanket acknowledgement on the stack or the app.
      expect(ack.path.split("/").length, `${ack.rule} is acknowledged too high up`).toBeGreaterThan(
        1,
      );
    }
  });
});
