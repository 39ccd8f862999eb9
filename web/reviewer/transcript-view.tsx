import type { ReviewerTranscript } from "../lib/api";

/** Props of {@link TranscriptView}. */
export interface TranscriptViewProps {
  taskId: string;
  transcript: ReviewerTranscript;
  /** Turns cited as evidence by any dimension. */
  cited: ReadonlySet<string>;
  onTurnClick: (turnId: string) => void;
}

/**
 * The transcript, turn by turn. Its text is untrusted and is rendered as text only (Preact
 * sets text nodes, never HTML).
 */
export function TranscriptView({ taskId, transcript, cited, onTurnClick }: TranscriptViewProps) {
  return (
    <section aria-label="transcript">
      <div class="meta" id="meta" data-task={taskId}>
        <span>channel: {transcript.channel}</span>
        <span>agent: {transcript.agent}</span>
        <span>started: {new Date(transcript.startedAt).toLocaleString()}</span>
        <span>language: {transcript.language}</span>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the transcript scrolls on its own, so it must take keyboard focus to be scrolled without a pointer */}
      <ol class="turns" id="turns" aria-label="turns" tabIndex={0}>
        {transcript.turns.map((turn) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: citing a turn is pointer-only for now (the page's keys score, move and submit); a button role would break the list's semantics
          <li
            key={turn.id}
            class={`turn ${turn.role}${cited.has(turn.id) ? " cited" : ""}`}
            data-turn={turn.id}
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
