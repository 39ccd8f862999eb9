import { render } from "preact";
import { StatusPage } from "./status-page";
import type { StatusView } from "./status-view";

async function load(): Promise<StatusView> {
  const res = await fetch("/api/status", { cache: "no-store" });
  if (!res.ok) throw new Error(`status answered ${res.status}`);
  return (await res.json()) as StatusView;
}

const root = document.getElementById("root");
if (root) render(<StatusPage load={load} />, root);
