import { useEffect, useRef } from "preact/hooks";
import type { ReviewerTranscript } from "../lib/api";

/** Props of {@link TranscriptView}. */
export interface TranscriptViewProps {
  taskId: string;
  transcript: ReviewerTranscript;
  /** Turns cited as evidence by any dimension. */
  cited: ReadonlySet<string>;
  /** The turn J/K point at, if any. */
  cursor: number | null;
  onTurnClick: (turnId: string) => void;
}

/**
 * The transcript, turn by turn. Its text is untrusted and is rendered as text only (Preact
 * sets text nodes, never HTML).
 */
export function TranscriptView(props: TranscriptViewProps) {
  const { taskId, transcript, cited, cursor, onTurnClick } = props;
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (cursor === null) return;
    list.current?.children[cursor]?.scrollIntoView({ block: "nearest" });
  }, [cursor]);
  return (
    <section aria-label="transcript">
      <div class="meta" id="meta" data-task={taskId}>
        <span>channel: {transcript.channel}</span>
        <span>agent: {transcript.agent}</span>
        <span>started: {new Date(transcript.startedAt).toLocaleString()}</span>
        <span>language: {transcript.language}</span>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the transcript scrolls on its own, so it must take keyboard focus to be scrolled without a pointer */}
      <ol class="turns" id="turns" aria-label="turns" tabIndex={0} ref={list}>
        {transcript.turns.map((turn, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard cites a turn with J/K and X (the page's key handler); a button role would break the list's semantics
          <li
            key={turn.id}
            class={`turn ${turn.role}${cited.has(turn.id) ? " cited" : ""}${i === cursor ? " cursor" : ""}`}
            data-turn={turn.id}
            aria-current={i === cursor ? "true" : undefined}
            onClick={() => onTurnClick(turn.id)}
          >
            <div class="head">
              <b>{turn.role}</b>
              <span>{turn.id}</span>
              <span>{new Date(turn.at).toLocaleTimeString()}</span>
            </div>
            <div class="text">{turn.text}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
