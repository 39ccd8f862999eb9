import type { DimensionScore } from "../../shared/score";
import type { MyReview } from "../lib/api";

const show = (score: DimensionScore | undefined) =>
  score === undefined ? "" : "na" in score ? "N/A" : String(score.value);

/** The reviewer's own submitted reviews, newest first as the API lists them. */
export function MyReviews({ reviews }: { reviews: readonly MyReview[] }) {
  return (
    <section id="reviews">
      <h2>My reviews</h2>
      <table>
        <thead>
          <tr>
            <th>when</th>
            <th>interaction</th>
            <th>consistency</th>
            <th>script</th>
            <th>empathy</th>
          </tr>
        </thead>
        <tbody id="reviewRows">
          {reviews.map((r) => (
            <tr key={r.taskId}>
              <td>{new Date(r.submittedAt).toLocaleString()}</td>
              <td>{r.interactionId}</td>
              <td>{show(r.scores.consistency)}</td>
              <td>{show(r.scores.scriptReliance)}</td>
              <td>{show(r.scores.empathy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
