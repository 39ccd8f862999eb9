import { render } from "preact";
import { utcDay } from "../../shared/calendar";
import { createApiClient } from "../lib/api";
import { readPageConfig } from "../lib/page-config";
import { readClaims } from "../lib/token";
import { DashboardApp } from "./dashboard-app";
import type { DashboardConfig } from "./types";

const config = readPageConfig<DashboardConfig>();
// Sign-in brings the user back to this very view.
const signInUrl = () =>
  `${config.signInUrl}${config.signInUrl.includes("?") ? "&" : "?"}return=${encodeURIComponent(location.pathname + location.search)}`;
const api = createApiClient({
  signInUrl,
  readRetries: 2,
  navigate: (url) => location.replace(url),
});
const token = api.token();
const root = document.getElementById("root");
if (!token) location.replace(signInUrl());
else if (root) {
  // The token's claims, for display and to offer only the actions the server allows; the
  // server checks every request itself.
  const claims = readClaims(token) ?? {};
  const groups = Array.isArray(claims["cognito:groups"]) ? claims["cognito:groups"] : [];
  const vendor = claims["custom:vendor"];
  const who = claims.sub
    ? `${claims.sub} · ${groups.join(", ")}${vendor ? ` · ${vendor}` : ""}`
    : "";
  render(
    <DashboardApp
      api={api}
      config={config}
      who={who}
      qaTeam={groups.includes("admin") || (groups.includes("manager") && !vendor)}
      search={location.search}
      onFilters={(q) => history.replaceState(null, "", location.pathname + (q ? `?${q}` : ""))}
      today={utcDay(new Date())}
    />,
    root,
  );
}
