import { describe, expect, it } from "vitest";
import { channelVerdict, withinAgentVerdict } from "../../cli/commands/insights";

type Within = Parameters<typeof withinAgentVerdict>[0];
type Agreement = Parameters<typeof channelVerdict>[0];

const agreement = (pValue: number): Agreement => ({
  statistic: 4,
  df1: 2,
  df2: 40,
  pValue,
  groups: 3,
});

const within = (pValue: number): Within => ({
  agents: 12,
  channels: ["chat", "email"],
  effects: [{ channel: "email", estimate: -0.5, se: 0.1, df: 80, ci95: [-0.7, -0.3], pValue }],
  test: { statistic: 25, df1: 1, df2: 80, pValue, groups: 2 },
  reviewVariance: 0.4,
  df: 80,
});

describe("the channel verdicts in words", () => {
  it("says the gap is the channel's when it holds within agents", () => {
    const text = withinAgentVerdict(within(0.00001), agreement(0.001)) ?? "";
    expect(text).toContain("against chat: email -0.50 (-0.70 to -0.30)");
    expect(text).toContain("Within agents the channels still differ (F test, p < 0.0001)");
  });

  it("points to agent mix when only the overall comparison differs", () => {
    expect(withinAgentVerdict(within(0.69), agreement(0.03))).toMatch(
      /no evidence the channels differ \(F test, p = 0\.6900\): the overall gap may come from which agents/,
    );
  });

  it("does not say 'still' when the overall comparison saw no gap", () => {
    const text = withinAgentVerdict(within(0.0188), agreement(0.13)) ?? "";
    expect(text).toMatch(/Within agents the channels differ \(F test, p = 0\.0188\)/);
    expect(text).not.toContain("still");
    expect(withinAgentVerdict(within(0.5), agreement(0.4))).toMatch(
      /no evidence the channels differ either/,
    );
  });

  it("says nothing without a within-agent comparison, and formats the overall test the same way", () => {
    expect(withinAgentVerdict(null, agreement(0.01))).toBeNull();
    expect(channelVerdict(agreement(0.0338))).toMatch(
      /^The channels differ \(Welch F test, p = 0\.0338\)/,
    );
    expect(channelVerdict(null)).toBe("Too few channels with enough reviews to compare.");
  });
});
