/**
 * The page's configuration, written by the server as JSON in
 * `<script type="application/json" id="config">` (data, never code).
 */
export function readPageConfig<T>(doc: Document = document): T {
  const text = doc.getElementById("config")?.textContent;
  if (!text) throw new Error("the page has no configuration element");
  return JSON.parse(text) as T;
}
