import type { RubricDimension } from "../../shared/rubric";
import type { DraftScore } from "./scores";

/** Props of {@link DimensionCard}. */
export interface DimensionCardProps {
  dimension: RubricDimension;
  score: DraftScore | undefined;
  focused: boolean;
  /** Scores at or below this level need evidence. */
  evidenceAtOrBelow: number;
  onFocus: () => void;
  onValue: (value: number) => void;
  onNa: () => void;
}

const VALUES = [1, 2, 3, 4, 5] as const;

/** One rubric dimension: its question, the 1–5 and N/A buttons, and what the score means. */
export function DimensionCard(props: DimensionCardProps) {
  const { dimension, score, focused, evidenceAtOrBelow } = props;
  const value = score && "value" in score ? score.value : undefined;
  const na = score && "na" in score ? score.na : undefined;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard moves between dimensions with ↑/↓ and Tab (the page's key handler)
    // biome-ignore lint/a11y/noStaticElementInteractions: same reason
    <div
      class={`dim${focused ? " focused" : ""}`}
      data-dim={dimension.id}
      onClick={() => {
        if (!focused) props.onFocus();
      }}
    >
      <h3>{dimension.name}</h3>
      <p class="q">{dimension.question}</p>
      <div class="scale">
        {VALUES.map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={value === v ? "true" : "false"}
            title={dimension.anchors[v - 1]}
            onClick={(event) => {
              event.stopPropagation();
              props.onFocus();
              props.onValue(v);
            }}
          >
            {v}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={na !== undefined ? "true" : "false"}
          onClick={(event) => {
            event.stopPropagation();
            props.onFocus();
            props.onNa();
          }}
        >
          N/A
        </button>
      </div>
      <p class="anchor">
        {value !== undefined
          ? `${value} — ${dimension.anchors[value - 1]}`
          : na !== undefined
            ? `N/A: ${na}`
            : "Not scored yet."}
      </p>
      {score && "value" in score && score.value <= evidenceAtOrBelow ? (
        <p class="evidence">
          {score.evidence.length > 0
            ? `Evidence: ${score.evidence.join(", ")}`
            : "A score of 1–2 needs evidence: click the turns that show it."}
        </p>
      ) : null}
    </div>
  );
}
