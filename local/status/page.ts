/**
 * The local status page. Static HTML; a script polls `/api/status` and fills the page with
 * `textContent` only, so nothing it shows is ever parsed as HTML.
 */
export function statusPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spotcheck · local stack</title>
<style>
  :root { --ink:#1d2430; --muted:#5b6678; --line:#e3e7ee; --ok:#1f8a4c; --warn:#b7791f; --bad:#c53030; --accent:#2b59c3; }
  * { box-sizing: border-box; }
  body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:#f6f7fb; }
  header { background:#fff; border-bottom:1px solid var(--line); padding:16px 24px; display:flex; gap:16px; align-items:center; flex-wrap:wrap; }
  header h1 { font-size:18px; margin:0; }
  .pill { border-radius:999px; padding:2px 10px; font-size:13px; font-weight:600; background:#eef1f6; color:var(--muted); }
  .pill.ok { background:#e3f5ea; color:var(--ok); } .pill.warn { background:#fdf3e1; color:var(--warn); } .pill.bad { background:#fde8e8; color:var(--bad); }
  main { max-width:1040px; margin:0 auto; padding:24px; display:grid; gap:20px; }
  .cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(140px, 1fr)); gap:12px; }
  .card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
  .card .label { color:var(--muted); font-size:13px; } .card .value { font-size:28px; font-weight:650; font-variant-numeric: tabular-nums; }
  section { background:#fff; border:1px solid var(--line); border-radius:10px; padding:16px; overflow-x:auto; }
  section h2 { font-size:15px; margin:0 0 10px; }
  table { border-collapse:collapse; width:100%; font-variant-numeric: tabular-nums; }
  th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); font-size:14px; }
  th { color:var(--muted); font-weight:600; } td.num { text-align:right; }
  code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
  .hint { color:var(--muted); font-size:13px; margin:8px 0 0; }
</style>
</head>
<body>
<header>
  <h1>Spotcheck · local stack</h1>
  <span id="state" class="pill">connecting…</span>
  <span id="seed" class="pill"></span>
  <span class="hint" id="updated"></span>
</header>
<main>
  <div class="cards">
    <div class="card"><div class="label">Transcripts in the bucket</div><div class="value" id="objects">–</div></div>
    <div class="card"><div class="label">In the ledger</div><div class="value" id="ledger">–</div></div>
    <div class="card"><div class="label">Sampled for review</div><div class="value" id="sampled">–</div></div>
    <div class="card"><div class="label">Quarantined</div><div class="value" id="quarantined">–</div></div>
    <div class="card"><div class="label">Duplicates</div><div class="value" id="duplicates">–</div></div>
    <div class="card"><div class="label">Review queue</div><div class="value" id="review">–</div></div>
  </div>
  <section>
    <h2>Sampling by vendor and channel</h2>
    <table><thead><tr><th>vendor</th><th>channel</th><th class="num">ledger</th><th class="num">eligible</th><th class="num">sampled</th><th class="num">realised rate</th><th class="num">floor top-ups</th><th class="num">calibration</th></tr></thead><tbody id="strata"></tbody></table>
    <p class="hint" id="sampling-hint"></p>
  </section>
  <section>
    <h2>Queues</h2>
    <table><thead><tr><th>queue</th><th class="num">visible</th><th class="num">in flight</th><th>URL</th></tr></thead><tbody id="queues"></tbody></table>
  </section>
  <section>
    <h2>Endpoints</h2>
    <table><tbody id="endpoints"></tbody></table>
    <p class="hint">Written to <code>.local/endpoints.json</code>; <code>npm run spotcheck -- …</code> in another terminal uses them.</p>
  </section>
</main>
<script>
  const $ = (id) => document.getElementById(id);
  const fmt = (n) => Number(n).toLocaleString("en-US");
  function row(cells) {
    const tr = document.createElement("tr");
    for (const [text, cls] of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    return tr;
  }
  function pill(el, text, kind) { el.textContent = text; el.className = "pill " + (kind || ""); }
  async function refresh() {
    try {
      const res = await fetch("/api/status", { cache: "no-store" });
      if (!res.ok) throw new Error(String(res.status));
      const s = await res.json();
      const phases = { starting: "starting", seeding: "seeding the demo", sampling: "sampling", closing: "closing ended weeks", ready: "ready" };
      pill($("state"), phases[s.phase] || s.phase, s.ready ? "ok" : "warn");
      const seed = s.seed;
      pill($("seed"), seed.state === "off" ? "no demo data" : seed.state === "seeding" ? "seeding " + fmt(seed.uploaded) + " / " + fmt(seed.total) : seed.state === "done" ? fmt(seed.total) + " demo transcripts seeded" : "seeding failed: " + (seed.detail || ""), seed.state === "failed" ? "bad" : seed.state === "done" ? "ok" : "");
      $("objects").textContent = fmt(s.objects);
      const review = s.queues.find((q) => q.name === "review");
      $("review").textContent = review ? fmt(review.visible + review.inFlight) : "–";
      const sm = s.sampling;
      if (sm) {
        $("ledger").textContent = fmt(sm.totals.ledger);
        $("sampled").textContent = fmt(sm.totals.sampled);
        $("quarantined").textContent = fmt(sm.totals.quarantined);
        $("duplicates").textContent = fmt(sm.totals.duplicates);
        $("strata").replaceChildren(...sm.strata.map((r) => row([[r.vendor], [r.channel], [fmt(r.ledger), "num"], [fmt(r.eligible), "num"], [fmt(r.sampled), "num"], [r.eligible ? (100 * r.sampled / r.eligible).toFixed(1) + "%" : "–", "num"], [fmt(r.floor), "num"], [fmt(r.calibration), "num"]])));
        $("sampling-hint").textContent = fmt(s.events.delivered) + " Object Created events delivered" + (s.events.retried ? ", " + fmt(s.events.retried) + " delivery retries" : "") + (s.events.deadLettered ? ", " + fmt(s.events.deadLettered) + " to the ingest DLQ" : "") + (s.events.failed ? ", " + fmt(s.events.failed) + " undeliverable (reconcile --repair)" : "") + "; sampler: " + fmt(sm.batches) + " batches, " + fmt(sm.retries) + " record retries. Uptime " + Math.floor(s.uptimeSeconds / 60) + "m " + (s.uptimeSeconds % 60) + "s.";
      } else {
        $("sampling-hint").textContent = "The sampler is not running in this stack.";
      }
      $("queues").replaceChildren(...s.queues.map((q) => row([[q.name], [fmt(q.visible), "num"], [fmt(q.inFlight), "num"], [q.url]])));
      const e = s.endpoints;
      $("endpoints").replaceChildren(...[["web", e.web], ["S3", e.s3], ["SQS", e.sqs], ["DynamoDB", e.dynamodb], ["bucket", e.bucket], ["table", e.table], ["region", e.region]].map(([k, v]) => row([[k], [v]])));
      $("updated").textContent = "updated " + new Date().toLocaleTimeString();
    } catch (err) {
      pill($("state"), "stack not answering", "bad");
    }
  }
  refresh();
  setInterval(refresh, 2000);
</script>
</body>
</html>`;
}
