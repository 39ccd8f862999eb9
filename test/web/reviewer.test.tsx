// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RUBRIC_V1 } from "../../shared/rubric";
import type { ReviewerTask } from "../../shared/task";
import { type ApiClient, ApiError, type ClaimedTask, type ScoreBody } from "../../web/lib/api";
import { ReviewerApp } from "../../web/reviewer/app";

const task: ReviewerTask = {
  taskId: "tk-000000000000000000000001",
  interactionId: "int-1",
  agent: "agt-1",
  channel: "chat",
  day: "2026-11-02",
  status: "claimed",
  claimedBy: "ana",
  claimedAt: "2026-11-02T10:00:00Z",
  leaseExpiresAt: new Date(Date.now() + 600_000).toISOString(),
  leaseLimitAt: new Date(Date.now() + 7_200_000).toISOString(),
};

const claimed: ClaimedTask = {
  task,
  transcript: {
    schemaVersion: 1,
    interactionId: "int-1",
    agent: "agt-1",
    channel: "chat",
    language: "en-US",
    startedAt: "2026-11-02T10:00:00Z",
    endedAt: "2026-11-02T10:05:00Z",
    turns: [
      {
        id: "t1",
        role: "customer",
        text: "<img src=x onerror=alert(1)>late",
        at: "2026-11-02T10:00:00Z",
      },
      { id: "t2", role: "agent", text: "Sorry, checking.", at: "2026-11-02T10:01:00Z" },
    ],
  } as ClaimedTask["transcript"],
};

/** An API client that hands out one task and records what the page sends. */
function fakeApi(overrides: Partial<ApiClient> = {}) {
  const scored: ScoreBody[] = [];
  const api: ApiClient = {
    token: () => "t",
    signOut: vi.fn(),
    get: vi.fn(),
    post: vi.fn(),
    rubric: async () => RUBRIC_V1,
    claim: vi.fn(async () => (scored.length === 0 ? task : null)),
    task: vi.fn(async () => claimed),
    extend: vi.fn(async () => task),
    release: vi.fn(async () => undefined),
    score: vi.fn(async (_id: string, body: ScoreBody) => {
      scored.push(body);
    }),
    myReviews: vi.fn(async () => []),
    ...overrides,
  };
  return { api, scored };
}

async function claimTask(api: ApiClient) {
  render(<ReviewerApp api={api} signOutUrl="/sign-out" who="ana · reviewers" />);
  fireEvent.keyDown(document, { key: "c" });
  await screen.findByText("Sorry, checking.");
}

afterEach(cleanup);

describe("reviewer page", () => {
  it("shows transcript text as text, never as markup", async () => {
    const { api } = fakeApi();
    await claimTask(api);
    expect(screen.getByText("<img src=x onerror=alert(1)>late")).toBeTruthy();
    expect(document.querySelector(".turns img")).toBeNull();
  });

  it("scores with the keyboard and submits the rubric's body, then claims the next task", async () => {
    const { api, scored } = fakeApi();
    await claimTask(api);
    for (const key of ["4", "5", "3"]) fireEvent.keyDown(document, { key });
    await waitFor(() => expect(document.querySelectorAll('[aria-pressed="true"]')).toHaveLength(3));
    fireEvent.keyDown(document, { key: "Enter" });
    await waitFor(() => expect(scored).toHaveLength(1));
    expect(scored[0]?.scores).toEqual({
      consistency: { value: 4 },
      scriptReliance: { value: 5 },
      empathy: { value: 3 },
    });
    await screen.findByText("Nothing to review right now.");
  });

  it("asks for evidence for a low score and sends the turns cited for it", async () => {
    const { api, scored } = fakeApi();
    await claimTask(api);
    fireEvent.keyDown(document, { key: "2" });
    await screen.findByText("A score of 1–2 needs evidence: click the turns that show it.");
    fireEvent.click(screen.getByText("Sorry, checking."));
    await screen.findByText("Evidence: t2");
    expect(document.querySelector('[data-turn="t2"]')?.classList.contains("cited")).toBe(true);
    fireEvent.keyDown(document, { key: "ArrowDown" });
    fireEvent.keyDown(document, { key: "4" });
    fireEvent.keyDown(document, { key: "4" });
    fireEvent.keyDown(document, { key: "Enter" });
    await waitFor(() => expect(scored).toHaveLength(1));
    expect(scored[0]?.scores.consistency).toEqual({ value: 2, evidence: ["t2"] });
  });

  it("cites evidence from the keyboard: J/K pick a turn, X cites it for the focused dimension", async () => {
    const { api, scored } = fakeApi();
    await claimTask(api);
    fireEvent.keyDown(document, { key: "1" });
    fireEvent.keyDown(document, { key: "j" });
    fireEvent.keyDown(document, { key: "j" });
    await waitFor(() =>
      expect(document.querySelector('[data-turn="t2"]')?.getAttribute("aria-current")).toBe("true"),
    );
    fireEvent.keyDown(document, { key: "x" });
    await screen.findByText("t2 cited for Consistency across channels.");
    await screen.findByText("Evidence: t2");
    for (const key of ["ArrowDown", "4", "4", "Enter"]) fireEvent.keyDown(document, { key });
    await waitFor(() => expect(scored).toHaveLength(1));
    expect(scored[0]?.scores.consistency).toEqual({ value: 1, evidence: ["t2"] });
  });

  it("refuses to submit until every dimension is scored", async () => {
    const { api } = fakeApi();
    await claimTask(api);
    fireEvent.keyDown(document, { key: "4" });
    fireEvent.click(screen.getByRole("button", { name: "Submit (Enter)" }));
    await screen.findByText("Score every dimension first: Reliance on scripts, Empathy.");
    expect(api.score).not.toHaveBeenCalled();
  });

  it("drops the task and says why when the lease was lost", async () => {
    const { api } = fakeApi({
      score: vi.fn(async () => {
        throw new ApiError("the lease on task tk-1 has expired", 409, null);
      }),
    });
    await claimTask(api);
    for (const key of ["4", "4", "4", "Enter"]) fireEvent.keyDown(document, { key });
    await screen.findByText("the lease on task tk-1 has expired");
    expect((document.getElementById("review") as HTMLElement).hidden).toBe(true);
    expect((document.getElementById("empty") as HTMLElement).hidden).toBe(false);
  });

  it("hands back a task whose transcript is gone", async () => {
    const { api } = fakeApi({
      task: vi.fn(async () => {
        throw new ApiError("the transcript has been deleted: release the task", 410, null);
      }),
    });
    render(<ReviewerApp api={api} signOutUrl="/sign-out" who="" />);
    fireEvent.click(screen.getByRole("button", { name: "Claim next" }));
    await screen.findByText("the transcript has been deleted: release the task");
    expect(api.release).toHaveBeenCalledWith(task.taskId, "technical-problem");
  });
});

describe("MyReviews", () => {
  it("has one column per dimension of the rubric it is given, N/A shown as such", async () => {
    const { MyReviews } = await import("../../web/reviewer/my-reviews");
    const [first, second, third] = RUBRIC_V1.dimensions;
    if (!first || !second || !third) throw new Error("rubric v1 has three dimensions");
    render(
      <MyReviews
        dimensions={[first, third]}
        reviews={[
          {
            taskId: "tk-1",
            interactionId: "int-9",
            submittedAt: "2026-11-02T10:00:00Z",
            scores: {
              [first.id]: { value: 4 },
              [second.id]: { value: 2 },
              [third.id]: { na: true },
            },
          } as never,
        ]}
      />,
    );
    const headers = screen.getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["when", "interaction", first.name, third.name]);
    const cells = screen.getAllByRole("cell").map((c) => c.textContent);
    expect(cells.slice(1)).toEqual(["int-9", "4", "N/A"]);
  });
});
