import { render } from "preact";
import { TOKEN_STORAGE_KEY } from "../lib/api";
import { localPath } from "../lib/return-path";
import { type DevRole, DevSignInForm } from "./sign-in-form";

// Only a path on this origin, and never this page again: anything else is ignored.
const returnPath = localPath(
  new URLSearchParams(location.search).get("return"),
  location.origin,
  (pathname) => pathname.startsWith("/dev/"),
);

async function requestToken(body: { sub: string; role: DevRole; vendor?: string }) {
  const res = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) return null;
  return ((await res.json()) as { token: string }).token;
}

function signedIn(token: string, role: DevRole) {
  sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  location.assign(returnPath ?? (role === "manager" ? "/dashboard" : "/review"));
}

const root = document.getElementById("root");
if (root)
  render(
    <DevSignInForm
      requestToken={requestToken}
      signedIn={signedIn}
      forDashboard={(returnPath ?? "").startsWith("/dashboard")}
    />,
    root,
  );
