// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StatusPage, samplingHint } from "../../web/status/status-page";
import type { StatusView } from "../../web/status/status-view";

const status: StatusView = {
  ready: false,
  phase: "seeding",
  seed: { state: "seeding", uploaded: 1200, total: 5000 },
  objects: 1200,
  queues: [
    { name: "ingest", url: "http://q/ingest", visible: 3, inFlight: 1 },
    { name: "review", url: "http://q/review", visible: 40, inFlight: 2 },
  ],
  events: { delivered: 1200, retried: 2, deadLettered: 0, failed: 0 },
  sampling: {
    strata: [
      {
        vendor: "<b>acme</b>",
        channel: "chat",
        ledger: 800,
        eligible: 400,
        sampled: 40,
        floor: 3,
        calibration: 1,
      },
    ],
    totals: { ledger: 800, sampled: 40, quarantined: 2, duplicates: 5 },
    batches: 12,
    retries: 0,
  },
  endpoints: {
    web: "http://127.0.0.1:3000",
    s3: "http://s3",
    sqs: "http://sqs",
    dynamodb: "http://ddb",
    bucket: "transcripts",
    table: "spotcheck",
    region: "us-east-1",
  },
  uptimeSeconds: 125,
};

afterEach(cleanup);

describe("status page", () => {
  it("shows the phase, the seed progress, the counts and the strata with their rate", async () => {
    render(<StatusPage load={async () => status} />);
    await screen.findByText("seeding the demo");
    expect(screen.getByText("seeding 1,200 / 5,000")).toBeTruthy();
    expect(document.getElementById("review")?.textContent).toBe("42");
    expect(document.getElementById("duplicates")?.textContent).toBe("5");
    expect(screen.getByText("10.0%")).toBeTruthy();
    // Vendor ids come from uploaded data: text, never markup.
    expect(screen.getByText("<b>acme</b>")).toBeTruthy();
    expect(document.querySelector("#strata b")).toBeNull();
  });

  it("says so when the stack stops answering", async () => {
    const load = vi.fn(async () => {
      throw new Error("refused");
    });
    render(<StatusPage load={load} />);
    await waitFor(() =>
      expect(document.getElementById("state")?.textContent).toBe("stack not answering"),
    );
    expect(document.getElementById("state")?.className).toBe("pill bad");
  });

  it("sums up delivery, sampler batches and uptime under the table", () => {
    expect(samplingHint(status)).toBe(
      "1,200 Object Created events delivered, 2 delivery retries; sampler: 12 batches, 0 record retries. Uptime 2m 5s.",
    );
    const { sampling: _none, ...withoutSampler } = status;
    expect(samplingHint(withoutSampler)).toBe("The sampler is not running in this stack.");
  });
});
