/**
 * The reviewer's page: claim, read, score, submit, next. Static HTML; the script talks to the
 * JSON API with the bearer token kept in sessionStorage, and writes every piece of
 * transcript text with `textContent` — transcript text is untrusted and is never parsed as
 * HTML.
 */
export function reviewerPage(options: { signInUrl: string; signOutUrl?: string }): string {
  const signIn = JSON.stringify(options.signInUrl);
  const signOut = JSON.stringify(options.signOutUrl ?? options.signInUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spotcheck · review</title>
<style>
  :root { --ink:#1d2430; --muted:#5b6678; --line:#e3e7ee; --accent:#2b59c3; --bg:#f6f7fb; --warn:#b7791f; --bad:#c53030; --ok:#1f8a4c; }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
  header { background:#fff; border-bottom:1px solid var(--line); padding:10px 16px; display:flex; gap:12px; align-items:center; flex-wrap:wrap; }
  header h1 { font-size:17px; margin:0; }
  header .who { color:var(--muted); font-size:14px; margin-left:auto; }
  header a { color:var(--accent); font-size:14px; }
  button { font: inherit; border:1px solid var(--line); background:#fff; border-radius:8px; padding:6px 12px; cursor:pointer; }
  button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
  button[aria-pressed="true"] { background:var(--accent); color:#fff; border-color:var(--accent); }
  button:disabled { opacity:.5; cursor:default; }
  main { max-width:1200px; margin:0 auto; padding:16px; }
  .empty { background:#fff; border:1px solid var(--line); border-radius:10px; padding:32px; text-align:center; }
  .layout { display:grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap:16px; }
  @media (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
  section { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
  .meta { color:var(--muted); font-size:13px; display:flex; gap:12px; flex-wrap:wrap; margin-bottom:8px; }
  .turns { list-style:none; margin:0; padding:0; display:grid; gap:8px; max-height:70vh; overflow:auto; }
  .turn { border:1px solid var(--line); border-radius:8px; padding:8px 10px; cursor:pointer; }
  .turn.agent { background:#eef3ff; } .turn.customer { background:#fff; } .turn.bot, .turn.system { background:#f3f4f6; }
  .turn.cited { outline:2px solid var(--warn); }
  .turn .head { font-size:12px; color:var(--muted); display:flex; gap:8px; }
  .turn .text { white-space:pre-wrap; word-break:break-word; }
  .dim { border:1px solid var(--line); border-radius:8px; padding:8px 10px; margin-bottom:10px; }
  .dim.focused { border-color:var(--accent); box-shadow:0 0 0 2px #d6e0fa; }
  .dim h3 { font-size:14px; margin:0 0 4px; }
  .dim .q { font-size:13px; color:var(--muted); margin:0 0 6px; }
  .scale { display:flex; gap:6px; flex-wrap:wrap; }
  .anchor { font-size:13px; margin:6px 0 0; min-height:2.6em; }
  .evidence { font-size:12px; color:var(--warn); }
  .bar { display:flex; gap:8px; align-items:center; flex-wrap:wrap; margin-top:8px; }
  /* Submit stays on screen while the score panel is: it sticks to the bottom of the viewport. */
  .bar.actions { position:sticky; bottom:0; z-index:2; background:#fff; margin:8px -14px 0; padding:8px 14px; border-top:1px solid var(--line); box-shadow:0 -4px 8px -6px rgba(29,36,48,.25); }
  .lease { font-variant-numeric: tabular-nums; font-weight:600; }
  .lease.low { color:var(--bad); }
  .msg { min-height:1.4em; font-size:14px; }
  .msg.err { color:var(--bad); } .msg.ok { color:var(--ok); }
  .keys { color:var(--muted); font-size:12px; }
  textarea { width:100%; font:inherit; border:1px solid var(--line); border-radius:8px; padding:6px; }
  table { border-collapse:collapse; width:100%; font-size:14px; } td, th { text-align:left; padding:4px 6px; border-bottom:1px solid var(--line); }
</style>
</head>
<body>
<header>
  <h1>Spotcheck · review</h1>
  <button id="claim" class="primary">Claim next</button>
  <button id="mine">My reviews</button>
  <a href="/dashboard">Dashboard</a>
  <span class="who" id="who"></span>
  <button id="signout">Sign out</button>
</header>
<main>
  <p class="msg" id="msg" role="status"></p>
  <div id="empty" class="empty">Press <b>Claim next</b> (or <kbd>C</kbd>) to get the next interaction to review.</div>
  <div id="review" class="layout" hidden>
    <section aria-label="transcript">
      <div class="meta" id="meta"></div>
      <ol class="turns" id="turns"></ol>
    </section>
    <section aria-label="scores">
      <div id="dims"></div>
      <label class="keys" for="comment">Comment</label>
      <textarea id="comment" rows="2"></textarea>
      <div class="bar actions">
        <button id="submit" class="primary">Submit (Enter)</button>
        <button id="skip">Skip</button>
        <span class="lease" id="lease"></span>
        <button id="extend">Extend</button>
      </div>
      <p class="keys">Keys: 1–5 score · N not applicable · ↑/↓ or Tab dimension · click turns to cite them as evidence · Enter submit · C claim next</p>
    </section>
  </div>
  <section id="reviews" hidden><h2>My reviews</h2><table><thead><tr><th>when</th><th>interaction</th><th>consistency</th><th>script</th><th>empathy</th></tr></thead><tbody id="reviewRows"></tbody></table></section>
</main>
<script>
(() => {
  const token = sessionStorage.getItem("spotcheck.token");
  if (!token) { location.href = ${signIn}; return; }
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => { const n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = String(text); return n; };
  const DIMS = [["consistency", "Consistency across channels"], ["scriptReliance", "Reliance on scripts"], ["empathy", "Empathy"]];
  let rubric = null, task = null, transcript = null, focus = 0, started = 0, timer = null;
  let scores = {};

  try { const p = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))); $("who").textContent = p.sub + " · " + (p["cognito:groups"] || []).join(", "); } catch {}

  function say(text, kind) { $("msg").textContent = text; $("msg").className = "msg " + (kind || ""); }
  async function api(method, path, body) {
    const res = await fetch(path, { method, headers: { authorization: "Bearer " + token, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (res.status === 401) { sessionStorage.removeItem("spotcheck.token"); location.href = ${signIn}; throw new Error("signed out"); }
    const data = res.status === 204 ? null : await res.json();
    if (!res.ok) { const e = new Error(data && data.error ? data.error : "request failed"); e.status = res.status; e.data = data; throw e; }
    return data;
  }

  function renderDims() {
    const box = $("dims"); box.replaceChildren();
    DIMS.forEach(([id, name], i) => {
      const d = rubric.dimensions.find((x) => x.id === id);
      const card = el("div", "dim" + (i === focus ? " focused" : "")); card.dataset.dim = id;
      card.append(el("h3", "", name), el("p", "q", d.question));
      const scale = el("div", "scale");
      for (let v = 1; v <= 5; v++) {
        const b = el("button", "", v); b.type = "button"; b.setAttribute("aria-pressed", String(scores[id] && scores[id].value === v));
        b.title = d.anchors[v - 1]; b.onclick = () => { focus = i; setValue(v); };
        scale.append(b);
      }
      const na = el("button", "", "N/A"); na.type = "button"; na.setAttribute("aria-pressed", String(!!(scores[id] && scores[id].na)));
      na.onclick = () => { focus = i; setNa(); }; scale.append(na);
      card.append(scale);
      const s = scores[id];
      card.append(el("p", "anchor", s && s.value ? s.value + " — " + d.anchors[s.value - 1] : s && s.na ? "N/A: " + s.na : "Not scored yet."));
      if (s && s.value && s.value <= rubric.evidenceRequiredAtOrBelow) card.append(el("p", "evidence", s.evidence && s.evidence.length ? "Evidence: " + s.evidence.join(", ") : "A score of 1–2 needs evidence: click the turns that show it."));
      card.onclick = () => { if (focus !== i) { focus = i; renderDims(); } };
      box.append(card);
    });
    document.querySelectorAll(".turn").forEach((t) => t.classList.toggle("cited", Object.values(scores).some((s) => s.evidence && s.evidence.includes(t.dataset.turn))));
  }
  function current() { return DIMS[focus][0]; }
  function setValue(v) { const prev = scores[current()]; scores[current()] = { value: v, evidence: prev && prev.evidence ? prev.evidence : [] }; renderDims(); }
  function setNa() { const reason = prompt("Why is " + DIMS[focus][1] + " not applicable?", "no emotion expressed"); if (reason && reason.trim().length >= 3) { scores[current()] = { na: reason.trim() }; renderDims(); } }
  function toggleEvidence(turnId) {
    const s = scores[current()]; if (!s || !s.value) { say("Score " + DIMS[focus][1] + " first, then cite turns.", "err"); return; }
    s.evidence = s.evidence || []; const at = s.evidence.indexOf(turnId); if (at >= 0) s.evidence.splice(at, 1); else s.evidence.push(turnId); renderDims();
  }

  function renderTask() {
    $("empty").hidden = true; $("reviews").hidden = true; $("review").hidden = false;
    const meta = $("meta"); meta.dataset.task = task.taskId; meta.replaceChildren(el("span", "", "channel: " + transcript.channel), el("span", "", "agent: " + transcript.agent), el("span", "", "started: " + new Date(transcript.startedAt).toLocaleString()), el("span", "", "language: " + transcript.language));
    const list = $("turns"); list.replaceChildren();
    for (const t of transcript.turns) {
      const li = el("li", "turn " + t.role); li.dataset.turn = t.id;
      const head = el("div", "head"); head.append(el("b", "", t.role), el("span", "", t.id), el("span", "", new Date(t.at).toLocaleTimeString()));
      li.append(head, el("div", "text", t.text));
      li.onclick = () => toggleEvidence(t.id);
      list.append(li);
    }
    scores = {}; focus = 0; $("comment").value = ""; started = Date.now(); renderDims(); tick();
    clearInterval(timer); timer = setInterval(tick, 1000);
  }
  function tick() {
    if (!task) return; const left = Math.max(0, Math.round((Date.parse(task.leaseExpiresAt) - Date.now()) / 1000));
    $("lease").textContent = "lease " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0"); $("lease").className = "lease" + (left < 120 ? " low" : "");
  }
  function clearTask(message, kind) { task = null; transcript = null; clearInterval(timer); $("review").hidden = true; $("empty").hidden = false; if (message) say(message, kind); }

  async function claim() {
    say("Claiming…");
    try {
      await rubricReady;
      const data = await api("POST", "/api/tasks/claim");
      if (!data) { clearTask("Nothing to review right now.", ""); return; }
      task = data.task; let full;
      try { full = await api("GET", "/api/tasks/" + task.taskId); }
      catch (e) { if (e.status === 410) await api("POST", "/api/tasks/" + task.taskId + "/release", { reason: "technical-problem" }).catch(() => {}); task = null; throw e; }
      transcript = full.transcript; task = full.task; renderTask(); say("");
    } catch (e) { say(e.message, "err"); }
  }
  async function submit() {
    if (!task) return;
    const missing = DIMS.filter(([id]) => !scores[id]).map(([, n]) => n);
    if (missing.length) { say("Score every dimension first: " + missing.join(", ") + ".", "err"); return; }
    const body = { scores: {}, durationMs: Date.now() - started };
    for (const [id] of DIMS) { const s = scores[id]; body.scores[id] = s.na ? { na: s.na } : s.value <= rubric.evidenceRequiredAtOrBelow ? { value: s.value, evidence: s.evidence } : { value: s.value }; }
    const comment = $("comment").value.trim(); if (comment) body.comment = comment;
    try { await api("POST", "/api/tasks/" + task.taskId + "/score", body); say("Saved. Loading the next one…", "ok"); await claim(); }
    catch (e) { if (e.status === 409) clearTask(e.message, "err"); else say(e.data && e.data.fields && e.data.fields.length ? e.data.fields.map((f) => f.path + ": " + f.message).join("; ") : e.message, "err"); }
  }
  async function skip() {
    if (!task) return; const reason = prompt("Why skip? (conflict-of-interest, not-enough-context, language, technical-problem, other)", "not-enough-context");
    if (!reason) return; try { await api("POST", "/api/tasks/" + task.taskId + "/release", { reason: reason.trim() }); clearTask("Skipped.", ""); } catch (e) { say(e.message, "err"); }
  }
  async function extend() { if (!task) return; try { const d = await api("POST", "/api/tasks/" + task.taskId + "/extend"); task = d.task; tick(); say("Lease extended.", "ok"); } catch (e) { if (e.status === 409) clearTask(e.message, "err"); else say(e.message, "err"); } }
  async function mine() {
    try {
      const d = await api("GET", "/api/me/reviews"); const rows = $("reviewRows"); rows.replaceChildren();
      const show = (s) => (s.na ? "N/A" : s.value);
      for (const r of d.reviews) { const tr = el("tr"); tr.append(el("td", "", new Date(r.submittedAt).toLocaleString()), el("td", "", r.interactionId), el("td", "", show(r.scores.consistency)), el("td", "", show(r.scores.scriptReliance)), el("td", "", show(r.scores.empathy))); rows.append(tr); }
      $("reviews").hidden = false;
    } catch (e) { say(e.message, "err"); }
  }

  document.addEventListener("keydown", (e) => {
    if (e.target && (e.target.tagName === "TEXTAREA" || e.target.tagName === "INPUT")) return;
    if (!task) { if (e.key === "c" || e.key === "C") claim(); return; }
    if (/^[1-5]$/.test(e.key)) { setValue(Number(e.key)); if (focus < DIMS.length - 1 && !(Number(e.key) <= rubric.evidenceRequiredAtOrBelow)) { focus++; renderDims(); } e.preventDefault(); }
    else if (e.key === "n" || e.key === "N") { setNa(); e.preventDefault(); }
    else if (e.key === "ArrowDown" || (e.key === "Tab" && !e.shiftKey)) { focus = (focus + 1) % DIMS.length; renderDims(); e.preventDefault(); }
    else if (e.key === "ArrowUp" || (e.key === "Tab" && e.shiftKey)) { focus = (focus + DIMS.length - 1) % DIMS.length; renderDims(); e.preventDefault(); }
    else if (e.key === "Enter") { submit(); e.preventDefault(); }
  });
  $("claim").onclick = claim; $("submit").onclick = submit; $("skip").onclick = skip; $("extend").onclick = extend; $("mine").onclick = mine;
  $("signout").onclick = () => { sessionStorage.removeItem("spotcheck.token"); location.href = ${signOut}; };
  const rubricReady = fetch("/api/rubric").then((r) => r.json()).then((r) => { rubric = r; });
})();
</script>
</body>
</html>`;
}
