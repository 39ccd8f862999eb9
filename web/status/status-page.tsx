import { useEffect, useState } from "preact/hooks";
import type { StatusView } from "./status-view";

const PHASES: Record<string, string> = {
  starting: "starting",
  seeding: "seeding the demo",
  sampling: "sampling",
  closing: "closing ended weeks",
  ready: "ready",
};

const fmt = (n: number) => Number(n).toLocaleString("en-US");

/** Props of {@link StatusPage}. */
export interface StatusPageProps {
  /** Reads `/api/status`; throws when the stack does not answer. */
  load: () => Promise<StatusView>;
  /** @default 2000 */
  intervalMs?: number;
}

/** The local stack's status page: what is in the bucket, the ledger and the queues, every 2 s. */
export function StatusPage({ load, intervalMs = 2000 }: StatusPageProps) {
  const [status, setStatus] = useState<StatusView | null>(null);
  const [failed, setFailed] = useState(false);
  const [updated, setUpdated] = useState("");

  useEffect(() => {
    let live = true;
    const refresh = async () => {
      try {
        const next = await load();
        if (!live) return;
        setStatus(next);
        setFailed(false);
        setUpdated(`updated ${new Date().toLocaleTimeString()}`);
      } catch {
        if (live) setFailed(true);
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [load, intervalMs]);

  const review = status?.queues.find((q) => q.name === "review");
  const sampling = status?.sampling;
  return (
    <>
      <header>
        <h1>Spotcheck · local stack</h1>
        <StatePill status={status} failed={failed} />
        <SeedPill status={status} />
        <span class="hint" id="updated">
          {updated}
        </span>
      </header>
      <main>
        <div class="cards">
          <Card id="objects" label="Transcripts in the bucket" value={status?.objects} />
          <Card id="ledger" label="In the ledger" value={sampling?.totals.ledger} />
          <Card id="sampled" label="Sampled for review" value={sampling?.totals.sampled} />
          <Card id="quarantined" label="Quarantined" value={sampling?.totals.quarantined} />
          <Card id="duplicates" label="Duplicates" value={sampling?.totals.duplicates} />
          <Card
            id="review"
            label="Review queue"
            value={review ? review.visible + review.inFlight : undefined}
          />
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the section scrolls sideways on a phone, so it must take keyboard focus to be scrolled without a pointer */}
        <section aria-labelledby="samplingTitle" tabIndex={0}>
          <h2 id="samplingTitle">Sampling by vendor and channel</h2>
          <table>
            <thead>
              <tr>
                <th>vendor</th>
                <th>channel</th>
                <th class="num">ledger</th>
                <th class="num">eligible</th>
                <th class="num">sampled</th>
                <th class="num">realised rate</th>
                <th class="num">floor top-ups</th>
                <th class="num">calibration</th>
              </tr>
            </thead>
            <tbody id="strata">
              {(sampling?.strata ?? []).map((r) => (
                <tr key={`${r.vendor}#${r.channel}`}>
                  <td>{r.vendor}</td>
                  <td>{r.channel}</td>
                  <td class="num">{fmt(r.ledger)}</td>
                  <td class="num">{fmt(r.eligible)}</td>
                  <td class="num">{fmt(r.sampled)}</td>
                  <td class="num">
                    {r.eligible ? `${((100 * r.sampled) / r.eligible).toFixed(1)}%` : "–"}
                  </td>
                  <td class="num">{fmt(r.floor)}</td>
                  <td class="num">{fmt(r.calibration)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="hint" id="sampling-hint">
            {status ? samplingHint(status) : ""}
          </p>
        </section>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the section scrolls sideways on a phone, so it must take keyboard focus to be scrolled without a pointer */}
        <section aria-labelledby="queuesTitle" tabIndex={0}>
          <h2 id="queuesTitle">Queues</h2>
          <table>
            <thead>
              <tr>
                <th>queue</th>
                <th class="num">visible</th>
                <th class="num">in flight</th>
                <th>URL</th>
              </tr>
            </thead>
            <tbody id="queues">
              {(status?.queues ?? []).map((q) => (
                <tr key={q.name}>
                  <td>{q.name}</td>
                  <td class="num">{fmt(q.visible)}</td>
                  <td class="num">{fmt(q.inFlight)}</td>
                  <td>{q.url}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the section scrolls sideways on a phone, so it must take keyboard focus to be scrolled without a pointer */}
        <section aria-labelledby="endpointsTitle" tabIndex={0}>
          <h2 id="endpointsTitle">Endpoints</h2>
          <table>
            <tbody id="endpoints">
              {status
                ? endpointRows(status).map(([name, value]) => (
                    <tr key={name}>
                      <td>{name}</td>
                      <td>{value}</td>
                    </tr>
                  ))
                : null}
            </tbody>
          </table>
          <p class="hint">
            Written to <code>.local/endpoints.json</code>; <code>npm run spotcheck -- …</code> in
            another terminal uses them.
          </p>
        </section>
      </main>
    </>
  );
}

function StatePill({ status, failed }: { status: StatusView | null; failed: boolean }) {
  if (failed)
    return (
      <span id="state" class="pill bad">
        stack not answering
      </span>
    );
  if (!status)
    return (
      <span id="state" class="pill ">
        connecting…
      </span>
    );
  return (
    <span id="state" class={`pill ${status.ready ? "ok" : "warn"}`}>
      {PHASES[status.phase] ?? status.phase}
    </span>
  );
}

function SeedPill({ status }: { status: StatusView | null }) {
  if (!status) return <span id="seed" class="pill" />;
  const { seed } = status;
  const text =
    seed.state === "off"
      ? "no demo data"
      : seed.state === "seeding"
        ? `seeding ${fmt(seed.uploaded)} / ${fmt(seed.total)}`
        : seed.state === "done"
          ? `${fmt(seed.total)} demo transcripts seeded`
          : `seeding failed: ${seed.detail ?? ""}`;
  const kind = seed.state === "failed" ? "bad" : seed.state === "done" ? "ok" : "";
  return (
    <span id="seed" class={`pill ${kind}`}>
      {text}
    </span>
  );
}

function Card({ id, label, value }: { id: string; label: string; value: number | undefined }) {
  return (
    <div class="card">
      <div class="label">{label}</div>
      <div class="value" id={id}>
        {value === undefined ? "–" : fmt(value)}
      </div>
    </div>
  );
}

/** The line under the strata table: event delivery, sampler batches and uptime. */
export function samplingHint(status: StatusView): string {
  const sm = status.sampling;
  if (!sm) return "The sampler is not running in this stack.";
  const e = status.events;
  return (
    `${fmt(e.delivered)} Object Created events delivered` +
    (e.retried ? `, ${fmt(e.retried)} delivery retries` : "") +
    (e.deadLettered ? `, ${fmt(e.deadLettered)} to the ingest DLQ` : "") +
    (e.failed ? `, ${fmt(e.failed)} undeliverable (reconcile --repair)` : "") +
    `; sampler: ${fmt(sm.batches)} batches, ${fmt(sm.retries)} record retries. Uptime ${Math.floor(status.uptimeSeconds / 60)}m ${status.uptimeSeconds % 60}s.`
  );
}

function endpointRows(status: StatusView): Array<[string, string]> {
  const e = status.endpoints;
  return [
    ["web", e.web],
    ["S3", e.s3],
    ["SQS", e.sqs],
    ["DynamoDB", e.dynamodb],
    ["bucket", e.bucket],
    ["table", e.table],
    ["region", e.region],
  ];
}
