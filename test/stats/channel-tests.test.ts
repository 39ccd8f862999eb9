import { describe, expect, it } from "vitest";
import { channelTestSize } from "../../bench/calibration-scenarios";
import { emptySums } from "../../shared/estimate";
import {
  type AgentChannelEstimate,
  agentChannelCell,
  welchAnova,
  welchDifference,
  withinAgentComparison,
} from "../../shared/stats/channel-tests";
import { chiSquareSurvival } from "../../shared/stats/distributions";
import { normalDraw, seededRandom } from "./helpers";

/** The mean of n draws of N(mean, 0.9²) with its estimated se: what a channel or agent cell shows. */
function sampleMean(uniform: () => number, mean: number, n: number) {
  const xs = Array.from({ length: n }, () => mean + 0.9 * normalDraw(uniform));
  const m = xs.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
  return { estimate: m, se: sd / Math.sqrt(n), reviewed: n };
}

describe("welchAnova", () => {
  it("is Welch's t-test squared for two channels", () => {
    const a = { estimate: 3.9, se: 0.2, reviewed: 6 };
    const b = { estimate: 3.2, se: 0.3, reviewed: 8 };
    const f = welchAnova([a, b]);
    const t = welchDifference(a, b);
    expect(f?.statistic).toBeCloseTo(((t?.estimate ?? 0) / (t?.se ?? 1)) ** 2, 10);
    expect(f?.df2).toBeCloseTo(t?.df ?? 0, 10);
    expect(f?.pValue).toBeCloseTo(t?.pValue ?? 0, 10);
  });

  it("becomes the Wald χ² test when every estimate rests on many reviews", () => {
    const many = [
      { estimate: 3.9, se: 0.05, reviewed: 1e7 },
      { estimate: 3.8, se: 0.04, reviewed: 1e7 },
      { estimate: 3.75, se: 0.06, reviewed: 1e7 },
    ];
    const f = welchAnova(many);
    const w = many.map((g) => 1 / g.se ** 2);
    const mean =
      many.reduce((s, g, i) => s + (w[i] ?? 0) * g.estimate, 0) / w.reduce((s, x) => s + x, 0);
    const q = many.reduce((s, g, i) => s + (w[i] ?? 0) * (g.estimate - mean) ** 2, 0);
    expect(f?.statistic).toBeCloseTo(q / 2, 4);
    expect(f?.pValue).toBeCloseTo(chiSquareSurvival(q, 2), 4);
  });

  it("weighs a 5-review estimate as the noisy thing it is: a larger p than χ² on the same figures", () => {
    const few = [
      { estimate: 3.9, se: 0.25, reviewed: 5 },
      { estimate: 3.2, se: 0.3, reviewed: 6 },
      { estimate: 3.6, se: 0.2, reviewed: 7 },
    ];
    const f = welchAnova(few);
    const w = few.map((g) => 1 / g.se ** 2);
    const mean =
      few.reduce((s, g, i) => s + (w[i] ?? 0) * g.estimate, 0) / w.reduce((s, x) => s + x, 0);
    const q = few.reduce((s, g, i) => s + (w[i] ?? 0) * (g.estimate - mean) ** 2, 0);
    expect(f?.pValue).toBeGreaterThan(chiSquareSurvival(q, 2));
    expect(f?.df2).toBeLessThan(15);
  });

  it("leaves out estimates with se 0 and needs two usable ones", () => {
    expect(
      welchAnova([
        { estimate: 4, se: 0, reviewed: 5 },
        { estimate: 3, se: 0.2, reviewed: 5 },
      ]),
    ).toBeNull();
    expect(
      welchAnova([
        { estimate: 4, se: 0, reviewed: 5 },
        { estimate: 3, se: 0.2, reviewed: 5 },
        { estimate: 3.5, se: 0.2, reviewed: 5 },
      ])?.groups,
    ).toBe(2);
  });

  it("holds its 5% size on a small vendor's week, where the χ² test rejects twice as often (fixed seed)", () => {
    const size = channelTestSize(4_000, 17);
    expect(size.meanReviews).toBeLessThan(8);
    expect(size.welch).toBeGreaterThanOrEqual(0.04);
    expect(size.welch).toBeLessThanOrEqual(0.06);
    expect(size.chiSquare).toBeGreaterThan(0.08);
  });
});

describe("welchDifference", () => {
  it("uses Welch–Satterthwaite degrees of freedom and a t interval", () => {
    const d = welchDifference(
      { estimate: 4, se: 0.2, reviewed: 6 },
      { estimate: 3.5, se: 0.2, reviewed: 6 },
    );
    // Equal variances and df: ν = 2·(n − 1).
    expect(d?.df).toBeCloseTo(10, 10);
    expect(d?.estimate).toBeCloseTo(0.5, 12);
    const half = 2.228138852 * Math.sqrt(0.08);
    expect(d?.ci95[0]).toBeCloseTo(0.5 - half, 6);
    expect(d?.ci95[1]).toBeCloseTo(0.5 + half, 6);
    expect(
      welchDifference(
        { estimate: 4, se: 0.2, reviewed: 6, df: 2 },
        { estimate: 3.5, se: 0.2, reviewed: 6 },
      )?.df,
    ).toBeLessThan(10);
  });
});

describe("agentChannelCell", () => {
  const sumsOf = (reviews: ReadonlyArray<[w: number, x: number]>) => {
    const s = emptySums();
    for (const [w, x] of reviews) {
      s.n += 1;
      s.sw += w;
      s.swx += w * x;
      s.swxx += w * x * x;
      s.sww += w * w;
      s.swwx += w * w * x;
      s.swwxx += w * w * x * x;
    }
    return s;
  };

  it("gives a cell reviewed in full its reviews' variance, not zero", () => {
    const cell = agentChannelCell(
      "a",
      "chat",
      sumsOf([
        [1, 3],
        [1, 4],
        [1, 5],
        [1, 4],
      ]),
    );
    // Sample variance of 3, 4, 5, 4 is 2/3; with equal weights the factor is 1/n.
    expect(cell?.estimate).toBeCloseTo(4, 12);
    expect(cell?.varianceFactor).toBeCloseTo(0.25, 12);
    expect(cell?.se).toBeCloseTo(Math.sqrt(2 / 3 / 4), 12);
    expect(cell?.df).toBe(3);
  });

  it("weights by design: the Hájek mean and the factor Σw²/(Σw)²", () => {
    const cell = agentChannelCell(
      "a",
      "chat",
      sumsOf([
        [10, 2],
        [30, 4],
      ]),
    );
    expect(cell?.estimate).toBeCloseTo((20 + 120) / 40, 12);
    expect(cell?.varianceFactor).toBeCloseTo(1000 / 1600, 12);
    expect(agentChannelCell("a", "chat", sumsOf([[5, 3]]))?.se).toBe(0);
    expect(agentChannelCell("a", "chat", emptySums())).toBeNull();
  });
});

describe("withinAgentComparison", () => {
  const cell = (
    agent: string,
    channel: string,
    estimate: number,
    se = 0.2,
    reviewed = 8,
  ): AgentChannelEstimate => ({
    agent,
    channel,
    estimate,
    se,
    reviewed,
  });

  it("sees no channel effect where the overall gap is agent mix", () => {
    const uniform = seededRandom(21);
    // Strong agents mostly answer chat, weak ones mostly voice; within an agent the channels agree.
    const agents = [
      { id: "a1", quality: 4.4, chat: 30, voice: 6 },
      { id: "a2", quality: 4.3, chat: 28, voice: 8 },
      { id: "a3", quality: 4.5, chat: 25, voice: 6 },
      { id: "a4", quality: 3.1, chat: 6, voice: 30 },
      { id: "a5", quality: 3.0, chat: 7, voice: 28 },
      { id: "a6", quality: 3.2, chat: 6, voice: 26 },
    ];
    const cells = agents.flatMap((a) => [
      { agent: a.id, channel: "chat", ...sampleMean(uniform, a.quality, a.chat) },
      { agent: a.id, channel: "voice", ...sampleMean(uniform, a.quality, a.voice) },
    ]);
    const pooledBy = (channel: string) => {
      const mine = agents.map((a) => ({ n: channel === "chat" ? a.chat : a.voice, q: a.quality }));
      const n = mine.reduce((s, m) => s + m.n, 0);
      return sampleMean(uniform, mine.reduce((s, m) => s + m.n * m.q, 0) / n, n);
    };
    expect(welchAnova([pooledBy("chat"), pooledBy("voice")])?.pValue).toBeLessThan(1e-4);
    const within = withinAgentComparison(cells);
    expect(within?.agents).toBe(6);
    expect(within?.channels).toEqual(["chat", "voice"]);
    expect(Math.abs(within?.effects[0]?.estimate ?? 9)).toBeLessThan(0.3);
    expect(within?.test?.pValue).toBeGreaterThan(0.05);
  });

  it("finds an effect every agent shows on one channel, of the right size", () => {
    const cells = ["a1", "a2", "a3", "a4", "a5"].flatMap((agent, i) => [
      cell(agent, "chat", 3 + i * 0.3),
      cell(agent, "email", 3 + i * 0.3 - 0.6),
      cell(agent, "voice", 3 + i * 0.3 + (i % 2 === 0 ? 0.05 : -0.05)),
    ]);
    const within = withinAgentComparison(cells);
    const email = within?.effects.find((e) => e.channel === "email");
    expect(email?.estimate).toBeCloseTo(-0.6, 6);
    expect(email?.ci95[1]).toBeLessThan(0);
    expect(within?.test?.df1).toBe(2);
    expect(within?.test?.pValue).toBeLessThan(0.01);
  });

  it("with two channels and equal standard errors, is the mean of each agent's difference", () => {
    const cells = [
      cell("a", "chat", 4.0),
      cell("a", "voice", 3.5),
      cell("b", "chat", 3.0),
      cell("b", "voice", 3.3),
      cell("c", "chat", 4.2),
      cell("c", "voice", 4.0),
    ];
    const within = withinAgentComparison(cells);
    expect(within?.effects[0]?.estimate).toBeCloseTo(
      (3.5 - 4.0 + (3.3 - 3.0) + (4.0 - 4.2)) / 3,
      10,
    );
    // Six cells of 8 reviews, se 0.2: S² = 0.32 on 6·7 = 42 df; the mean of three differences
    // has variance S²·(1/8 + 1/8)/3.
    expect(within?.reviewVariance).toBeCloseTo(0.32, 10);
    expect(within?.effects[0]?.df).toBe(42);
    expect(within?.effects[0]?.se).toBeCloseTo(Math.sqrt((0.32 * 0.25) / 3), 10);
  });

  it("ignores agents on one channel, and has nothing to compare without an agent on two", () => {
    const cells = [
      cell("a", "chat", 4),
      cell("a", "voice", 3.6),
      cell("b", "chat", 3),
      cell("c", "email", 2),
    ];
    expect(withinAgentComparison(cells)?.agents).toBe(1);
    expect(withinAgentComparison([cell("b", "chat", 3), cell("c", "email", 2)])).toBeNull();
    expect(() => withinAgentComparison([cell("a", "chat", 4), cell("a", "chat", 3)])).toThrow(
      RangeError,
    );
  });

  it("answers null, not an error, when rounding-level variance factors leave it singular", () => {
    // Factors of 1e-16 are what (Σw² − Σw)/(Σw)² gives for a cell reviewed in full (w = 1).
    const cells = [
      cell("a", "chat", 4.0),
      cell("a", "voice", 3.5),
      { ...cell("b", "chat", 3.0, 0), varianceFactor: 2.2e-16 },
      { ...cell("b", "voice", 3.3, 0), varianceFactor: 1e-16 },
      { ...cell("c", "chat", 4.2, 0), varianceFactor: 6.7e-16 },
      cell("c", "voice", 4.0),
    ];
    expect(withinAgentComparison(cells)).toBeNull();
  });

  it("holds its 5% size when no agent differs between channels (fixed seed)", () => {
    const uniform = seededRandom(23);
    let rejected = 0;
    const reps = 2_000;
    for (let r = 0; r < reps; r++) {
      const cells: AgentChannelEstimate[] = [];
      for (let a = 0; a < 6; a++) {
        const quality = 3 + normalDraw(uniform) * 0.5;
        for (const channel of ["chat", "voice", "email"]) {
          if (channel === "email" && a % 2 === 0) continue;
          cells.push({
            agent: `a${a}`,
            channel,
            ...sampleMean(uniform, quality, 4 + Math.floor(uniform() * 6)),
          });
        }
      }
      if ((withinAgentComparison(cells)?.test?.pValue ?? 1) < 0.05) rejected += 1;
    }
    expect(rejected / reps).toBeGreaterThan(0.035);
    expect(rejected / reps).toBeLessThan(0.065);
  });
});
