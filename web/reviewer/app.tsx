import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Rubric } from "../../shared/rubric";
import type { ReviewerTask } from "../../shared/task";
import { type ApiClient, ApiError, type MyReview, type ReviewerTranscript } from "../lib/api";
import { DimensionCard } from "./dimension-card";
import { MyReviews } from "./my-reviews";
import {
  citedTurns,
  type Draft,
  submission,
  unscored,
  withEvidenceToggled,
  withNa,
  withValue,
} from "./scores";
import { TranscriptView } from "./transcript-view";

/** Where Sign out goes, and who is signed in. */
export interface ReviewerAppProps {
  api: ApiClient;
  signOutUrl: string;
  /** The signed-in user as the header shows it. */
  who: string;
  /** Asks the reviewer for a line of text (window.prompt in the browser). */
  ask?: (question: string, suggestion: string) => string | null;
}

type Message = { text: string; kind: "" | "ok" | "err" };

const LEASE_LOW_SECONDS = 120;

/**
 * The reviewer's page: claim, read, score, submit, next. Scoring is keyboard-first (1–5,
 * N, ↑/↓ or Tab, Enter, C), and every button works with the pointer too.
 */
export function ReviewerApp({ api, signOutUrl, who, ask = defaultAsk }: ReviewerAppProps) {
  const [rubric, setRubric] = useState<Rubric | null>(null);
  const [claimed, setClaimed] = useState<{
    task: ReviewerTask;
    transcript: ReviewerTranscript;
  } | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [focus, setFocus] = useState(0);
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<Message>({ text: "", kind: "" });
  const [reviews, setReviews] = useState<MyReview[] | null>(null);
  const [now, setNow] = useState(() => Date.now());
  // The turn J/K point at, which X cites: evidence can be cited without a pointer.
  const [turnCursor, setTurnCursor] = useState<number | null>(null);
  const started = useRef(0);
  const rubricReady = useRef<Promise<Rubric> | null>(null);

  if (rubricReady.current === null) rubricReady.current = api.rubric();
  useEffect(() => {
    rubricReady.current?.then(setRubric).catch((e: unknown) => say(errorText(e), "err"));
  }, []);

  const task = claimed?.task ?? null;
  useEffect(() => {
    if (!task) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [task]);

  const say = (text: string, kind: Message["kind"] = "") => setMessage({ text, kind });
  const dimensions = rubric?.dimensions ?? [];
  const current = dimensions[focus];

  function clearTask(text?: string, kind: Message["kind"] = "") {
    setClaimed(null);
    if (text) say(text, kind);
  }

  async function claim() {
    say("Claiming…");
    try {
      await rubricReady.current;
      const next = await api.claim();
      if (!next) {
        clearTask("Nothing to review right now.");
        return;
      }
      let full: Awaited<ReturnType<ApiClient["task"]>>;
      try {
        full = await api.task(next.taskId);
      } catch (e) {
        // A transcript that is gone can never be reviewed: hand the task straight back.
        if (e instanceof ApiError && e.status === 410)
          await api.release(next.taskId, "technical-problem").catch(() => undefined);
        throw e;
      }
      setClaimed(full);
      setDraft({});
      setFocus(0);
      setTurnCursor(null);
      setComment("");
      setReviews(null);
      started.current = Date.now();
      say("");
    } catch (e) {
      say(errorText(e), "err");
    }
  }

  function setValue(dimension: string, value: number) {
    setDraft((d) => withValue(d, dimension, value));
  }

  function setNa(index: number) {
    const dimension = dimensions[index];
    if (!dimension) return;
    const reason = ask(`Why is ${dimension.name} not applicable?`, "no emotion expressed");
    if (reason && reason.trim().length >= 3)
      setDraft((d) => withNa(d, dimension.id, reason.trim()));
  }

  function toggleEvidence(turnId: string) {
    if (!current) return;
    const next = withEvidenceToggled(draft, current.id, turnId);
    if (next) setDraft(next);
    else say(`Score ${current.name} first, then cite turns.`, "err");
  }

  async function submit() {
    if (!claimed || !rubric) return;
    const missing = unscored(rubric, draft);
    if (missing.length > 0) {
      say(`Score every dimension first: ${missing.join(", ")}.`, "err");
      return;
    }
    const body = submission(rubric, draft, Date.now() - started.current, comment);
    try {
      await api.score(claimed.task.taskId, body);
      say("Saved. Loading the next one…", "ok");
      await claim();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) clearTask(e.message, "err");
      else say(e instanceof ApiError ? (e.fieldSummary ?? e.message) : errorText(e), "err");
    }
  }

  async function skip() {
    if (!claimed) return;
    const reason = ask(
      "Why skip? (conflict-of-interest, not-enough-context, language, technical-problem, other)",
      "not-enough-context",
    );
    if (!reason) return;
    try {
      await api.release(claimed.task.taskId, reason.trim());
      clearTask("Skipped.");
    } catch (e) {
      say(errorText(e), "err");
    }
  }

  async function extend() {
    if (!claimed) return;
    try {
      const extended = await api.extend(claimed.task.taskId);
      setClaimed({ ...claimed, task: extended });
      say("Lease extended.", "ok");
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) clearTask(e.message, "err");
      else say(errorText(e), "err");
    }
  }

  async function mine() {
    try {
      setReviews(await api.myReviews());
    } catch (e) {
      say(errorText(e), "err");
    }
  }

  function onKey(e: KeyboardEvent) {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT")) return;
    if (!claimed || !rubric) {
      if (e.key === "c" || e.key === "C") void claim();
      return;
    }
    const count = dimensions.length;
    if (/^[1-5]$/.test(e.key)) {
      const value = Number(e.key);
      if (current) setValue(current.id, value);
      // A low score waits on its dimension for the evidence to be cited.
      if (focus < count - 1 && value > rubric.evidenceRequiredAtOrBelow) setFocus(focus + 1);
      e.preventDefault();
    } else if (e.key === "n" || e.key === "N") {
      setNa(focus);
      e.preventDefault();
    } else if (e.key === "ArrowDown" || (e.key === "Tab" && !e.shiftKey)) {
      setFocus((focus + 1) % count);
      e.preventDefault();
    } else if (e.key === "ArrowUp" || (e.key === "Tab" && e.shiftKey)) {
      setFocus((focus + count - 1) % count);
      e.preventDefault();
    } else if (e.key === "j" || e.key === "J" || e.key === "k" || e.key === "K") {
      const turns = claimed.transcript.turns.length;
      const step = e.key === "j" || e.key === "J" ? 1 : -1;
      const next =
        turnCursor === null
          ? step > 0
            ? 0
            : turns - 1
          : Math.min(turns - 1, Math.max(0, turnCursor + step));
      const turn = claimed.transcript.turns[next];
      setTurnCursor(next);
      if (turn) say(`Turn ${turn.id} (${turn.role}): X cites it.`);
      e.preventDefault();
    } else if (e.key === "x" || e.key === "X") {
      const turn = turnCursor === null ? undefined : claimed.transcript.turns[turnCursor];
      if (!turn) say("Pick a turn with J or K first, then press X to cite it.", "err");
      else if (current) {
        const next = withEvidenceToggled(draft, current.id, turn.id);
        if (!next) say(`Score ${current.name} first, then cite turns.`, "err");
        else {
          setDraft(next);
          const score = next[current.id];
          const cited = score !== undefined && "value" in score && score.evidence.includes(turn.id);
          say(`${turn.id} ${cited ? "cited" : "no longer cited"} for ${current.name}.`, "ok");
        }
      }
      e.preventDefault();
    } else if (e.key === "Enter") {
      void submit();
      e.preventDefault();
    }
  }
  const keyHandler = useRef(onKey);
  keyHandler.current = onKey;
  // Attached as the page renders, not after the next frame: a key pressed right after the
  // page loads (C to claim) must not be lost.
  useLayoutEffect(() => {
    const listener = (e: KeyboardEvent) => keyHandler.current(e);
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);

  const leftSeconds = task
    ? Math.max(0, Math.round((Date.parse(task.leaseExpiresAt) - now) / 1000))
    : 0;
  const cited = citedTurns(draft);

  return (
    <>
      <header>
        <h1>Spotcheck · review</h1>
        <button type="button" id="claim" class="primary" onClick={() => void claim()}>
          Claim next
        </button>
        <button type="button" id="mine" onClick={() => void mine()}>
          My reviews
        </button>
        <a href="/dashboard">Dashboard</a>
        <span class="who" id="who">
          {who}
        </span>
        <button type="button" id="signout" onClick={() => api.signOut(signOutUrl)}>
          Sign out
        </button>
      </header>
      <main>
        <p class={`msg ${message.kind}`} id="msg" role="status">
          {message.text}
        </p>
        <div id="empty" class="empty" hidden={claimed !== null}>
          Press <b>Claim next</b> (or <kbd>C</kbd>) to get the next interaction to review.
        </div>
        <div id="review" class="layout" hidden={claimed === null}>
          {claimed && rubric ? (
            <>
              <TranscriptView
                taskId={claimed.task.taskId}
                transcript={claimed.transcript}
                cited={cited}
                cursor={turnCursor}
                onTurnClick={toggleEvidence}
              />
              <section aria-label="scores">
                <div id="dims">
                  {dimensions.map((d, i) => (
                    <DimensionCard
                      key={d.id}
                      dimension={d}
                      score={draft[d.id]}
                      focused={i === focus}
                      evidenceAtOrBelow={rubric.evidenceRequiredAtOrBelow}
                      onFocus={() => setFocus(i)}
                      onValue={(v) => setValue(d.id, v)}
                      onNa={() => setNa(i)}
                    />
                  ))}
                </div>
                <label class="keys" for="comment">
                  Comment
                </label>
                <textarea
                  id="comment"
                  rows={2}
                  value={comment}
                  onInput={(e) => setComment(e.currentTarget.value)}
                />
                <div class="bar actions">
                  <button type="button" id="submit" class="primary" onClick={() => void submit()}>
                    Submit (Enter)
                  </button>
                  <button type="button" id="skip" onClick={() => void skip()}>
                    Skip
                  </button>
                  <span class={`lease${leftSeconds < LEASE_LOW_SECONDS ? " low" : ""}`} id="lease">
                    lease {Math.floor(leftSeconds / 60)}:{String(leftSeconds % 60).padStart(2, "0")}
                  </span>
                  <button type="button" id="extend" onClick={() => void extend()}>
                    Extend
                  </button>
                </div>
                <p class="keys">
                  Keys: 1–5 score · N not applicable · ↑/↓ or Tab dimension · click turns (or pick
                  one with J/K and press X) to cite them as evidence · Enter submit · C claim next
                </p>
              </section>
            </>
          ) : null}
        </div>
        {reviews ? <MyReviews reviews={reviews} dimensions={dimensions} /> : null}
      </main>
    </>
  );
}

function defaultAsk(question: string, suggestion: string): string | null {
  return window.prompt(question, suggestion);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
