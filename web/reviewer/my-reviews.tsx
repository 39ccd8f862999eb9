import type { Rubric } from "../../shared/rubric";
import type { DimensionScore } from "../../shared/score";
import type { MyReview } from "../lib/api";

const show = (score: DimensionScore | undefined) =>
  score === undefined ? "" : "na" in score ? "N/A" : String(score.value);

/**
 * The reviewer's own submitted reviews, newest first as the API lists them, one column per
 * dimension of the rubric the page works with.
 */
export function MyReviews({
  reviews,
  dimensions,
}: {
  reviews: readonly MyReview[];
  dimensions: Rubric["dimensions"];
}) {
  return (
    <section id="reviews">
      <h2>My reviews</h2>
      <table>
        <thead>
          <tr>
            <th>when</th>
            <th>interaction</th>
            {dimensions.map((d) => (
              <th key={d.id}>{d.name}</th>
            ))}
          </tr>
        </thead>
        <tbody id="reviewRows">
          {reviews.map((r) => (
            <tr key={r.taskId}>
              <td>{new Date(r.submittedAt).toLocaleString()}</td>
              <td>{r.interactionId}</td>
              {dimensions.map((d) => (
                <td key={d.id}>{show(r.scores[d.id])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
